"""Writes N finished submission jobs straight into the head's job table (GCS internal KV, where Ray's
job manager keeps them), so list benchmarks can have 1,000 or 10,000 jobs without running that many
drivers on a 2-core machine. Ray's own dashboard code then serves them like any other job.

Usage: python seed-jobs.py <count> <prefix>   (RAY_ADDRESS, RAY_AUTH_MODE, RAY_AUTH_TOKEN_PATH set)
"""
import json
import sys
import time

import ray
from ray._private import ray_constants
from ray.dashboard.modules.job.common import JobInfo, JobInfoStorageClient, JobStatus
from ray.experimental.internal_kv import _internal_kv_put

count, prefix = int(sys.argv[1]), sys.argv[2]
ray.init(logging_level="ERROR")
now = int(time.time() * 1000)
statuses = [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.STOPPED]
for i in range(count):
    status = statuses[i % 3]
    info = JobInfo(
        status=status,
        entrypoint=f"python train.py --shard {i} --epochs {i % 7}",
        message="Job finished successfully." if status == JobStatus.SUCCEEDED else "Job failed.",
        metadata={"team": ["ml", "data", "infra"][i % 3], "run": str(i)},
        start_time=now - (count - i) * 60_000,
        end_time=now - (count - i) * 60_000 + 30_000,
        runtime_env={"env_vars": {"SHARD": str(i)}},
    )
    key = JobInfoStorageClient.JOB_DATA_KEY.format(job_id=f"{prefix}_{i:05d}")
    _internal_kv_put(key, json.dumps(info.to_json()), namespace=ray_constants.KV_NAMESPACE_JOB)
print(f"seeded {count} jobs")

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobFailures } from '@ray-console/shared';
import { startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { rayStateOracle } from '../support/ray-debug-workload.js';
import { rayDriverEnv } from '../support/ray-python.js';
import { waitFor } from '../support/wait.js';

// A task killed by Ray's memory monitor, driven safely on a shared machine. Ray kills a worker when the
// node's memory use passes RAY_memory_usage_threshold (a fraction of the machine's memory, 0.95 by
// default); driving the whole machine to 95 % would put every other process at risk of the kernel's OOM
// killer. So this file's own head starts with the threshold just above what the machine uses now (from
// /proc/meminfo, plus a margin for the head itself), and one task allocates in steps until Ray kills it,
// at most 12 GiB. The machine's use stays near the threshold (the task grows only while the node is
// below it), GiBs away from full, whatever other processes do meanwhile; and the
// monitor, which only ever kills this head's workers, kills this task.

const GiB = 1024 ** 3;
const shared = inject('rayHead');
let head: RayHead;
let bff: RunningBff;
let client: BffClient;
let figures: { totalGiB: number; usedGiB: number; threshold: number };

function meminfo(): { total: number; available: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
}

// Allocates (and touches) 128 MiB at a time, pausing so the memory monitor (every 100 ms here) sees each
// step, until Ray kills it or it holds `limit` MiB. max_retries=0: the first kill fails the task.
const HOG = `
import json, sys, time, ray
limit_mb = int(sys.argv[1])
ray.init(logging_level="ERROR", log_to_driver=False)

@ray.remote(max_retries=0, num_cpus=0.5)
def console_oom_hog(limit_mb):
    held = []
    for _ in range(limit_mb // 128):
        held.append(b"x" * (128 << 20))
        time.sleep(0.05)
    time.sleep(5)
    return len(held) * 128

try:
    outcome = {"survived_mb": ray.get(console_oom_hog.remote(limit_mb))}
except Exception as e:
    outcome = {"error": type(e).__name__}
print(json.dumps({"job_id": ray.get_runtime_context().get_job_id(), **outcome}), flush=True)
sys.stdin.read()
`;

beforeAll(async () => {
  const { total, available } = meminfo();
  const used = total - available;
  // The head's own processes take about 1 GiB; the task must pass the threshold by 2 GiB more.
  const threshold = Math.min(0.95, (used + 3 * GiB) / total);
  figures = { totalGiB: total / GiB, usedGiB: used / GiB, threshold };
  process.stderr.write(`oom test: ${JSON.stringify(figures)}\n`);
  head = await startRayHead({
    version: shared.version,
    env: { RAY_memory_usage_threshold: threshold.toFixed(4), RAY_memory_monitor_refresh_ms: '100' },
    log: (l) => process.stderr.write(`${l}\n`),
  });
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await bff?.close();
  await head?.stop();
});

describe('a task Ray killed for memory', () => {
  it('leads the job’s failures, said in plain words with the memory figures, as list_tasks reports it', async () => {
    // The machine must have room for the test's steps beyond the threshold: refuse to start otherwise.
    expect(figures.threshold, JSON.stringify(figures)).toBeLessThan(0.95);
    const child = spawn(head.python, ['-c', HOG, String(12 * 1024)], {
      env: rayDriverEnv(head),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    try {
      const outcome = await waitFor(
        'the memory hog to be killed or to finish',
        () => {
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) return JSON.parse(line) as { job_id: string; error?: string; survived_mb?: number };
          if (child.exitCode !== null) throw new Error(`driver exited (${child.exitCode}):\n${err}`);
          return undefined;
        },
        { timeoutMs: 180_000, intervalMs: 200 },
      );
      process.stderr.write(`oom test outcome: ${JSON.stringify(outcome)}, now ${JSON.stringify(meminfo())}\n`);
      expect(outcome.error, JSON.stringify(outcome)).toBe('OutOfMemoryError');

      const oracle = await waitFor(
        'list_tasks to report the killed task',
        async () => {
          const o = await rayStateOracle(head, outcome.job_id);
          const t = o.tasks.find((x) => x.name === 'console_oom_hog' && x.state === 'FAILED');
          return t ? t : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      expect(oracle.error_type).toBe('OUT_OF_MEMORY');

      const res = await client.get(`/api/clusters/default/jobs/${outcome.job_id}/failures`);
      expect(res.status, res.text).toBe(200);
      const failures = JobFailures.parse(res.json());
      process.stderr.write(`oom test first failure: ${failures.firstFailure?.title}\n`);
      expect(failures.firstFailure).toMatchObject({ kind: 'oom', taskId: oracle.task_id });
      expect(failures.firstFailure?.title).toMatch(
        /^Task console_oom_hog was killed because its node ran out of memory .*\(the node used [\d.]+ of [\d.]+ GB, this task’s worker [\d.]+ GB\)\.$/,
      );
      expect(failures.failedTasks.items[0]).toMatchObject({ errorType: 'OUT_OF_MEMORY', taskId: oracle.task_id });
    } finally {
      child.stdin.end();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) await exited;
    }
  });
});

import { spawn } from 'node:child_process';
import { rayDriverEnv, runPythonJson, type PythonHead } from './ray-python.js';

// A Ray driver that misbehaves in every way the debugging pages explain: many tasks of one function, a
// second function whose tasks raise a known exception, a retried task, an actor killed with ray.kill,
// one whose __init__ raises, a task asking for a resource no node has, and a placement group no node can
// hold. Function names carry a tag so the cluster-wide oracle (summarize_tasks) can find this run's rows.
const WORKLOAD = `
import json, sys, ray
from ray.util.placement_group import placement_group
tag = sys.argv[1]
count = int(sys.argv[2])
ray.init(logging_level="ERROR", log_to_driver=False)

def named(fn, name):
    fn.__name__ = fn.__qualname__ = name
    return fn

square = ray.remote(max_retries=0, num_cpus=0.01)(named(lambda i: i * i, f"dbg_square_{tag}"))

def _explode(i):
    print(f"about to fail {i}", file=sys.stderr, flush=True)
    raise ValueError(f"console-debug failure {i}")
explode = ray.remote(max_retries=0, num_cpus=0.01)(named(_explode, f"dbg_explode_{tag}"))

def _flaky():
    raise KeyError("console-debug flaky")
flaky = ray.remote(max_retries=2, retry_exceptions=True, num_cpus=0.01)(named(_flaky, f"dbg_flaky_{tag}"))

infeasible = ray.remote(num_cpus=0, resources={"console_no_such_thing": 1})(named(lambda: 1, f"dbg_infeasible_{tag}"))

@ray.remote(num_cpus=0)
class Victim:
    def ping(self):
        return 1

@ray.remote(num_cpus=0)
class Broken:
    def __init__(self):
        raise RuntimeError("console-debug init failure")
    def ping(self):
        return 1

ray.get([square.remote(i) for i in range(count)])
for ref in [explode.remote(i) for i in range(3)]:
    try:
        ray.get(ref)
    except Exception:
        pass
try:
    ray.get(flaky.remote())
except Exception:
    pass
victim = Victim.remote()
ray.get(victim.ping.remote())
ray.kill(victim)
broken = Broken.remote()
try:
    ray.get(broken.ping.remote())
except Exception:
    pass
waiting = infeasible.remote()
group = placement_group([{"CPU": 64}])
print(json.dumps({"job_id": ray.get_runtime_context().get_job_id()}), flush=True)
sys.stdin.read()
`;

// Ray's own Python State API on the same head: the oracle for the console's answers.
const ORACLE = `
import json, sys
from ray.util.state import list_tasks, summarize_tasks, list_actors
jid = sys.argv[1]
f = [("job_id", "=", jid)]
as_dict = lambda x: x if isinstance(x, dict) else x.__dict__
tasks = [as_dict(t) for t in list_tasks(filters=f, limit=10000, detail=True, raise_on_missing_output=False)]
summary = summarize_tasks(raise_on_missing_output=False)
actors = [as_dict(a) for a in list_actors(filters=f, limit=1000, detail=True, raise_on_missing_output=False)]
keep = ("task_id", "attempt_number", "name", "func_or_class_name", "state", "type", "error_type", "node_id", "worker_id", "worker_pid", "error_message", "start_time_ms", "end_time_ms")
print(json.dumps({
    "tasks": [{k: t.get(k) for k in keep} for t in tasks],
    "summary": {k: {"type": v["type"], "state_counts": v["state_counts"]} for k, v in summary["cluster"]["summary"].items()},
    "actors": [{k: a.get(k) for k in ("actor_id", "class_name", "state", "pid", "node_id", "num_restarts")} for a in actors],
}))
`;

type Head = PythonHead;

export interface DebugWorkload {
  /** Ray's hex job id of the driver (a DRIVER job: the id the console's job routes take). */
  jobId: string;
  stop(): Promise<void>;
}

export async function startDebugWorkload(head: Head, tag: string, count = 40): Promise<DebugWorkload> {
  const child = spawn(head.python, ['-c', WORKLOAD, tag, String(count)], {
    env: rayDriverEnv(head),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.stdin.end();
    const killLater = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killLater);
  };
  try {
    const jobId = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`workload: no job id in 180 s:\n${stderr}`)), 180_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /"job_id": "([0-9a-f]+)"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`workload exited (${code}) before its job id:\n${stderr}`));
      });
    });
    return { jobId, stop };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

export interface OracleTask {
  task_id: string;
  attempt_number: number;
  name: string;
  func_or_class_name: string;
  state: string;
  type: string;
  error_type: string | null;
  node_id: string | null;
  worker_id: string | null;
  worker_pid: number | null;
  error_message: string | null;
  start_time_ms: number | null;
  end_time_ms: number | null;
}

export interface OracleAnswer {
  tasks: OracleTask[];
  summary: Record<string, { type: string; state_counts: Record<string, number> }>;
  actors: {
    actor_id: string;
    class_name: string;
    state: string;
    pid: number | null;
    node_id: string | null;
    num_restarts: number;
  }[];
}

/** Runs Ray's Python State API against the head for one job. */
export async function rayStateOracle(head: Head, jobId: string): Promise<OracleAnswer> {
  return runPythonJson<OracleAnswer>(head, ORACLE, [jobId], 300_000);
}

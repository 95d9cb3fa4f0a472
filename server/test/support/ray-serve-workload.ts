import { runPython, runPythonJson, type PythonHead } from './ray-python.js';

// Ray Serve on a test-owned head: one healthy application whose deployment runs 2 replicas, and one whose
// deployment's constructor raises, so Serve gives up on it (DEPLOY_FAILED, with the exception in its
// message). Serve's actors are detached: they outlive this driver and go when the head stops. Replicas ask
// for no CPU, so the 2-CPU head holds them; the HTTP proxy listens on a port the test chose (Serve's
// default, 8000, may be another head's on a shared machine).
const DEPLOY = `
import sys, ray
from ray import serve
port = int(sys.argv[1])
ray.init(logging_level="ERROR", log_to_driver=False)
serve.start(http_options={"host": "127.0.0.1", "port": port})

@serve.deployment(num_replicas=2, ray_actor_options={"num_cpus": 0})
class Greeter:
    def __call__(self, request):
        return "hello"

@serve.deployment(num_replicas=1, ray_actor_options={"num_cpus": 0})
class Broken:
    def __init__(self):
        raise RuntimeError("console-serve constructor failure")
    def __call__(self, request):
        return "never"

serve.run(Greeter.bind(), name="greeter", route_prefix="/greeter")
try:
    serve.run(Broken.bind(), name="broken", route_prefix="/broken")
except Exception as e:
    print(f"broken app failed as intended: {type(e).__name__}", file=sys.stderr)
print("deployed", flush=True)
`;

// Ray's own view, \`serve.status()\` (what \`serve status\` prints), and the replica actors \`list_actors\`
// reports, as JSON: the oracle.
const STATUS = `
import json, ray
from ray import serve
from ray.util.state import list_actors
ray.init(logging_level="ERROR", log_to_driver=False)
s = serve.status()
replicas = [a for a in list_actors(filters=[("state", "=", "ALIVE")], detail=True, limit=1000, raise_on_missing_output=False)
            if (a.class_name or "").startswith("ServeReplica:")]
print(json.dumps({"replica_actors": [{"actor_id": a.actor_id, "class_name": a.class_name, "pid": a.pid, "node_id": a.node_id} for a in replicas], "applications": {
    name: {
        "status": str(a.status.value if hasattr(a.status, "value") else a.status),
        "message": a.message,
        "last_deployed_time_s": a.last_deployed_time_s,
        "deployments": {
            d: {
                "status": str(o.status.value if hasattr(o.status, "value") else o.status),
                "message": o.message,
                "replica_states": {str(k.value if hasattr(k, "value") else k): v for k, v in o.replica_states.items()},
            }
            for d, o in a.deployments.items()
        },
    }
    for name, a in s.applications.items()
}}))
`;

type Head = PythonHead;

/** Deploys the two applications and returns once Serve has taken both (the broken one may still be retrying). */
export async function deployServeApps(head: Head, httpPort: number): Promise<void> {
  const out = await runPython(head, DEPLOY, [String(httpPort)], 300_000);
  if (!out.includes('deployed')) throw new Error(`serve deploy printed no "deployed":\n${out}`);
}

export interface ServeOracle {
  /** Serve's replica actors alive on the head, from Ray's State API (`list_actors`). */
  replica_actors: { actor_id: string; class_name: string; pid: number; node_id: string }[];
  applications: Record<
    string,
    {
      status: string;
      message: string;
      last_deployed_time_s: number;
      deployments: Record<string, { status: string; message: string; replica_states: Record<string, number> }>;
    }
  >;
}

/** Ray's own `serve.status()` on the head. */
export async function serveStatusOracle(head: Head): Promise<ServeOracle> {
  return runPythonJson<ServeOracle>(head, STATUS, [], 120_000);
}

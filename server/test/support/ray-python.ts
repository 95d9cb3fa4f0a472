import { spawn, type ChildProcess } from 'node:child_process';
import type { RayHeadInfo } from './ray-global-setup.js';

/** The environment a Ray driver needs to reach the head: its GCS address and its token, never inherited ones. */
export function rayDriverEnv(head: Pick<RayHeadInfo, 'gcsAddress' | 'tokenFile'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RAY_ADDRESS: head.gcsAddress,
    RAY_AUTH_MODE: 'token',
    RAY_AUTH_TOKEN_PATH: head.tokenFile,
    RAY_USAGE_STATS_ENABLED: '0',
  };
  delete env.RAY_AUTH_TOKEN;
  return env;
}

/** A head a Python driver (the venv's, with Ray) can run against. */
export type PythonHead = Pick<RayHeadInfo, 'python' | 'gcsAddress' | 'tokenFile'>;

/**
 * Runs a Python script against the head with the venv's Python (Ray's own API as the tests' oracle, or a
 * workload) and resolves with what it printed; a failure or `timeoutMs` rejects with its stderr's end.
 */
export function runPython(
  head: PythonHead,
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<string> {
  const child = spawn(head.python, ['-c', script, ...args], {
    env: rayDriverEnv(head),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-6000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`python exited (${code}):\n${err}`));
    });
  });
}

/** The same, for a script that prints its answer as a JSON line (the first line that starts with `{`). */
export async function runPythonJson<T>(
  head: PythonHead,
  script: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<T> {
  const out = await runPython(head, script, args, timeoutMs);
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the script printed no JSON line:\n${out}`);
  return JSON.parse(line) as T;
}

// Prints ray.cluster_resources() as one JSON line, then (when asked) holds `hold` resources with an actor
// until stdin closes, so a test can watch them show up as used.
const SCRIPT = `
import json, sys, ray
ray.init(logging_level="ERROR", log_to_driver=False)
print(json.dumps({"cluster_resources": ray.cluster_resources()}), flush=True)
hold = json.loads(sys.argv[1]) if len(sys.argv) > 1 else None
if hold:
    @ray.remote(num_cpus=0, resources=hold)
    class Holder:
        def ready(self):
            return True
    h = Holder.remote()
    ray.get(h.ready.remote())
    print(json.dumps({"holding": hold}), flush=True)
    sys.stdin.read()
ray.shutdown()
`;

export interface RayDriver {
  /** What `ray.cluster_resources()` returned. */
  clusterResources: Record<string, number>;
  /** Resolves once the actor holds the resources (when `hold` was given). */
  holding: Promise<void>;
  /** Ends the driver (its actor goes with it) and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Runs the venv's Python as a Ray driver against the head: the oracle the console's figures are checked
 * against. With `hold`, an actor keeps those resources busy until `stop()`.
 */
export async function startRayDriver(
  head: Pick<RayHeadInfo, 'python' | 'gcsAddress' | 'tokenFile'>,
  hold?: Record<string, number>,
): Promise<RayDriver> {
  const child: ChildProcess = spawn(head.python, ['-c', SCRIPT, ...(hold ? [JSON.stringify(hold)] : [])], {
    env: rayDriverEnv(head),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      messages.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    }
  });
  const message = (key: string, timeoutMs: number) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`python driver: no "${key}" within ${timeoutMs} ms:\n${stderr}`)),
        timeoutMs,
      );
      const look = () => {
        const found = messages.find((m) => key in m);
        if (found) {
          clearTimeout(timer);
          resolve(found[key]);
          return;
        }
        waiters.push(look);
      };
      void exited.then((code) => {
        if (!messages.some((m) => key in m)) {
          clearTimeout(timer);
          reject(new Error(`python driver exited (${code}) before "${key}":\n${stderr}`));
        }
      });
      look();
    });
  const stop = async () => {
    child.stdin?.end();
    const killLater = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killLater);
  };
  try {
    const clusterResources = (await message('cluster_resources', 90_000)) as Record<string, number>;
    const holding = hold ? message('holding', 90_000).then(() => undefined) : Promise.resolve();
    // Keep an unobserved rejection from failing the run; the test awaits `holding` itself.
    holding.catch(() => {});
    return { clusterResources, holding, stop };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

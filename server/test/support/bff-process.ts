import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import { waitFor } from './wait.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const serverEntry = path.join(repoRoot, 'server', 'dist', 'index.js');

let built = false;

/**
 * Builds `shared` and `server` (`tsc -b`, incremental) once per test file, as `npm run build` does.
 * Type errors do not stop the test (that is `npm run typecheck`'s job; tsc -b still emits), but a
 * missing entry point does.
 */
export function buildServer(): void {
  if (built) return;
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'shared', 'server'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (!existsSync(serverEntry)) {
    throw new Error(`tsc -b shared server did not produce ${serverEntry}:\n${result.stdout}\n${result.stderr}`);
  }
  built = true;
}

export interface BffProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr, line by line. */
  logs: string[];
  /** SIGTERM, as an orchestrator stops it; waits until the process has exited. */
  stop(): Promise<void>;
}

/**
 * Runs the real built server (`node server/dist/index.js`) as a child process, configured only through
 * the environment an operator sets, and waits until it answers `/api/healthz`.
 */
export async function startBffProcess(env: Record<string, string>): Promise<BffProcess> {
  buildServer();
  // freePort() finds a port that is free now; on a machine shared with other test runs, another process
  // can take it before the server binds it. The server then exits saying EADDRINUSE: try another port.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(env);
    if ('url' in started) return started;
    const portTaken = env.PORT === undefined && started.logs.some((line) => line.includes('EADDRINUSE'));
    if (!portTaken || attempt === 3) {
      throw new Error(`The BFF process exited (${JSON.stringify(started.exit)}):\n${started.logs.join('\n')}`);
    }
  }
}

interface Exited {
  exit: { code: number | null; signal: NodeJS.Signals | null };
  logs: string[];
}

async function startOnce(env: Record<string, string>): Promise<BffProcess | Exited> {
  const port = await freePort();
  // A working directory of its own, so nothing lands in the repository's ./data.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'ray-console-cwd-'));
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: String(port),
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, [serverEntry], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      logs.push(...lines.filter(Boolean));
    });
    stream?.on('end', () => {
      if (rest) logs.push(rest);
    });
  }
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const outcome = await waitFor(
    `the BFF process on ${url}`,
    async () => {
      if (exit) return 'exited';
      const res = await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2000) });
      return res.ok && 'up';
    },
    { timeoutMs: 30_000 },
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  if (outcome === 'exited' && exit) {
    await closed; // every line it wrote has been read
    return { exit, logs };
  }
  return {
    url,
    pid: child.pid ?? -1,
    logs,
    stop: async () => {
      if (exit) return;
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killLater);
    },
  };
}

// The built console (server/dist + web/dist, as `npm start` serves them) as a child process, for the e2e
// journeys, the benchmarks and the README's screenshots: one way to start it, so they all run what users run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.mjs';
import { freePort } from './ray-head.mjs';

/**
 * Starts it on a loopback port (free, or `port` when the caller needs to know it first, e.g. for
 * PUBLIC_URL) with a data folder of its own and a SQLite session store, and resolves once `/api/healthz`
 * answers. `env` comes on top (the clusters, OIDC, limits). `root` is where its server/dist and web/dist
 * are: this checkout, or a copy of an older build to compare with side by side.
 * @param {Record<string, string>} [env]
 * @param {{ port?: number, root?: string, nodeArgs?: string[], timeoutMs?: number }} [options]
 */
export async function startBuiltConsole(env = {}, options = {}) {
  const { root = repoRoot, nodeArgs = [], timeoutMs = 60_000 } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-built-'));
  const port = options.port ?? (await freePort());
  const log = path.join(dataDir, 'console.log');
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'server/dist/index.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DATA_DIR: dataDir,
      SESSION_STORE: `sqlite:${path.join(dataDir, 'sessions.db')}`,
      WEB_DIST: path.join(root, 'web/dist'),
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The console exited before it was ready:\n${readFileSync(log, 'utf8')}`);
    }
    const healthy = await fetch(`${url}/api/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The console at ${url} was not healthy within ${timeoutMs} ms:\n${readFileSync(log, 'utf8')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid,
    /** Its stdout and stderr (its JSON log). */
    log,
    dataDir,
    /** Stops it (SIGTERM: it drains, then exits) and waits until it has. */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

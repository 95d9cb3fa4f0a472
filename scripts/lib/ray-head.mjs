// Starts a real Ray head (from the project's virtualenv) with token authentication, on loopback ports
// chosen at random, for the local demo (`npm start`), the integration tests and the e2e tests.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureRayVenv } from './ray-venv.mjs';

/** A free TCP port on loopback (the kernel hands out ephemeral ports, above Ray's worker port range). */
export async function freePort() {
  const [port] = await freePorts(1);
  return port;
}

/**
 * `count` different free ports. Each listener stays open until all are taken: a port closed at once can be
 * handed out again by the next bind, and a head given one port for two components fails to start.
 */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
}

/** Ray generates tokens with `secrets.token_hex(32)`; we do the same. */
export const newRayToken = () => randomBytes(32).toString('hex');

function processGroupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what, check, { timeoutMs, intervalMs = 250, failIf }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failIf?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Starts `ray start --head --block` in its own process group and waits until the dashboard answers
 * authenticated requests and the head node is ALIVE.
 *
 * @param {object} options
 * @param {string} options.version Ray version (its virtualenv is installed when missing).
 * @param {'token'|'disabled'} [options.authMode]
 * @param {string} [options.token] The token to start with (a fresh one by default).
 * @param {number} [options.dashboardPort] Reuse a port, e.g. to restart "the same cluster".
 * @param {number} [options.numCpus]
 * @param {Record<string, number>} [options.resources] Custom resources of the head node.
 * @param {string} [options.workDir] Where the token file and logs go (a temp folder by default).
 * @param {Record<string, string>} [options.env] Ray settings for this head only (`RAY_memory_usage_threshold`, say).
 * @param {(line: string) => void} [options.log]
 */
export async function startRayHead(options) {
  const { version, authMode = 'token', numCpus = 2, resources = {} } = options;
  const log = options.log ?? (() => {});
  const venv = await ensureRayVenv(version, { log });
  const workDir = options.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'ray-console-head-'));
  mkdirSync(workDir, { recursive: true });
  // Ray's session folder holds unix sockets, whose paths must stay short: keep it directly under /tmp.
  const rayTemp = mkdtempSync(path.join(os.tmpdir(), 'rc-'));
  const token = authMode === 'token' ? (options.token ?? newRayToken()) : undefined;
  const tokenFile = path.join(workDir, 'auth_token');
  if (token) writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  const [fresh, gcs, client, agentHttp, agentGrpc, nodeManager, objectManager, metrics, runtimeEnvAgent] =
    await freePorts(9);
  const dashboardPort = options.dashboardPort ?? fresh;
  const ports = { gcs, client, agentHttp, agentGrpc, nodeManager, objectManager, metrics, runtimeEnvAgent };
  // Worker ports come from a range of their own per head, so two heads on one machine never collide.
  const minWorkerPort = 10002 + randomInt(0, 19) * 500;

  const env = {
    ...process.env,
    RAY_AUTH_MODE: authMode,
    RAY_USAGE_STATS_ENABLED: '0',
    // Job entrypoints run with the head's PATH: `python` must be the virtualenv's, which has Ray.
    PATH: `${path.dirname(venv.python)}:${process.env.PATH ?? ''}`,
    // The head must not pick up a developer's ~/.ray/auth_token or an inherited token.
    RAY_AUTH_TOKEN: undefined,
    ...(token ? { RAY_AUTH_TOKEN_PATH: tokenFile } : { RAY_AUTH_TOKEN_PATH: undefined }),
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];

  const args = [
    'start',
    '--head',
    '--block',
    '--disable-usage-stats',
    '--node-ip-address=127.0.0.1',
    `--port=${ports.gcs}`,
    '--dashboard-host=127.0.0.1',
    `--dashboard-port=${dashboardPort}`,
    `--ray-client-server-port=${ports.client}`,
    `--dashboard-agent-listen-port=${ports.agentHttp}`,
    `--dashboard-agent-grpc-port=${ports.agentGrpc}`,
    `--node-manager-port=${ports.nodeManager}`,
    `--object-manager-port=${ports.objectManager}`,
    `--metrics-export-port=${ports.metrics}`,
    `--runtime-env-agent-port=${ports.runtimeEnvAgent}`,
    `--min-worker-port=${minWorkerPort}`,
    `--max-worker-port=${minWorkerPort + 499}`,
    `--num-cpus=${numCpus}`,
    `--resources=${JSON.stringify(resources)}`,
    '--object-store-memory=268435456',
    `--temp-dir=${rayTemp}`,
  ];
  const logFile = path.join(workDir, `ray-head-${Date.now()}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(venv.ray, args, { env, detached: true, stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const pgid = child.pid;
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '';
    }
  };

  const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  log(`Starting Ray ${version} head (auth ${authMode}) with its dashboard on ${dashboardUrl}...`);
  try {
    await waitFor(
      `Ray head on ${dashboardUrl}`,
      async () => {
        const r = await fetch(`${dashboardUrl}/api/v0/nodes?limit=10`, { headers, signal: AbortSignal.timeout(5000) });
        if (!r.ok) return false;
        const body = await r.json();
        return body?.data?.result?.result?.some((n) => n.state === 'ALIVE') === true;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 500,
        failIf: () => (exited ? `ray start exited (${JSON.stringify(exited)}):\n${logTail()}` : undefined),
      },
    );
  } catch (err) {
    await killGroup(pgid);
    throw err;
  }

  let stopped = false;
  const handle = {
    version,
    authMode,
    token,
    tokenFile: token ? tokenFile : undefined,
    dashboardUrl,
    dashboardPort,
    gcsAddress: `127.0.0.1:${ports.gcs}`,
    python: venv.python,
    ray: venv.ray,
    workDir,
    logFile,
    /** Environment for a Ray client (the Python oracle, `ray job submit`) talking to this head. */
    clientEnv: () => {
      const e = { ...process.env, RAY_AUTH_MODE: authMode, RAY_ADDRESS: `127.0.0.1:${ports.gcs}` };
      delete e.RAY_AUTH_TOKEN;
      if (token) e.RAY_AUTH_TOKEN_PATH = tokenFile;
      return e;
    },
    /** Stops the head and every process it started (SIGTERM, then SIGKILL to the whole group). */
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await killGroup(pgid);
      liveGroups.delete(pgid);
      rmSync(rayTemp, { recursive: true, force: true });
    },
    /** Kills the head at once, as a crash would. */
    kill: async () => {
      if (stopped) return;
      stopped = true;
      await killGroup(pgid, 0);
      liveGroups.delete(pgid);
      rmSync(rayTemp, { recursive: true, force: true });
    },
  };
  liveGroups.add(pgid);
  return handle;
}

/** SIGTERM the group, then SIGKILL what is left after `graceMs`, and wait until it is gone. */
export async function killGroup(pgid, graceMs = 3000) {
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* already gone */
    }
  };
  if (graceMs > 0) {
    signal('SIGTERM');
    await waitFor('Ray head to stop', async () => !processGroupAlive(pgid), { timeoutMs: graceMs }).catch(() => {});
  }
  signal('SIGKILL');
  await waitFor('Ray head to die', async () => !processGroupAlive(pgid), { timeoutMs: 30_000, intervalMs: 100 });
}

// A test run that crashes must not leave Ray heads behind: kill every group still running at exit.
const liveGroups = new Set();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

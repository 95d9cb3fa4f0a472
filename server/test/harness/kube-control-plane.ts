/**
 * A real, node-less Kubernetes control plane (etcd + kube-apiserver) for integration tests.
 *
 * The binaries are self-built from Go modules by `bash scripts/k8s/build-control-plane.sh` into
 * `${RAY_CONSOLE_CACHE:-~/.cache/ray-console}/k8s/bin/` (override the folder with RAY_CONSOLE_K8S_BIN).
 * `startControlPlane()` starts etcd and kube-apiserver on free loopback ports with bearer-token users
 * (admin in system:masters, viewer and noaccess without any RBAC binding), RBAC authorization and
 * service-account keys, then installs the KubeRay v1.7.0 CRDs from deploy/crds/kuberay-v1.7.0/.
 *
 * There is no kube-controller-manager, scheduler or kubelet: no garbage collection, namespaces stay
 * Terminating after deletion, Pods stay Pending. Use fresh namespaces per test.
 *
 * Only Node builtins plus the `yaml` package are used; kubectl is not needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { cacheRoot } from '../../../scripts/lib/paths.mjs';
import { freePorts } from '../../../scripts/lib/ray-head.mjs';

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (this file lives in server/test/harness/). */
export const PROJECT_ROOT = path.resolve(HERE, '..', '..', '..');
/** The project's copy of the KubeRay v1.7.0 CRDs. */
export const KUBERAY_CRD_DIR = path.join(PROJECT_ROOT, 'deploy', 'crds', 'kuberay-v1.7.0');
/** The project's copy of the KubeRay v1.7.0 samples (ray-cluster.auth.yaml, ...). */
export const KUBERAY_SAMPLES_DIR = path.join(KUBERAY_CRD_DIR, 'samples');
const CRD_FILES = ['ray.io_rayclusters.yaml', 'ray.io_rayjobs.yaml', 'ray.io_rayservices.yaml'];
/** Resources the installed CRDs serve under ray.io/v1. */
const RAY_RESOURCES = ['rayclusters', 'rayjobs', 'rayservices'];

/** Folder with the self-built etcd / kube-apiserver (/ ray-operator) binaries. */
export function k8sBinDir(): string {
  const override = process.env.RAY_CONSOLE_K8S_BIN;
  if (override) return override;
  const cache = cacheRoot();
  return path.join(cache, 'k8s', 'bin');
}

function requireBinary(name: string): string {
  const p = path.join(k8sBinDir(), name);
  try {
    fs.accessSync(p, fs.constants.X_OK);
  } catch {
    throw new Error(
      `kube-control-plane: ${p} not found. Build the control plane first: ` +
        '`bash scripts/k8s/build-control-plane.sh` (takes ~15-30 min cold on 2 cores; cached afterwards).',
    );
  }
  return p;
}

/** The self-built kustomize (the tool `kubectl apply -k` embeds), for building deploy/ as users do. */
export function kustomizeBinary(): string {
  return requireBinary('kustomize');
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface ControlPlaneTokens {
  /** user `admin`, group `system:masters` */
  admin: string;
  /** user `viewer`, no groups, no RBAC bindings (tests add their own) */
  viewer: string;
  /** user `noaccess`, no groups, no RBAC bindings */
  noaccess: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:PORT (self-signed certificate: skip verification) */
  server: string;
  adminToken: string;
  /** Admin kubeconfig (insecure-skip-tls-verify). */
  kubeconfigPath: string;
  /** Writes a kubeconfig for another bearer token; returns its path. */
  kubeconfigFor(token: string, file?: string): string;
  tokens: ControlPlaneTokens;
  /** The temporary folder holding data, certificates, kubeconfigs and the logs. */
  dataDir: string;
  /** Log files (etcd.log, kube-apiserver.log). */
  logs: { etcd: string; apiserver: string };
  /** Milliseconds spent in each startup phase. */
  timings: { etcdReadyMs: number; apiserverReadyMs: number; crdsEstablishedMs: number };
  /** Stops kube-apiserver and etcd, removes the temporary folder (unless it was passed in). */
  stop(): Promise<void>;
  /** Stops only kube-apiserver (simulates an API outage); etcd keeps the data. */
  stopApiServer(): Promise<void>;
  /** Restarts kube-apiserver on the same port with the same data and waits for /readyz. */
  startApiServer(): Promise<void>;
}

export interface StartControlPlaneOptions {
  /**
   * Folder for data, certificates, logs and kubeconfigs. Default: a fresh temporary folder that is
   * removed by stop(). A folder passed in is kept.
   */
  dataDir?: string;
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 200;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  abort?: () => string | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: timed out after ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}`);
    }
    await delay(POLL_MS);
  }
}

function tail(file: string, lines: number): string {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    return all.slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

function httpGet(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? https.request : http.request)(
      u,
      { method: 'GET', timeout: 5_000, rejectUnauthorized: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * One request against the apiserver with a bearer token (TLS verification off: the serving
 * certificate is self-signed). `body` objects are sent as JSON; a string body is sent as-is with
 * `contentType` (e.g. 'application/merge-patch+json').
 */
export function kubeRequest<T = unknown>(
  server: string,
  token: string | undefined,
  method: string,
  apiPath: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<KubeResponse<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const req = https.request(
      new URL(apiPath, server),
      { method, headers, rejectUnauthorized: false, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON (e.g. /readyz) */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${apiPath}: timeout`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function writeKubeconfig(file: string, server: string, token: string, user: string): string {
  const q = (s: string): string => JSON.stringify(s); // JSON strings are valid YAML scalars
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: ray-console-test',
    '  cluster:',
    `    server: ${q(server)}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${q(user)}`,
    '  user:',
    `    token: ${q(token)}`,
    'contexts:',
    `- name: ${q(user)}`,
    '  context:',
    '    cluster: ray-console-test',
    `    user: ${q(user)}`,
    '    namespace: default',
    `current-context: ${q(user)}`,
    '',
  ].join('\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Process handling
// ---------------------------------------------------------------------------------------------

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  exitInfo: string | undefined;
}

/** Per control plane: hooks startOperator() needs (pid tracking for the watchdog, stop on cp.stop()). */
interface Internals {
  track(proc: Proc): void;
  beforeStop: Array<() => Promise<void>>;
  isApiServerRunning(): boolean;
}
const internals = new WeakMap<ControlPlane, Internals>();

/** Every live child of every control plane in this process, killed on process exit. */
const liveChildren = new Set<ChildProcess>();
const tempDirsToRemove = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of liveChildren) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const d of tempDirsToRemove) {
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });
}

function startProcess(name: string, bin: string, args: string[], logFile: string, env?: Record<string, string>): Proc {
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n==== ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  fs.closeSync(fd);
  liveChildren.add(child);
  const proc: Proc = {
    name,
    child,
    exitInfo: undefined,
    exited: new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        proc.exitInfo = `${name} exited (code ${String(code)}, signal ${String(signal)})`;
        liveChildren.delete(child);
        resolve();
      });
      child.once('error', (err) => {
        proc.exitInfo = `${name} could not be started: ${err.message}`;
        liveChildren.delete(child);
        resolve();
      });
    }),
  };
  return proc;
}

async function stopProcess(proc: Proc | undefined, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (!proc || proc.exitInfo !== undefined) return;
  proc.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    proc.exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  if (timer) clearTimeout(timer);
  if (timedOut && proc.exitInfo === undefined) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/**
 * A detached shell that kills our children (and removes the temp folder) if this Node process dies
 * without running its 'exit' handlers (SIGKILL, fatal signal). It only kills processes whose command
 * line mentions the data folder, so a recycled pid is never hit.
 */
function startWatchdog(dataDir: string, pidFile: string, removeDir: boolean): ChildProcess | undefined {
  const script = [
    'P="$1"; D="$2"; F="$3"; RM="$4"',
    'while kill -0 "$P" 2>/dev/null; do sleep 1; done',
    'for p in $(cat "$F" 2>/dev/null); do',
    '  if [ -r "/proc/$p/cmdline" ]; then tr "\\0" " " < "/proc/$p/cmdline" | grep -qF "$D" || continue; fi',
    '  kill -9 "$p" 2>/dev/null',
    'done',
    'if [ "$RM" = 1 ]; then rm -rf "$D"; fi',
  ].join('\n');
  try {
    const w = spawn(
      '/bin/sh',
      ['-c', script, 'watchdog', String(process.pid), dataDir, pidFile, removeDir ? '1' : '0'],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    w.on('error', () => undefined);
    w.unref();
    return w;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// CRDs
// ---------------------------------------------------------------------------------------------

interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
}
interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
}
interface CrdCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Crd extends KubeObject {
  status?: { conditions?: CrdCondition[] };
}

/** Parses every YAML document of a file into plain objects (empty documents skipped). */
export function loadYamlObjects<T = KubeObject>(file: string): T[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const out: T[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message ?? 'YAML error'}`);
    const v: unknown = d.toJS({ maxAliasCount: -1 });
    if (v !== null && v !== undefined) out.push(v as T);
  }
  return out;
}

const CRD_API = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

async function installCrd(server: string, token: string, crd: Crd, file: string): Promise<string> {
  const name = crd.metadata?.name;
  if (!name) throw new Error(`${file}: CRD without metadata.name`);
  let res = await kubeRequest<Crd>(server, token, 'POST', CRD_API, crd);
  if (res.status === 409) {
    // Already there (reused dataDir): replace it with this version.
    const cur = await kubeRequest<Crd>(server, token, 'GET', `${CRD_API}/${name}`);
    const rv = cur.body.metadata?.resourceVersion;
    res = await kubeRequest<Crd>(server, token, 'PUT', `${CRD_API}/${name}`, {
      ...crd,
      metadata: { ...crd.metadata, resourceVersion: rv },
    });
  }
  if (res.status < 200 || res.status > 299) {
    throw new Error(`installing CRD ${name} failed: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  }
  return name;
}

async function installCrds(server: string, token: string): Promise<void> {
  const crds = CRD_FILES.flatMap((file) => {
    const full = path.join(KUBERAY_CRD_DIR, file);
    return loadYamlObjects<Crd>(full).map((crd) => ({ crd, full }));
  });
  // Sent concurrently: the apiserver spends seconds of CPU per ~1 MB CRD (schema + OpenAPI).
  const names = await Promise.all(crds.map(({ crd, full }) => installCrd(server, token, crd, full)));
  for (const name of names) {
    await waitFor(`CRD ${name} Established`, READY_TIMEOUT_MS, async () => {
      const res = await kubeRequest<Crd>(server, token, 'GET', `${CRD_API}/${name}`);
      const est = res.body?.status?.conditions?.find((c) => c.type === 'Established');
      return est?.status === 'True' ? true : undefined;
    });
  }
  // Established can precede the resource being served by a moment: wait until each lists.
  for (const r of RAY_RESOURCES) {
    await waitFor(`ray.io/v1 ${r} served`, READY_TIMEOUT_MS, async () => {
      const res = await kubeRequest(server, token, 'GET', `/apis/ray.io/v1/${r}?limit=1`);
      return res.status === 200 ? true : undefined;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Control plane
// ---------------------------------------------------------------------------------------------

export async function startControlPlane(opts: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const etcdBin = requireBinary('etcd');
  const apiserverBin = requireBinary('kube-apiserver');
  if (!fs.existsSync(path.join(KUBERAY_CRD_DIR, CRD_FILES[0] ?? ''))) {
    throw new Error(`kube-control-plane: KubeRay CRDs not found in ${KUBERAY_CRD_DIR}`);
  }
  installExitHook();

  const ownsDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ray-console-kcp-'));
  fs.mkdirSync(dataDir, { recursive: true });
  if (ownsDir) tempDirsToRemove.add(dataDir);
  const pki = path.join(dataDir, 'pki');
  fs.mkdirSync(pki, { recursive: true, mode: 0o700 });
  const logs = { etcd: path.join(dataDir, 'etcd.log'), apiserver: path.join(dataDir, 'kube-apiserver.log') };
  const pidFile = path.join(dataDir, 'pids');

  // Users: bearer tokens (token,user,uid,"groups").
  const tok = (): string => randomBytes(24).toString('hex');
  const tokens: ControlPlaneTokens = { admin: tok(), viewer: tok(), noaccess: tok() };
  const tokenFile = path.join(pki, 'tokens.csv');
  fs.writeFileSync(
    tokenFile,
    [
      `${tokens.admin},admin,admin-uid,"system:masters"`,
      `${tokens.viewer},viewer,viewer-uid`,
      `${tokens.noaccess},noaccess,noaccess-uid`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  // Service-account signing keys.
  const saKey = path.join(pki, 'sa.key');
  const saPub = path.join(pki, 'sa.pub');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
  fs.writeFileSync(saPub, publicKey);

  const [etcdClientPort, etcdPeerPort, apiPort] = (await freePorts(3)) as [number, number, number];
  const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
  const server = `https://127.0.0.1:${apiPort}`;

  const etcdArgs = [
    '--name=kcp',
    `--data-dir=${path.join(dataDir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-cluster=kcp=http://127.0.0.1:${etcdPeerPort}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
    '--log-outputs=stderr',
  ];
  const apiserverArgs = [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${pki}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${saPub}`,
    `--service-account-signing-key-file=${saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    // Without this, SIGTERM hangs until the stop timeout while clients (e.g. the operator) hold
    // watches open; with it, watches are drained and the server exits in about a second.
    '--shutdown-watch-termination-grace-period=2s',
  ];

  let etcd: Proc | undefined;
  let apiserver: Proc | undefined;
  let watchdog: ChildProcess | undefined;
  const extra = new Set<Proc>();
  const beforeStop: Array<() => Promise<void>> = [];
  const writePids = (): void => {
    const pids = [etcd, apiserver, ...extra]
      .filter((p): p is Proc => p !== undefined && p.exitInfo === undefined)
      .map((p) => p.child.pid)
      .filter((p): p is number => typeof p === 'number');
    try {
      fs.writeFileSync(pidFile, pids.join('\n') + '\n');
    } catch {
      /* data folder already removed by stop() */
    }
  };

  const stopAll = async (): Promise<void> => {
    for (const fn of beforeStop.splice(0)) await fn().catch(() => undefined);
    for (const p of extra) await stopProcess(p);
    await stopProcess(apiserver);
    await stopProcess(etcd);
    if (watchdog?.pid !== undefined && watchdog.exitCode === null) {
      try {
        process.kill(watchdog.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (ownsDir) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      tempDirsToRemove.delete(dataDir);
    }
  };

  /** Builds the startup error; the logs are kept in <tmpdir>/ray-console-kcp-last-failure/ (dataDir is removed). */
  const failure = (msg: string, cause: unknown): Error => {
    let kept = '';
    if (ownsDir) {
      try {
        const dir = path.join(os.tmpdir(), 'ray-console-kcp-last-failure');
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        for (const f of [logs.etcd, logs.apiserver, path.join(dataDir, 'ray-operator.log')]) {
          if (fs.existsSync(f)) fs.copyFileSync(f, path.join(dir, path.basename(f)));
        }
        kept = ` (logs copied to ${dir})`;
      } catch {
        /* best effort */
      }
    }
    return new Error(
      `${msg}${kept}\n--- last 40 lines of kube-apiserver.log:\n${tail(logs.apiserver, 40)}` +
        `\n--- last 15 lines of etcd.log:\n${tail(logs.etcd, 15)}`,
      { cause },
    );
  };

  const startApiServerProcess = async (): Promise<void> => {
    apiserver = startProcess('kube-apiserver', apiserverBin, apiserverArgs, logs.apiserver);
    writePids();
    const proc = apiserver;
    await waitFor(
      `kube-apiserver ${server}/readyz`,
      READY_TIMEOUT_MS,
      async () => {
        const res = await kubeRequest(server, tokens.admin, 'GET', '/readyz');
        return res.status === 200 ? true : undefined;
      },
      () => proc.exitInfo,
    );
    // The `default` namespace is created by a controller shortly after /readyz.
    await waitFor(
      'namespace default',
      READY_TIMEOUT_MS,
      async () => {
        const res = await kubeRequest(server, tokens.admin, 'GET', '/api/v1/namespaces/default');
        return res.status === 200 ? true : undefined;
      },
      () => proc.exitInfo,
    );
  };

  const timings = { etcdReadyMs: 0, apiserverReadyMs: 0, crdsEstablishedMs: 0 };
  try {
    let t = Date.now();
    etcd = startProcess('etcd', etcdBin, etcdArgs, logs.etcd);
    writePids();
    watchdog = startWatchdog(dataDir, pidFile, ownsDir);
    const etcdProc = etcd;
    await waitFor(
      `etcd ${etcdUrl}/health`,
      READY_TIMEOUT_MS,
      async () => {
        const res = await httpGet(`${etcdUrl}/health`);
        return res.status === 200 && res.text.includes('"true"') ? true : undefined;
      },
      () => etcdProc.exitInfo,
    );
    timings.etcdReadyMs = Date.now() - t;

    t = Date.now();
    await startApiServerProcess();
    timings.apiserverReadyMs = Date.now() - t;

    t = Date.now();
    await installCrds(server, tokens.admin);
    timings.crdsEstablishedMs = Date.now() - t;
  } catch (e) {
    const err = failure(`kube-control-plane: startup failed: ${e instanceof Error ? e.message : String(e)}`, e);
    await stopAll().catch(() => undefined);
    throw err;
  }

  const kubeconfigPath = writeKubeconfig(path.join(dataDir, 'kubeconfig-admin.yaml'), server, tokens.admin, 'admin');

  const cp: ControlPlane = {
    server,
    adminToken: tokens.admin,
    kubeconfigPath,
    kubeconfigFor(token: string, file?: string): string {
      const user =
        token === tokens.admin
          ? 'admin'
          : token === tokens.viewer
            ? 'viewer'
            : token === tokens.noaccess
              ? 'noaccess'
              : 'user';
      const target =
        file ??
        path.join(dataDir, `kubeconfig-${user}-${createHash('sha256').update(token).digest('hex').slice(0, 8)}.yaml`);
      return writeKubeconfig(target, server, token, user);
    },
    tokens,
    dataDir,
    logs,
    timings,
    stop: stopAll,
    async stopApiServer(): Promise<void> {
      await stopProcess(apiserver);
      writePids();
    },
    async startApiServer(): Promise<void> {
      if (apiserver && apiserver.exitInfo === undefined) return; // still running
      if (!etcd || etcd.exitInfo !== undefined) throw new Error('kube-control-plane: etcd is not running (stopped?)');
      try {
        await startApiServerProcess();
      } catch (e) {
        throw failure(
          `kube-control-plane: restarting kube-apiserver failed: ${e instanceof Error ? e.message : String(e)}`,
          e,
        );
      }
    },
  };
  internals.set(cp, {
    track(proc: Proc): void {
      extra.add(proc);
      writePids();
      void proc.exited.then(() => {
        extra.delete(proc);
        writePids();
      });
    },
    beforeStop,
    isApiServerRunning: () => apiserver !== undefined && apiserver.exitInfo === undefined,
  });
  return cp;
}

// ---------------------------------------------------------------------------------------------
// KubeRay operator (self-built ray-operator binary; v1.6.1 at the time of writing because the Go
// proxy refuses the v1.7.0 module zip, see scripts/k8s/OPERATOR-BUILD.md)
// ---------------------------------------------------------------------------------------------

export interface StartOperatorOptions {
  /** Only watch these namespaces (--watch-namespace); default: all namespaces. */
  watchNamespaces?: string[];
  /** Extra command-line flags, e.g. ['--feature-gates=...']. */
  extraArgs?: string[];
  /** Extra environment variables for the operator process. */
  env?: Record<string, string>;
  /** How long to wait for the controllers to start (default 120 s). */
  timeoutMs?: number;
}

export interface RunningOperator {
  /** The operator's log file (console encoding). */
  logFile: string;
  /** The binary's path (the `ray-operator` symlink in the cache's bin folder). */
  binary: string;
  stop(): Promise<void>;
}

/** True when the ray-operator binary has been built (see scripts/k8s/build-control-plane.sh). */
export function operatorAvailable(): boolean {
  try {
    fs.accessSync(path.join(k8sBinDir(), 'ray-operator'), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the KubeRay operator outside the cluster against `cp` with the admin kubeconfig (KUBECONFIG env): leader
 * election off, metrics and health-probe endpoints disabled (`0`), console logs into
 * `<cp.dataDir>/ray-operator.log`. Resolves once the RayCluster, RayJob and RayService controllers
 * have started their workers. cp.stop() also stops it.
 */
export async function startOperator(cp: ControlPlane, opts: StartOperatorOptions = {}): Promise<RunningOperator> {
  const bin = requireBinary('ray-operator');
  const inner = internals.get(cp);
  if (!inner) throw new Error('startOperator: not a control plane returned by startControlPlane()');
  if (!inner.isApiServerRunning()) throw new Error('startOperator: kube-apiserver is not running');
  const logFile = path.join(cp.dataDir, 'ray-operator.log');
  const args = [
    '--enable-leader-election=false',
    '--metrics-addr=0',
    '--health-probe-bind-address=0',
    '--log-stdout-encoder=console',
    ...(opts.watchNamespaces && opts.watchNamespaces.length > 0
      ? [`--watch-namespace=${opts.watchNamespaces.join(',')}`]
      : []),
    ...(opts.extraArgs ?? []),
  ];
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const proc = startProcess('ray-operator', bin, args, logFile, { KUBECONFIG: cp.kubeconfigPath, ...opts.env });
  inner.track(proc);
  const stop = (): Promise<void> => stopProcess(proc);
  inner.beforeStop.push(stop);
  const controllers = ['raycluster', 'rayjob', 'rayservice'];
  try {
    await waitFor(
      'ray-operator controllers started',
      opts.timeoutMs ?? READY_TIMEOUT_MS,
      async () => {
        const text = fs.readFileSync(logFile).subarray(logStart).toString('utf8');
        const started = text.split('\n').filter((l) => l.includes('Starting workers'));
        return controllers.every((c) => started.some((l) => l.toLowerCase().includes(c))) ? true : undefined;
      },
      () => proc.exitInfo,
    );
  } catch (e) {
    await stop();
    throw new Error(
      `${e instanceof Error ? e.message : String(e)}\n--- last 40 lines of ${logFile}:\n${tail(logFile, 40)}`,
      { cause: e },
    );
  }
  return { logFile, binary: bin, stop };
}

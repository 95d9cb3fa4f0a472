// The Kubernetes suite's etcd, kube-apiserver and kustomize (and the KubeRay operator, when it builds), built from Go
// modules by scripts/k8s/build-control-plane.sh into a cache outside the clone. `npm test` builds them when
// they are missing, as it installs Ray and Chromium: once, about 15-30 min on 2 cores; seconds afterwards.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { cacheRoot, repoRoot } from './paths.mjs';

export const buildScript = path.join(repoRoot, 'scripts', 'k8s', 'build-control-plane.sh');

/**
 * Without these the Kubernetes suite cannot run (kustomize: deploy/ is built with the real tool, as
 * `kubectl apply -k` builds it for users); the operator is optional (the tests stand in for it).
 */
export const REQUIRED_BINARIES = ['etcd', 'kube-apiserver', 'kustomize'];

/**
 * The folder the test harness takes the binaries from (server/test/harness/kube-control-plane.ts):
 * RAY_CONSOLE_K8S_BIN, else `${RAY_CONSOLE_CACHE:-~/.cache/ray-console}/k8s/bin`.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function k8sBinDir(env = process.env) {
  if (env.RAY_CONSOLE_K8S_BIN) return env.RAY_CONSOLE_K8S_BIN;
  const cache = cacheRoot(env);
  return path.join(cache, 'k8s', 'bin');
}

/** @param {NodeJS.ProcessEnv} [env] */
export function missingBinaries(env = process.env) {
  return REQUIRED_BINARIES.filter((name) => {
    try {
      accessSync(path.join(k8sBinDir(env), name), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Builds the control plane when a required binary is missing, passing the build's own progress lines
 * through and saying every `quietMs` that it is still at work (`go build` of kube-apiserver prints
 * nothing for ten minutes and more). Rejects with the reason when the build fails.
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv, script?: string, quietMs?: number }} [options]
 * @returns {Promise<void>}
 */
export async function ensureControlPlane(options = {}) {
  const { env = process.env, script = buildScript, quietMs = 60_000 } = options;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const missing = missingBinaries(env);
  if (missing.length === 0) return;
  const bin = k8sBinDir(env);
  if (env.RAY_CONSOLE_K8S_BIN) {
    throw new Error(
      `RAY_CONSOLE_K8S_BIN=${bin} has no ${missing.join(' or ')}. Unset it to have them built into the cache, ` +
        'or build them there.',
    );
  }
  log(`Building the Kubernetes control plane into ${bin} (${missing.join(' and ')} missing).`);
  log(`Once, about 15-30 min on 2 cores; later runs reuse it. It needs Go >= 1.26 and the Go module proxy.`);
  log(`$ bash ${script}`);
  const started = Date.now();
  await new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = [];
    let last = Date.now();
    const onData = (chunk) => {
      last = Date.now();
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        log(`  ${line}`);
        tail = [...tail, line].slice(-20);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(
      () => {
        if (Date.now() - last < quietMs) return;
        last = Date.now();
        log(`  ... still building (${Math.round((Date.now() - started) / 60_000)} min so far)`);
      },
      Math.min(quietMs, 10_000),
    );
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        resolve(undefined);
        return;
      }
      // The script ends a failure with a line `error: ...` that names the cause (and the full log).
      const reason = tail.findLast((line) => line.startsWith('error:')) ?? tail.at(-1) ?? 'no output';
      reject(new Error(`bash ${script} exited with ${code}: ${reason}`));
    });
  });
  const stillMissing = missingBinaries(env);
  if (stillMissing.length > 0) {
    throw new Error(`bash ${script} finished, but ${bin} still has no ${stillMissing.join(' or ')}`);
  }
}

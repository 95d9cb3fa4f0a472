import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureControlPlane, missingBinaries } from './k8s-control-plane.mjs';

// A stand-in for scripts/k8s/build-control-plane.sh (the real one takes 15-30 min): same cache layout,
// same kind of output.
let scratch;
let env;
const binDir = () => path.join(scratch, 'cache', 'k8s', 'bin');

function fakeBuild(body) {
  const script = path.join(scratch, 'build.sh');
  writeFileSync(script, `set -euo pipefail\n${body}\n`);
  return script;
}

const buildsBoth = `
bin="$RAY_CONSOLE_CACHE/k8s/bin"; mkdir -p "$bin"
echo "[12:00:00] etcd v3.6.16: preparing wrapper module"
for b in etcd kube-apiserver kustomize; do printf '#!/bin/sh\\n' > "$bin/$b"; chmod +x "$bin/$b"; done
echo "[12:00:01] done"`;

beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'k8s-control-plane-test-'));
  env = { PATH: process.env.PATH, HOME: scratch, RAY_CONSOLE_CACHE: path.join(scratch, 'cache') };
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('ensureControlPlane', () => {
  it('builds etcd, kube-apiserver and kustomize when they are missing, and shows the build as it goes', async () => {
    expect(missingBinaries(env)).toEqual(['etcd', 'kube-apiserver', 'kustomize']);
    const lines = [];
    await ensureControlPlane({ env, script: fakeBuild(buildsBoth), log: (l) => lines.push(l) });
    expect(missingBinaries(env)).toEqual([]);
    expect(lines[0]).toContain(`Building the Kubernetes control plane into ${binDir()}`);
    expect(lines).toContain('  [12:00:00] etcd v3.6.16: preparing wrapper module');
  });

  it('says it is still building while the build prints nothing', async () => {
    // The build goes quiet (as go build of kube-apiserver does for ten minutes) until a heartbeat is seen.
    const heard = path.join(scratch, 'heard');
    const script = fakeBuild(`while [ ! -e ${heard} ]; do sleep 0.05; done\n${buildsBoth}`);
    const lines = [];
    const log = (line) => {
      lines.push(line);
      if (line.includes('... still building')) writeFileSync(heard, '');
    };
    await ensureControlPlane({ env, script, log, quietMs: 50 });
    expect(lines.some((l) => /^ {2}\.\.\. still building \(\d+ min so far\)$/.test(l))).toBe(true);
    expect(missingBinaries(env)).toEqual([]);
  });

  it('leaves a built control plane alone', async () => {
    mkdirSync(binDir(), { recursive: true });
    for (const b of ['etcd', 'kube-apiserver', 'kustomize']) {
      writeFileSync(path.join(binDir(), b), '#!/bin/sh\n');
      chmodSync(path.join(binDir(), b), 0o755);
    }
    const ran = path.join(scratch, 'ran');
    await ensureControlPlane({ env, script: fakeBuild(`touch ${ran}`), log: () => {} });
    expect(existsSync(ran)).toBe(false);
  });

  it("fails with the build's own error line, so npm test can report it in one line", async () => {
    const script = fakeBuild(
      'echo "[12:00:00] go: none"; echo "error: go is not installed (need Go >= 1.26)" >&2; exit 1',
    );
    await expect(ensureControlPlane({ env, script, log: () => {} })).rejects.toThrow(
      /exited with 1: error: go is not installed \(need Go >= 1\.26\)/,
    );
  });

  it('fails when the build succeeds without producing the binaries', async () => {
    await expect(ensureControlPlane({ env, script: fakeBuild('echo built'), log: () => {} })).rejects.toThrow(
      /still has no etcd or kube-apiserver or kustomize/,
    );
  });

  it('does not build into the cache when RAY_CONSOLE_K8S_BIN names another folder', async () => {
    const own = path.join(scratch, 'own-bin');
    const ran = path.join(scratch, 'ran');
    await expect(
      ensureControlPlane({ env: { ...env, RAY_CONSOLE_K8S_BIN: own }, script: fakeBuild(`touch ${ran}`) }),
    ).rejects.toThrow(`RAY_CONSOLE_K8S_BIN=${own} has no etcd or kube-apiserver or kustomize`);
    expect(existsSync(ran)).toBe(false);
  });
});

/**
 * Smoke check of the kube control-plane harness (not a vitest file).
 *
 *   bash scripts/k8s/build-control-plane.sh        # once; binaries are cached
 *   npx tsx server/test/harness/kube-control-plane.smoke.ts
 *
 * Starts etcd + kube-apiserver, checks the KubeRay CRDs, creates a namespace and the RayCluster
 * sample ray-cluster.auth.yaml, restarts the API server, checks RBAC denial for `viewer`, stops.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  KUBERAY_SAMPLES_DIR,
  kubeRequest,
  loadYamlObjects,
  operatorAvailable,
  startControlPlane,
  startOperator,
  type ControlPlane,
  type RunningOperator,
} from './kube-control-plane.js';

interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
}
interface Item {
  metadata?: Meta;
}
interface List<T = Item> {
  items?: T[];
}
interface RayClusterLike {
  apiVersion?: string;
  kind?: string;
  metadata?: Meta;
  spec?: { authOptions?: { mode?: string }; rayVersion?: string };
}
interface SecretLike {
  metadata?: Meta & { labels?: Record<string, string> };
  data?: Record<string, string>;
}
interface Status {
  kind?: string;
  reason?: string;
  code?: number;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(`smoke check failed: ${msg}`);
  console.log(`  ok  ${msg}`);
}

/** Polls `fn` until it returns true (every 250 ms, at most `timeoutMs`); returns the time taken. */
async function until(what: string, timeoutMs: number, fn: () => Promise<boolean>): Promise<number> {
  const t = Date.now();
  while (!(await fn())) {
    if (Date.now() - t > timeoutMs) throw new Error(`smoke check failed: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - t;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  console.log('starting control plane ...');
  const cp: ControlPlane = await startControlPlane();
  let stopped = false;
  try {
    console.log(`  server ${cp.server}, data ${cp.dataDir}`);
    console.log(`  started in ${Date.now() - t0} ms; timings ${JSON.stringify(cp.timings)}`);
    const admin = cp.tokens.admin;

    // CRDs
    const crds = await kubeRequest<List>(
      cp.server,
      admin,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
    const names = (crds.body.items ?? []).map((i) => i.metadata?.name ?? '').sort();
    console.log(`  CRDs: ${names.join(', ')}`);
    for (const n of ['rayclusters.ray.io', 'rayjobs.ray.io', 'rayservices.ray.io']) {
      check(names.includes(n), `CRD ${n} installed`);
    }

    // KubeRay operator (when it has been built)
    let operator: RunningOperator | undefined;
    if (operatorAvailable()) {
      const t = Date.now();
      operator = await startOperator(cp);
      console.log(`  ray-operator (${operator.binary}) controllers started in ${Date.now() - t} ms`);
    } else {
      console.log('  (ray-operator not built: operator checks skipped)');
    }

    // Namespace + RayCluster from the sample
    const ns = `smoke-${randomBytes(3).toString('hex')}`;
    const nsRes = await kubeRequest(cp.server, admin, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    check(nsRes.status === 201, `namespace ${ns} created (HTTP ${nsRes.status})`);

    const [sample] = loadYamlObjects<RayClusterLike>(path.join(KUBERAY_SAMPLES_DIR, 'ray-cluster.auth.yaml'));
    if (!sample) throw new Error('sample ray-cluster.auth.yaml is empty');
    const rcPath = `/apis/ray.io/v1/namespaces/${ns}/rayclusters`;
    const created = await kubeRequest<RayClusterLike>(cp.server, admin, 'POST', rcPath, sample);
    check(
      created.status === 201,
      `RayCluster created (HTTP ${created.status}${created.status === 201 ? '' : ` ${created.text}`})`,
    );
    const name = sample.metadata?.name ?? '';
    const got = await kubeRequest<RayClusterLike>(cp.server, admin, 'GET', `${rcPath}/${name}`);
    check(got.status === 200 && got.body.metadata?.name === name, `RayCluster ${ns}/${name} read back`);
    check(got.body.spec?.authOptions?.mode === 'token', 'spec.authOptions.mode survived (CRD is v1.7.0, not pruned)');

    const svcPath = `/api/v1/namespaces/${ns}/services/${name}-head-svc`;
    if (operator) {
      const ms = await until('operator Secret + head Service + Pods', 60_000, async () => {
        const sec = await kubeRequest<SecretLike>(cp.server, admin, 'GET', `/api/v1/namespaces/${ns}/secrets/${name}`);
        const svc = await kubeRequest(cp.server, admin, 'GET', svcPath);
        const pods = await kubeRequest<List>(
          cp.server,
          admin,
          'GET',
          `/api/v1/namespaces/${ns}/pods?labelSelector=ray.io/cluster=${name}`,
        );
        return (
          sec.status === 200 &&
          typeof sec.body.data?.auth_token === 'string' &&
          svc.status === 200 &&
          (pods.body.items ?? []).length >= 2
        );
      });
      check(
        true,
        `operator created Secret ${name} (auth_token), Service ${name}-head-svc and head+worker Pods in ${ms} ms`,
      );
    }

    // Outage + recovery
    let t = Date.now();
    await cp.stopApiServer();
    console.log(`  kube-apiserver stopped in ${Date.now() - t} ms`);
    let refused = false;
    try {
      await kubeRequest(cp.server, admin, 'GET', '/readyz');
    } catch (e) {
      refused = true;
      console.log(`  (while down: ${e instanceof Error ? e.message : String(e)})`);
    }
    check(refused, 'API server unreachable while stopped');
    t = Date.now();
    await cp.startApiServer();
    console.log(`  kube-apiserver restarted and ready in ${Date.now() - t} ms`);
    const again = await kubeRequest<RayClusterLike>(cp.server, admin, 'GET', `${rcPath}/${name}`);
    check(
      again.status === 200 && again.body.metadata?.uid === got.body.metadata?.uid,
      'RayCluster still there after restart (same uid)',
    );

    if (operator) {
      const before = await kubeRequest<Item>(cp.server, admin, 'GET', svcPath);
      const del = await kubeRequest(cp.server, admin, 'DELETE', svcPath);
      check(del.status === 200, 'deleted the head Service after the restart');
      const ms = await until('head Service re-created', 60_000, async () => {
        const svc = await kubeRequest<Item>(cp.server, admin, 'GET', svcPath);
        return svc.status === 200 && svc.body.metadata?.uid !== before.body.metadata?.uid;
      });
      check(true, `operator reconnected and re-created the head Service in ${ms} ms`);
    }

    // RBAC: users without bindings
    for (const user of ['viewer', 'noaccess'] as const) {
      const res = await kubeRequest<Status>(cp.server, cp.tokens[user], 'GET', '/apis/ray.io/v1/rayclusters');
      check(res.status === 403, `${user} listing rayclusters gets 403 (got ${res.status} ${res.body.reason ?? ''})`);
    }
    const bogus = await kubeRequest<Status>(cp.server, 'not-a-token', 'GET', '/apis/ray.io/v1/rayclusters');
    check(bogus.status === 401, `unknown token gets 401 (got ${bogus.status})`);

    // Kubeconfigs (checked with kubectl when it is installed)
    const viewerKubeconfig = cp.kubeconfigFor(cp.tokens.viewer);
    check(fs.existsSync(cp.kubeconfigPath) && fs.existsSync(viewerKubeconfig), 'kubeconfig files written');
    const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));
    if (kubectl) {
      const out = execFileSync(kubectl, ['--kubeconfig', cp.kubeconfigPath, 'get', 'rayclusters', '-A', '-o', 'name'], {
        encoding: 'utf8',
      });
      check(out.includes(`raycluster.ray.io/${name}`), `kubectl (admin kubeconfig) lists ${out.trim()}`);
      let denied = '';
      try {
        execFileSync(kubectl, ['--kubeconfig', viewerKubeconfig, 'get', 'rayclusters', '-n', ns], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        denied = e instanceof Error ? e.message : String(e);
      }
      check(/forbidden/i.test(denied), 'kubectl (viewer kubeconfig) is forbidden');
    } else {
      console.log('  (kubectl not installed: kubeconfig not exercised)');
    }

    t = Date.now();
    const dir = cp.dataDir;
    await cp.stop();
    stopped = true;
    console.log(`  stopped in ${Date.now() - t} ms`);
    check(!fs.existsSync(dir), 'temporary folder removed');
    console.log(`SMOKE OK in ${Date.now() - t0} ms`);
  } finally {
    if (!stopped) await cp.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '@ray-console/shared';
import { createKubernetesClient } from '../../src/kubernetes/kube-client.js';
import { expectCommand } from '../support/shell-words.js';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects, writeKubeconfig, type KubeObject } from './support/kube.js';
import { KubeRay, rayClusterFromSample, type RayClusterJson } from './support/kuberay.js';

const REFRESH_SECONDS = 1;
/** A change must show within one refresh interval plus one round of lists (generous for a busy 2-core machine). */
const WITHIN_MS = REFRESH_SECONDS * 1000 + 2500;

const ctx = kubeContext();
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);

let nsOperator: string;
let nsSecretRef: string;
let nsManual: string;
let nsMisc: string;
let console_: RunningConsole;

const byId = (list: ClusterSummary[], namespace: string, name: string) =>
  list.find((c) => c.id === `k8s~${namespace}~${name}`);

/** `kubectl get secret ... | base64 -d`, done by the test with admin rights (the console has none). */
async function secretValue(namespace: string, name: string, key: string): Promise<string> {
  const res = await kube.get<{ data?: Record<string, string> }>('Secret', namespace, name);
  expect(res.status, `Secret ${namespace}/${name}`).toBe(200);
  const value = res.body.data?.[key];
  expect(value, `key ${key} of Secret ${namespace}/${name}`).toBeDefined();
  return Buffer.from(value ?? '', 'base64').toString('utf8');
}

beforeAll(async () => {
  const names = await Promise.all(['op', 'ref', 'manual', 'misc'].map((p) => kube.createNamespace(`disc-${p}`)));
  [nsOperator, nsSecretRef, nsManual, nsMisc] = names as [string, string, string, string];
  const [authSample] = sampleObjects('ray-cluster.auth.yaml', nsOperator) as [RayClusterJson];
  const secretRef = sampleObjects('ray-cluster.auth.secret-ref.yaml', nsSecretRef);
  const [manual] = sampleObjects('ray-cluster.auth-manual.yaml', nsManual) as [RayClusterJson];
  // What the manual sample's comment tells its users to run before applying it.
  await kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'ray-cluster-with-auth', namespace: nsManual },
    stringData: { auth_token: 'raycluster_secret' },
  });
  for (const o of secretRef.filter((o) => o.kind === 'Secret')) await kube.create(o);
  const clusters: RayClusterJson[] = [
    authSample,
    ...(secretRef.filter((o) => o.kind === 'RayCluster') as RayClusterJson[]),
    manual,
    rayClusterFromSample(authSample, 'no-auth', nsMisc, { authOptions: { mode: 'disabled' } }),
    rayClusterFromSample(authSample, 'k8s-token', nsMisc, {
      rayVersion: '2.55.0',
      authOptions: { mode: 'token', enableK8sTokenAuth: true },
    }),
  ];
  await Promise.all(clusters.map((rc) => kuberay.createCluster(rc)));
  console_ = await startConsole({
    KUBERNETES_DISCOVERY: 'true',
    KUBECONFIG: ctx.kubeconfigPath,
    KUBERNETES_NAMESPACES: [nsOperator, nsSecretRef, nsManual, nsMisc].join(','),
    KUBERNETES_REFRESH_SECONDS: String(REFRESH_SECONDS),
  });
});

afterAll(async () => {
  await console_?.close();
});

describe('Kubernetes discovery against a real API server', () => {
  it('lists exactly the five RayClusters, each with its auth mode and where its token is', async () => {
    const list = await console_.waitForDiscovery(
      'five discovered clusters',
      (s, l) => s.state === 'ok' && l.length === 5,
    );
    expect(list.map((c) => c.id).sort()).toEqual(
      [
        `k8s~${nsOperator}~ray-cluster-with-auth`,
        `k8s~${nsSecretRef}~ray-cluster-with-auth`,
        `k8s~${nsManual}~ray-cluster-with-auth`,
        `k8s~${nsMisc}~no-auth`,
        `k8s~${nsMisc}~k8s-token`,
      ].sort(),
    );

    const operatorMade = byId(list, nsOperator, 'ray-cluster-with-auth');
    expect(operatorMade?.displayName).toBe(`${nsOperator}/ray-cluster-with-auth`);
    expect(operatorMade?.kubernetes).toMatchObject({
      namespace: nsOperator,
      name: 'ray-cluster-with-auth',
      rayVersion: '2.53.0',
      ready: false,
      workers: { desired: 1, available: 0 },
      auth: { mode: 'token', source: 'authOptions', secret: { name: 'ray-cluster-with-auth', key: 'auth_token' } },
      connection: {
        via: 'proxy',
        url: `${ctx.server}/api/v1/namespaces/${nsOperator}/services/ray-cluster-with-auth-head-svc:dashboard/proxy`,
      },
    });
    expect(operatorMade?.kubernetes?.conditions).toContainEqual(
      expect.objectContaining({ type: 'HeadPodReady', status: 'False' }),
    );
    expect(operatorMade?.tokenHint?.kind).toBe('kubernetes-secret');
    // The line to copy, as the shell will read it (each word quoted, see raycluster-view.test.ts).
    expectCommand(operatorMade?.tokenHint?.command, [
      ['kubectl', 'get', 'secret', 'ray-cluster-with-auth', '-n', nsOperator, '-o', 'jsonpath={.data.auth_token}'],
      ['base64', '-d'],
    ]);

    const secretRef = byId(list, nsSecretRef, 'ray-cluster-with-auth');
    expect(secretRef?.kubernetes?.auth).toEqual({
      mode: 'token',
      source: 'authOptions',
      secret: { name: 'ray-cluster-token', key: 'auth_token' },
    });
    expectCommand(secretRef?.tokenHint?.command, [
      ['kubectl', 'get', 'secret', 'ray-cluster-token', '-n', nsSecretRef, '-o', 'jsonpath={.data.auth_token}'],
      ['base64', '-d'],
    ]);

    const manual = byId(list, nsManual, 'ray-cluster-with-auth');
    expect(manual?.kubernetes?.auth).toEqual({
      mode: 'token',
      source: 'env',
      secret: { name: 'ray-cluster-with-auth', key: 'auth_token' },
    });
    expect(manual?.kubernetes?.rayVersion).toBeUndefined();

    const noAuth = byId(list, nsMisc, 'no-auth');
    expect(noAuth?.kubernetes?.auth).toEqual({ mode: 'disabled', source: 'authOptions' });
    expect(noAuth?.tokenHint).toBeUndefined();

    const k8sToken = byId(list, nsMisc, 'k8s-token');
    expect(k8sToken?.kubernetes?.auth).toEqual({ mode: 'kubernetes-token', source: 'authOptions' });
    expect(k8sToken?.tokenHint?.kind).toBe('kubernetes-token');
    expectCommand(k8sToken?.tokenHint?.command, [
      ['kubectl', 'create', 'token', 'SERVICE_ACCOUNT', '-n', nsMisc, '--duration=1h'],
    ]);

    // Every Secret a hint names holds the token under that key: the operator's own (named after the
    // cluster), the user's (secretName), and the hand-made one of the manual sample.
    const tokens = [
      await secretValue(nsOperator, 'ray-cluster-with-auth', 'auth_token'),
      await secretValue(nsSecretRef, 'ray-cluster-token', 'auth_token'),
      await secretValue(nsManual, 'ray-cluster-with-auth', 'auth_token'),
    ];
    expect(tokens[1]).toBe('super-secret-example-token');
    // ...and the console, which cannot read Secrets, never shows one.
    for (const res of console_.client.responses) for (const t of tokens) expect(res.text).not.toContain(t);

    if (ctx.operator) {
      // The operator's Secret: named after the cluster, labelled with it, owned by it (so deleted with it).
      const made = await kube.get<KubeObject>('Secret', nsOperator, 'ray-cluster-with-auth');
      expect(made.body.metadata.labels).toEqual({ 'ray.io/cluster': 'ray-cluster-with-auth' });
      expect(made.body.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'RayCluster', name: 'ray-cluster-with-auth', controller: true }),
      ]);
      // With authOptions.secretName it makes none, and the user's Secret is used as it is.
      expect((await kube.get('Secret', nsSecretRef, 'ray-cluster-with-auth')).status).toBe(404);
      // The head Service: headless, the head container's named ports plus metrics, sorted by name.
      const svc = await kube.get<KubeObject & { spec: { clusterIP: string; ports: { name: string; port: number }[] } }>(
        'Service',
        nsOperator,
        'ray-cluster-with-auth-head-svc',
      );
      expect(svc.body.spec.clusterIP).toBe('None');
      expect(svc.body.spec.ports.map((p) => `${p.name}:${p.port}`)).toEqual([
        'client:10001',
        'dashboard:8265',
        'gcs-server:6379',
        'metrics:8080',
      ]);
      // The real operator's head Pods read RAY_AUTH_TOKEN from exactly the Secret the hint names.
      for (const [ns, secret] of [
        [nsOperator, 'ray-cluster-with-auth'],
        [nsSecretRef, 'ray-cluster-token'],
      ] as const) {
        const [pod] = await kube.list<
          KubeObject & { spec: { containers: { env?: { name: string; valueFrom?: unknown }[] }[] } }
        >('Pod', ns, 'ray.io/cluster=ray-cluster-with-auth,ray.io/node-type=head');
        const env = pod?.spec.containers[0]?.env ?? [];
        expect(env.find((e) => e.name === 'RAY_AUTH_TOKEN')?.valueFrom).toEqual({
          secretKeyRef: { name: secret, key: 'auth_token' },
        });
        expect(env).toContainEqual({ name: 'RAY_AUTH_MODE', value: 'token' });
      }
      // enableK8sTokenAuth: no token at all in the head's env, only the switch to Kubernetes tokens.
      const [k8sHead] = await kube.list<
        KubeObject & { spec: { containers: { env?: { name: string; value?: string }[] }[] } }
      >('Pod', nsMisc, 'ray.io/cluster=k8s-token,ray.io/node-type=head');
      const k8sEnv = k8sHead?.spec.containers[0]?.env ?? [];
      expect(k8sEnv).toContainEqual({ name: 'RAY_ENABLE_K8S_TOKEN_AUTH', value: 'true' });
      expect(k8sEnv.some((e) => e.name === 'RAY_AUTH_TOKEN')).toBe(false);
    }
  });

  it('shows a cluster created and drops one deleted while it runs, within the refresh interval', async () => {
    const [sample] = sampleObjects('ray-cluster.auth.yaml', nsMisc) as [RayClusterJson];
    await kube.create(rayClusterFromSample(sample, 'fresh', nsMisc));
    const created = Date.now();
    await console_.waitForDiscovery('the new cluster', (_s, l) => byId(l, nsMisc, 'fresh') !== undefined, WITHIN_MS);
    const appearedMs = Date.now() - created;

    await kube.delete('RayCluster', nsMisc, 'no-auth');
    const deleted = Date.now();
    await console_.waitForDiscovery('no-auth gone', (_s, l) => byId(l, nsMisc, 'no-auth') === undefined, WITHIN_MS);
    const vanishedMs = Date.now() - deleted;
    process.stderr.write(
      `discovery: a created cluster showed after ${appearedMs} ms, a deleted one went after ${vanishedMs} ms\n`,
    );
  });

  it("files a RayJob's cluster under the RayJob", async () => {
    // With the operator, the RayJob creates (and owns) the cluster it runs on, named <rayjob>-<5 characters>.
    const [sample] = sampleObjects('ray-cluster.auth.yaml', nsMisc) as [RayClusterJson];
    const jobCluster = await kuberay.createRayJob(nsMisc, 'nightly', sample.spec);
    expect(jobCluster.metadata.name).toMatch(/^nightly-[a-z0-9]{5}$/);
    const list = await console_.waitForDiscovery(
      'the RayJob cluster',
      (_s, l) => byId(l, nsMisc, jobCluster.metadata.name) !== undefined,
    );
    expect(byId(list, nsMisc, jobCluster.metadata.name)?.kubernetes?.owner).toEqual({
      kind: 'RayJob',
      name: 'nightly',
    });
  });

  it('follows readiness from the status conditions', async () => {
    await kuberay.markHeadReady(nsOperator, 'ray-cluster-with-auth');
    const list = await console_.waitForDiscovery(
      'the head to be ready',
      (_s, l) => byId(l, nsOperator, 'ray-cluster-with-auth')?.kubernetes?.ready === true,
      WITHIN_MS,
    );
    expect(byId(list, nsOperator, 'ray-cluster-with-auth')?.kubernetes?.conditions).toContainEqual(
      expect.objectContaining({ type: 'HeadPodReady', status: 'True', reason: 'HeadPodRunningAndReady' }),
    );
  });

  it("builds a service-proxy URL the API server accepts with the console's Kubernetes credentials", async () => {
    const get = (token: string) => {
      const client = createKubernetesClient(
        { kind: 'kubeconfig', files: [writeKubeconfig(ctx, token)], context: undefined },
        { timeoutMs: 10_000 },
      );
      const endpoint = client.serviceProxyEndpoint(nsOperator, 'ray-cluster-with-auth-head-svc', 'dashboard');
      return new Promise<{ status: number; text: string }>((resolve, reject) => {
        void Promise.resolve(endpoint.headers?.()).then((headers) => {
          const req = https.request(`${endpoint.baseUrl}/api/version`, { headers, agent: endpoint.agent }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          });
          req.on('error', reject);
          req.end();
        }, reject);
      });
    };
    // Admin may proxy; the head has no endpoints here (no kubelet), which is as far as a request can go.
    const admin = await get(ctx.adminToken);
    expect(admin.status).toBe(503);
    expect(admin.text).toContain('no endpoints available for service');
    // Proxying needs `get` on services/proxy, which a plain user lacks.
    const viewer = await get(ctx.tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.text).toContain('cannot get resource \\"services/proxy\\"');
  });
});

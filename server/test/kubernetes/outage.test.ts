import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects } from './support/kube.js';
import { KubeRay, rayClusterFromSample, type RayClusterJson } from './support/kuberay.js';

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);

let ns: string;
let running: RunningConsole;
let sample: RayClusterJson;

beforeAll(async () => {
  ns = await kube.createNamespace('outage');
  [sample] = sampleObjects('ray-cluster.auth.yaml', ns) as [RayClusterJson];
  await kuberay.createCluster(sample);
  running = await startConsole({
    KUBERNETES_DISCOVERY: 'true',
    KUBECONFIG: ctx.kubeconfigPath,
    KUBERNETES_NAMESPACES: ns,
    KUBERNETES_REFRESH_SECONDS: '1',
    RAY_DASHBOARD_URL: head.dashboardUrl,
  });
});

afterAll(async () => {
  await running?.close();
  // Whatever happened above, the other test files need the API server back.
  await kube.apiServer('start');
});

describe('an API server outage', () => {
  it('is reported, leaves configured clusters working, and discovery recovers when it returns', async () => {
    const discovered = `k8s~${ns}~ray-cluster-with-auth`;
    await running.waitForDiscovery(
      'discovery before the outage',
      (s, l) => s.state === 'ok' && l.some((c) => c.id === discovered),
    );
    expect((await running.client.login('default', head.token)).status).toBe(200);
    const before = await running.discoveryStatus();

    await kube.apiServer('stop');
    try {
      await running.waitForDiscovery('the unreachable state', (s) => s.state === 'unreachable');
      const status = await running.discoveryStatus();
      expect(status.message).toMatch(
        /The Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ cannot be reached \(connection refused\); the console keeps trying\./,
      );
      expect(status.message).toContain('Clusters configured by hand keep working.');
      // The last success is from before the outage; attempts go on.
      expect(Date.parse(status.lastSuccessAt ?? '')).toBeGreaterThanOrEqual(Date.parse(before.lastSuccessAt ?? ''));
      expect(Date.parse(status.lastAttemptAt ?? '')).toBeGreaterThan(Date.parse(status.lastSuccessAt ?? ''));
      // What was found before stays listed (its head may well be up); the configured cluster works.
      expect((await running.clusters()).map((c) => c.id).sort()).toEqual(['default', discovered].sort());
      expect((await running.client.get('/api/clusters/default/resources')).status).toBe(200);
    } finally {
      await kube.apiServer('start');
    }

    // Back: the state clears and changes made since are seen.
    await kuberay.createCluster(rayClusterFromSample(sample, 'after-outage', ns));
    await running.waitForDiscovery(
      'discovery after the outage',
      (s, l) => s.state === 'ok' && l.some((c) => c.id === `k8s~${ns}~after-outage`),
    );
    expect((await running.discoveryStatus()).message).toBeUndefined();
  });
});

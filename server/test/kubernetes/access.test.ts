import path from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/kube-control-plane.js';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, renderKustomization, sampleObjects, writeKubeconfig } from './support/kube.js';
import { KubeRay, type RayClusterJson } from './support/kuberay.js';

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);
const DEPLOY = path.join(PROJECT_ROOT, 'deploy');
const BASE = path.join(DEPLOY, 'base');

let consoleNs: string;
let teamNs: string;
let running: RunningConsole | undefined;

beforeAll(async () => {
  [consoleNs, teamNs] = await Promise.all([kube.createNamespace('ray-console'), kube.createNamespace('access-team')]);
  const [rc] = sampleObjects('ray-cluster.auth.yaml', teamNs) as [RayClusterJson];
  await kuberay.createCluster(rc);
});

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('what the console may do in Kubernetes', () => {
  it('deploy/ passes a server-side dry run, the namespaced RBAC too', async () => {
    const objects = [
      ...renderKustomization(BASE, consoleNs),
      ...renderKustomization(path.join(DEPLOY, 'namespaced-rbac'), teamNs),
    ];
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Role',
        'RoleBinding',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    for (const obj of objects) {
      const res = await kube.apply(obj, { dryRun: true });
      expect(res.status, `${obj.kind}/${obj.metadata.name}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
    // A dry run stores nothing.
    expect((await kube.get('Deployment', consoleNs, 'ray-console')).status).toBe(404);
  });

  it('as the service account bound to the shipped RBAC, discovery works and reading a Secret is refused', async () => {
    // The real thing, not a dry run: the ServiceAccount and its ClusterRole(Binding) from deploy/.
    for (const obj of renderKustomization(BASE, consoleNs).filter((o) =>
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
    )) {
      const res = await kube.apply(obj);
      expect(res.status, `${obj.kind}/${obj.metadata.name}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
    const token = await kube.serviceAccountToken(consoleNs, 'ray-console');
    running = await startConsole({
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: writeKubeconfig(ctx, token, 'ray-console'),
      KUBERNETES_REFRESH_SECONDS: '1',
    });
    const list = await running.waitForDiscovery(
      'discovery as the service account',
      (s, l) => s.state === 'ok' && l.some((c) => c.id === `k8s~${teamNs}~ray-cluster-with-auth`),
    );
    // It names the Secret...
    expect(list.find((c) => c.id === `k8s~${teamNs}~ray-cluster-with-auth`)?.tokenHint?.command).toContain(
      `get secret ray-cluster-with-auth -n ${teamNs}`,
    );
    // ...that its identity may not read: real requests, refused by the API server's RBAC.
    const sa = kube.as(token);
    const read = await sa.get('Secret', teamNs, 'ray-cluster-with-auth');
    expect(read.status).toBe(403);
    expect(read.text).toContain(`system:serviceaccount:${consoleNs}:ray-console`);
    expect((await sa.request('GET', `/api/v1/namespaces/${teamNs}/secrets`)).status).toBe(403);
    expect((await sa.request('GET', '/api/v1/secrets')).status).toBe(403);
    // Nor may it write what it reads.
    expect(
      (await sa.request('DELETE', `/apis/ray.io/v1/namespaces/${teamNs}/rayclusters/ray-cluster-with-auth`)).status,
    ).toBe(403);
  });

  it('without list permission it says discovery is not permitted (the details only to the signed-in), and configured clusters keep working', async () => {
    running = await startConsole({
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: writeKubeconfig(ctx, ctx.tokens.noaccess, 'noaccess'),
      KUBERNETES_REFRESH_SECONDS: '1',
      RAY_DASHBOARD_URL: head.dashboardUrl,
    });
    await running.waitForDiscovery('the forbidden state', (s) => s.state === 'forbidden');
    // An anonymous visitor learns that discovery is refused, not the API server's address or its answer.
    const anonymous = await running.discoveryStatus();
    expect(anonymous.message).toBe(
      'Kubernetes discovery is not permitted to list RayClusters. Sign in to a cluster, or read the console log, for the details. Clusters configured by hand keep working.',
    );
    expect(JSON.stringify(anonymous)).not.toContain(ctx.server);
    expect(JSON.stringify(anonymous)).not.toContain('noaccess');
    // Signed in to a cluster, the details are there.
    expect((await running.client.login('default', head.token)).status).toBe(200);
    const status = await running.discoveryStatus();
    expect(status.message).toContain('The console is not permitted to list RayClusters (ray.io/v1) in all namespaces');
    expect(status.message).toContain(
      'User \\"noaccess\\" cannot list resource \\"rayclusters\\"'.replaceAll('\\"', '"'),
    );
    expect(status.message).toContain('the RBAC in deploy/ does');
    expect(status.message).toContain('Clusters configured by hand keep working.');
    expect(status.lastSuccessAt).toBeUndefined();

    const clusters = await running.clusters();
    expect(clusters.map((c) => c.id)).toEqual(['default']);
    expect((await running.client.get('/api/clusters/default/resources')).status).toBe(200);
  });
});

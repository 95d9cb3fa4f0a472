import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClusterSummary } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { waitFor } from '../support/wait.js';
import { startConsole, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects, writeKubeconfig } from './support/kube.js';
import type { RayClusterJson } from './support/kuberay.js';
import { startPodNetwork, type PodNetwork } from './support/netns.js';
import { startRecorder, type Recorder } from './support/recorder.js';

// The console reaches a discovered head through the API server's service proxy, as it does outside a
// cluster, and the real Ray head answers. The API server proxies only to the address of a Pod, and never
// to a loopback one: so a stand-in head Pod gets an address in a network namespace this file makes
// (support/netns.ts), where one port leads to the real Ray head (Service head-a) and another to a
// recorder that stands for someone else's server (head-b).

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);

let ip: string;
let ns: string;
let pod: PodNetwork;
let relay: net.Server;
let recorder: Recorder;
let running: RunningConsole;
const CLUSTER = 'moving';
let id: string;

/** A relay to the real Ray head; it listens nowhere itself, the Pod network hands it connections. */
function headRelay(): net.Server {
  const target = new URL(head.dashboardUrl);
  return net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
}

/** A selectorless head Service whose only endpoint is the stand-in Pod at `ip:port`. */
async function headService(name: string, port: number): Promise<void> {
  await kube.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { 'ray.io/node-type': 'head', 'ray.io/cluster': CLUSTER } },
    spec: { ports: [{ name: 'dashboard', port: 8265, targetPort: port }] },
  });
  await kube.ok('POST', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: [ip],
        conditions: { ready: true },
        targetRef: { kind: 'Pod', namespace: ns, name: 'head-stand-in' },
      },
    ],
    ports: [{ name: 'dashboard', port, protocol: 'TCP' }],
  });
}

/** Waits until the console reaches the real head through the proxy; on failure says what the proxy answers. */
async function headThroughProxy(console_: RunningConsole): Promise<void> {
  try {
    await console_.waitForDiscovery(
      'the head through the proxy',
      (_s, l) => l.find((c) => c.id === id)?.authMode === 'token',
    );
  } catch (err) {
    const res = await kube.request(
      'GET',
      `/api/v1/namespaces/${ns}/services/head-a:dashboard/proxy/api/authentication_mode`,
    );
    const list = JSON.stringify(await console_.clusters());
    throw new Error(
      `${(err as Error).message}; as admin the proxy answers ${res.status} ${res.text.slice(0, 300)}; the console lists ${list.slice(0, 1000)}`,
      { cause: err },
    );
  }
}

const summary = async (client: BffClient): Promise<ClusterSummary | undefined> => {
  const res = await client.get('/api/clusters');
  return res.json<ClusterSummary[]>().find((c) => c.id === id);
};

beforeAll(async () => {
  [ns, pod, recorder] = await Promise.all([kube.createNamespace('moving'), startPodNetwork(), startRecorder()]);
  ip = pod.podIp;
  relay = headRelay();
  const [relayPort, recorderPort] = [await pod.expose(relay), await pod.expose(recorder.server)];
  id = `k8s~${ns}~${CLUSTER}`;
  await kube.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'head-stand-in', namespace: ns },
    spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] },
  });
  // What a kubelet would write: the Pod's address, which the proxy checks each endpoint against.
  await kube.patchStatus('Pod', ns, 'head-stand-in', { phase: 'Running', podIP: ip, podIPs: [{ ip }] });
  await headService('head-a', relayPort);
  await headService('head-b', recorderPort);
  const [sample] = sampleObjects('ray-cluster.auth.yaml', ns) as [RayClusterJson];
  // Another controller's cluster (KubeRay leaves it alone), so its status is what this test writes.
  await kube.create({
    ...sample,
    metadata: { name: CLUSTER, namespace: ns },
    spec: { ...sample.spec, managedBy: 'kueue.x-k8s.io/multikueue' },
  });
  await kube.patchStatus('RayCluster', ns, CLUSTER, { head: { serviceName: 'head-a' } });
});

afterAll(async () => {
  await running?.close();
  await recorder?.close();
  relay?.close();
  await pod?.close();
});

describe("a signed-in session whose cluster's head Service is changed", () => {
  it('is signed out of it, and sends nothing with its token to the new address', async () => {
    running = await startConsole({
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: ctx.kubeconfigPath,
      KUBERNETES_NAMESPACES: ns,
      KUBERNETES_CONNECT: 'proxy',
      KUBERNETES_REFRESH_SECONDS: '1',
    });
    // The real head answers through the API server's proxy.
    await headThroughProxy(running);
    const other = new BffClient(running.url);
    for (const client of [running.client, other]) {
      const login = await client.login(id, head.token);
      expect(login.status, login.text).toBe(200);
      const jobs = await client.get(`/api/clusters/${id}/jobs`);
      expect(jobs.status, jobs.text).toBe(200);
    }
    expect(recorder.requests).toEqual([]);

    // Someone allowed to patch the RayCluster points it at another Service.
    await kube.patchStatus('RayCluster', ns, CLUSTER, { head: { serviceName: 'head-b' } });
    await running.waitForDiscovery('the new address', (_s, l) =>
      Boolean(l.find((c) => c.id === id)?.kubernetes?.connection?.url.includes('/services/head-b:dashboard/')),
    );
    // The console does talk to the new address (the list probes its auth mode, without a token)...
    await waitFor('the probe of the new address', async () => {
      await running.clusters();
      return recorder.requests.some((r) => r.url.endsWith('/api/authentication_mode')) || undefined;
    });
    // ...but the other session's next call, from a page already open, takes no token there.
    const jobs = await other.get(`/api/clusters/${id}/jobs`);
    expect(jobs.status, jobs.text).toBe(401);
    expect(jobs.text).toContain("This cluster's address changed; sign in again.");
    for (const client of [running.client, other]) {
      expect(await summary(client)).toMatchObject({ signedIn: false, signOutReason: 'endpoint_changed' });
    }
    const seen = JSON.stringify(recorder.requests);
    expect(seen).not.toContain(head.token);
    expect(recorder.requests.every((r) => r.headers['x-ray-authorization'] === undefined)).toBe(true);
  });
});

describe("the API server refusing the console's own identity on the proxy path", () => {
  it('is said to be the console’s problem, and does not sign the user out', async () => {
    await kube.patchStatus('RayCluster', ns, CLUSTER, { head: { serviceName: 'head-a' } });
    // The console's identity: may list (a ClusterRole, like deploy/'s) and may proxy (a Role, removed below).
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'console', namespace: ns } };
    await kube.create(sa);
    const subject = [{ kind: 'ServiceAccount', name: 'console', namespace: ns }];
    await kube.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'console-lists', namespace: ns },
      rules: [
        { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['list'] },
        { apiGroups: [''], resources: ['services'], verbs: ['list'] },
      ],
    });
    await kube.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'console-proxies', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['services/proxy'], verbs: ['get', 'create'] }],
    });
    for (const role of ['console-lists', 'console-proxies']) {
      await kube.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: role, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
        subjects: subject,
      });
    }
    const token = await kube.serviceAccountToken(ns, 'console');
    await running?.close();
    running = await startConsole({
      KUBERNETES_DISCOVERY: 'true',
      KUBECONFIG: writeKubeconfig(ctx, token, 'console'),
      KUBERNETES_NAMESPACES: ns,
      KUBERNETES_CONNECT: 'proxy',
      KUBERNETES_REFRESH_SECONDS: '1',
    });
    await headThroughProxy(running);
    expect((await running.client.login(id, head.token)).status).toBe(200);
    expect((await running.client.get(`/api/clusters/${id}/resources`)).status).toBe(200);

    await kube.delete('RoleBinding', ns, 'console-proxies');
    // Resources, not jobs: the job list may be served from the console's short-lived cache for a while.
    const refused = await waitFor('the proxy to be refused', async () => {
      const res = await running.client.get(`/api/clusters/${id}/resources`);
      return res.status === 200 ? undefined : res;
    });
    expect(refused.status, refused.text).toBe(503);
    expect(refused.text).toContain("refused the console's own Kubernetes identity (403)");
    expect(refused.text).toContain('your Ray token was not checked, and you stay signed in');
    expect(refused.text).toContain('cannot get resource \\"services/proxy\\"');
    expect(await summary(running.client)).toMatchObject({ signedIn: true });
    expect((await summary(running.client))?.signOutReason).toBeUndefined();
    expect(running.logs.join('')).not.toContain(head.token);
  });
});

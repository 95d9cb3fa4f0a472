import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RayJobDetail, RayJobList } from '@ray-console/shared';
import { waitFor } from '../support/wait.js';
import type { RunningConsole } from './support/console.js';
import { Kube, kubeContext, type KubeObject } from './support/kube.js';
import { startConsoleAsKubeconfigUser } from './support/person-console.js';

// RayJobs through the console, as user `viewer` (KUBERNETES_ACT_AS=kubeconfig), against the real
// kube-apiserver and the real KubeRay operator. There is no kubelet: the operator makes the RayJob's
// RayCluster, whose head never runs, so the RayJob stays Initializing; that is what it writes, and what
// the console must show.

const ctx = kubeContext();
const kube = new Kube(ctx);

let ns: string;
let readOnlyNs: string;
let viewer: RunningConsole;
let noAccess: RunningConsole;

async function grant(namespace: string, verbs: string[], extra: { resources: string[]; verbs: string[] }[] = []) {
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'rayjobs', namespace },
    rules: [
      { apiGroups: ['ray.io'], resources: ['rayjobs'], verbs },
      ...extra.map((r) => ({ apiGroups: ['', 'ray.io'], ...r })),
    ],
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'rayjobs', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rayjobs' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
  });
}

/** A RayJob as a person would write it from the KubeRay docs: its own cluster, deleted when the job ends. */
const rayJob = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: { name, namespace },
  spec: {
    entrypoint: 'python -c "print(1)"',
    shutdownAfterJobFinishes: true,
    backoffLimit: 1,
    rayClusterSpec: {
      rayVersion: '2.52.0',
      authOptions: { mode: 'token' },
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
      },
    },
  },
});

const detail = async (c: RunningConsole, namespace: string, name: string) => {
  const res = await c.client.get(`/api/kubernetes/rayjobs/${namespace}/${name}`);
  if (res.status !== 200) throw new Error(`GET RayJob: ${res.status} ${res.text}`);
  return res.json<RayJobDetail>();
};

const clustersOf = async (namespace: string, rayJobName: string) =>
  (await kube.list('RayCluster', namespace)).filter((c) =>
    ((c.metadata.ownerReferences ?? []) as { kind: string; name: string }[]).some(
      (o) => o.kind === 'RayJob' && o.name === rayJobName,
    ),
  );

beforeAll(async () => {
  [ns, readOnlyNs] = await Promise.all([kube.createNamespace('rj'), kube.createNamespace('rj-ro')]);
  await grant(
    ns,
    ['get', 'list', 'patch', 'delete', 'create'],
    [{ resources: ['rayclusters', 'services'], verbs: ['list'] }],
  );
  await grant(readOnlyNs, ['get', 'list']);
  [viewer, noAccess] = await Promise.all([
    // Discovery as the same user, so the RayJob's cluster is listed and the Ray job can be linked.
    startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer, {
      KUBERNETES_DISCOVERY: 'true',
      KUBERNETES_NAMESPACES: ns,
      KUBERNETES_REFRESH_SECONDS: '1',
    }),
    startConsoleAsKubeconfigUser(ctx, ctx.tokens.noaccess),
  ]);
});

afterAll(async () => {
  await Promise.all([viewer?.close(), noAccess?.close()]);
});

describe('RayJobs as the person', () => {
  it('shows the status the operator writes, the cluster it made and a link to the Ray job', async () => {
    await kube.create(rayJob(ns, 'status'));
    // What the operator writes when it has made the cluster (it then waits for a head that never runs).
    const shown = await waitFor('the operator to start the RayJob', async () => {
      const d = await detail(viewer, ns, 'status');
      return d.deploymentStatus === 'Initializing' && d.rayClusterName && d.jobId ? d : undefined;
    });
    const [cluster] = await clustersOf(ns, 'status');
    expect(shown).toMatchObject({
      namespace: ns,
      name: 'status',
      entrypoint: 'python -c "print(1)"',
      rayClusterName: cluster!.metadata.name,
      backoffLimit: 1,
      failed: 0,
      succeeded: 0,
      suspend: false,
      shutdownAfterJobFinishes: true,
      tokenAuth: true,
      rayVersion: '2.52.0',
      permissions: { patch: true, delete: true },
    });
    expect(shown.suspendBlocked).toBeUndefined();
    // The operator submits with the RayJob's job id; the console links it once discovery lists the cluster.
    const linked = await waitFor('discovery to list the RayJob cluster', async () => {
      const d = await detail(viewer, ns, 'status');
      return d.clusterId ? d : undefined;
    });
    expect(linked.clusterId).toBe(`k8s~${ns}~${cluster!.metadata.name}`);

    const list = await viewer.client.get(`/api/kubernetes/rayjobs?namespace=${ns}`);
    expect(list.status).toBe(200);
    expect(list.json<RayJobList>().items.map((j) => j.name)).toContain('status');

    const yaml = await viewer.client.get(`/api/kubernetes/rayjobs/${ns}/status/yaml`);
    expect(yaml.json<{ yaml: string }>().yaml).toMatch(/kind: RayJob[\s\S]*authOptions:\n\s+mode: token/);
    expect(yaml.json<{ yaml: string }>().yaml).not.toMatch(/^status:|resourceVersion|uid:/m);
  });

  it('suspend sets spec.suspend and KubeRay deletes the cluster; resume makes a new one', async () => {
    await kube.create(rayJob(ns, 'pause'));
    const first = await waitFor('the operator to make the cluster', async () => {
      const d = await detail(viewer, ns, 'pause');
      return d.deploymentStatus === 'Initializing' && d.rayClusterName ? d.rayClusterName : undefined;
    });

    const suspended = await viewer.client.request('PATCH', `/api/kubernetes/rayjobs/${ns}/pause`, {
      json: { suspend: true },
    });
    expect(suspended.status).toBe(200);
    expect((await kube.get<KubeObject>('RayJob', ns, 'pause')).body.spec).toMatchObject({ suspend: true });
    const after = await waitFor(
      'KubeRay to suspend the RayJob',
      async () => {
        const d = await detail(viewer, ns, 'pause');
        return d.deploymentStatus === 'Suspended' ? d : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(after.rayClusterName).toBeUndefined();
    expect(after.suspend).toBe(true);
    expect((await kube.get('RayCluster', ns, first)).status).toBe(404);

    const resumed = await viewer.client.request('PATCH', `/api/kubernetes/rayjobs/${ns}/pause`, {
      json: { suspend: false },
    });
    expect(resumed.status).toBe(200);
    const second = await waitFor(
      'KubeRay to make a new cluster',
      async () => {
        const d = await detail(viewer, ns, 'pause');
        return d.deploymentStatus === 'Initializing' && d.rayClusterName ? d.rayClusterName : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(second).not.toBe(first);
    expect((await clustersOf(ns, 'pause')).map((c) => c.metadata.name)).toEqual([second]);
  });

  it('delete removes the RayJob', async () => {
    await kube.create(rayJob(ns, 'gone'));
    await waitFor('the operator to take the RayJob', async () => (await detail(viewer, ns, 'gone')).deploymentStatus);
    const res = await viewer.client.delete(`/api/kubernetes/rayjobs/${ns}/gone`);
    expect(res.status).toBe(200);
    // The operator removes its finalizer (it tries to stop the Ray job first), then the API server deletes it.
    await waitFor('the RayJob to be gone', async () => (await kube.get('RayJob', ns, 'gone')).status === 404, {
      timeoutMs: 60_000,
    });
  });

  it('a person without the right gets a 403 that names the verb and resource, and sees no actions', async () => {
    await kube.create(rayJob(readOnlyNs, 'theirs'));
    const d = await detail(viewer, readOnlyNs, 'theirs');
    expect(d.permissions).toEqual({ patch: false, delete: false });

    const patch = await viewer.client.request('PATCH', `/api/kubernetes/rayjobs/${readOnlyNs}/theirs`, {
      json: { suspend: true },
    });
    expect(patch.status).toBe(403);
    expect(patch.json()).toMatchObject({
      error: {
        code: 'kube_forbidden',
        params: { verb: 'patch', resource: 'rayjobs.ray.io', namespace: readOnlyNs, user: 'viewer' },
      },
    });
    expect((await kube.get<KubeObject>('RayJob', readOnlyNs, 'theirs')).body.spec).not.toHaveProperty('suspend', true);

    const del = await viewer.client.delete(`/api/kubernetes/rayjobs/${readOnlyNs}/theirs`);
    expect(del.status).toBe(403);
    expect(del.json()).toMatchObject({ error: { code: 'kube_forbidden', params: { verb: 'delete' } } });

    const list = await noAccess.client.get(`/api/kubernetes/rayjobs?namespace=${ns}`);
    expect(list.status).toBe(403);
    expect(list.json()).toMatchObject({
      error: { code: 'kube_forbidden', params: { verb: 'list', resource: 'rayjobs.ray.io', user: 'noaccess' } },
    });
  });

  it('a RayJob created from the form has the fields asked for, and its cluster spec has authOptions', async () => {
    const form = {
      name: 'from-form',
      namespace: ns,
      entrypoint: 'python train.py --epochs 2',
      runtimeEnv: { env_vars: { MODE: 'fast' } },
      metadata: { team: 'ml' },
      cluster: {
        rayVersion: '2.53.0',
        image: '',
        head: { cpu: '1', memory: '2Gi' },
        worker: { cpu: '500m', memory: '1Gi', scaling: { mode: 'autoscaling', minReplicas: 0, maxReplicas: 2 } },
        auth: 'authOptions',
      },
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 30,
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
    };
    const dry = await viewer.client.post('/api/kubernetes/rayjobs', { form, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json()).toEqual({ namespace: ns, name: 'from-form', dryRun: true, user: 'viewer' });
    expect((await kube.get('RayJob', ns, 'from-form')).status).toBe(404);

    const created = await viewer.client.post('/api/kubernetes/rayjobs', { form, dryRun: false });
    expect(created.status).toBe(201);
    const stored = (await kube.get<KubeObject>('RayJob', ns, 'from-form')).body;
    expect(stored.spec).toMatchObject({
      entrypoint: 'python train.py --epochs 2',
      runtimeEnvYAML: 'env_vars:\n  MODE: fast\n',
      metadata: { team: 'ml' },
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 30,
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
      rayClusterSpec: {
        rayVersion: '2.53.0',
        authOptions: { mode: 'token' },
        enableInTreeAutoscaling: true,
        workerGroupSpecs: [{ minReplicas: 0, maxReplicas: 2 }],
      },
    });

    // The operator reacts: it makes the cluster with the same spec, and that cluster's token Secret.
    const cluster = await waitFor(
      'the operator to make the RayJob cluster',
      async () => (await clustersOf(ns, 'from-form'))[0],
    );
    expect(cluster.spec).toMatchObject({ authOptions: { mode: 'token' }, rayVersion: '2.53.0' });
    await waitFor(
      'the token Secret of the RayJob cluster',
      async () => (await kube.get('Secret', ns, cluster.metadata.name)).status === 200,
    );

    // A second create of the same name is a conflict, said as such.
    const again = await viewer.client.post('/api/kubernetes/rayjobs', { form, dryRun: false });
    expect(again.status).toBe(409);
    // A person without create rights in a namespace gets the API server's 403 naming the verb.
    const refused = await viewer.client.post('/api/kubernetes/rayjobs', {
      form: { ...form, namespace: readOnlyNs },
      dryRun: true,
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'kube_forbidden', params: { verb: 'create', resource: 'rayjobs.ray.io' } },
    });
  });
});

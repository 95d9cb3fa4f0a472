import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RayClusterProgress } from '@ray-console/shared';
import { waitFor } from '../support/wait.js';
import type { RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects, type KubeObject } from './support/kube.js';
import { KubeRay, rayClusterFromSample, type RayClusterJson } from './support/kuberay.js';
import { startConsoleAsKubeconfigUser } from './support/person-console.js';

/*
 * A RayCluster's progress, delete and YAML export (issue 12), against the real kube-apiserver and the
 * real KubeRay operator, each as a person (the console acts with their kubeconfig). There is no
 * scheduler or kubelet here: the operator's head Pod stays Pending with nothing scheduling it, and the
 * test writes what a scheduler and a kubelet would through the Pod's status subresource.
 */

const ctx = kubeContext();
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);

let ns: string;
let elsewhere: string;
let viewer: RunningConsole;
let noaccess: RunningConsole;
let sample: RayClusterJson;

/** A Role with these rules in `ns`, bound to `user`. */
async function grant(user: string, name: string, rules: object[]) {
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: ns },
    rules,
  });
  await kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
}

const progressPath = (name: string) => `/api/kubernetes/rayclusters/${ns}/${name}`;

async function progress(console_: RunningConsole, name: string): Promise<RayClusterProgress> {
  const res = await console_.client.get(progressPath(name));
  expect(res.status, res.text).toBe(200);
  return res.json<RayClusterProgress>();
}

/** The head Pod the operator made (without the operator binary, one made as it would, for the same test). */
async function headPod(name: string): Promise<KubeObject> {
  if (!ctx.operator) {
    const existing = await kube.list('Pod', ns, `ray.io/cluster=${name},ray.io/node-type=head`);
    if (existing[0]) return existing[0];
    return kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-head-emul0`,
        namespace: ns,
        labels: { 'ray.io/cluster': name, 'ray.io/node-type': 'head', 'ray.io/group': 'headgroup' },
      },
      spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.53.0' }] },
    });
  }
  return waitFor(`the operator's head Pod of ${name}`, async () => {
    const [pod] = await kube.list('Pod', ns, `ray.io/cluster=${name},ray.io/node-type=head`);
    return pod;
  });
}

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

beforeAll(async () => {
  [ns, elsewhere] = await Promise.all([kube.createNamespace('rcp'), kube.createNamespace('rcp-copy')]);
  [sample] = sampleObjects('ray-cluster.auth.yaml', ns).filter((o) => o.kind === 'RayCluster') as [RayClusterJson];
  // `viewer` may read RayClusters, Pods and Events; `noaccess` may read RayClusters and delete them.
  await grant('viewer', 'reader', [
    { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list'] },
  ]);
  await grant('noaccess', 'deleter', [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'delete'] }]);
  await kuberay.createCluster(rayClusterFromSample(sample, 'demo', ns));
  [viewer, noaccess] = await Promise.all([
    startConsoleAsKubeconfigUser(ctx, ctx.tokens.viewer),
    startConsoleAsKubeconfigUser(ctx, ctx.tokens.noaccess),
  ]);
});

afterAll(async () => {
  await Promise.all([viewer?.close(), noaccess?.close()]);
});

describe("a RayCluster's progress, read as the person", () => {
  it("has the operator's conditions and events, and says the head Pod waits for a node", async () => {
    const head = await headPod('demo');
    const p = await progress(viewer, 'demo');
    expect(p).toMatchObject({ namespace: ns, name: 'demo', clusterId: `k8s~${ns}~demo`, ready: false });
    expect(p.conditions).toContainEqual({
      type: 'RayClusterProvisioned',
      status: 'False',
      reason: 'RayClusterPodsProvisioning',
      message: 'RayCluster Pods are being provisioned for first time',
    });
    expect(p.pods?.find((x) => x.role === 'head')).toMatchObject({
      name: head.metadata.name,
      phase: 'pending',
      ready: false,
      reason: 'NotScheduled',
    });
    expect(p.summary).toMatchObject({
      code: 'notScheduled',
      text: `Waiting for the head Pod ${head.metadata.name} to be placed on a node; nothing has scheduled it yet (is there a scheduler, and a node?).`,
    });
    if (ctx.operator) {
      expect(p.events?.map((e) => e.reason)).toEqual(expect.arrayContaining(['CreatedService', 'CreatedHeadPod']));
      expect(p.events?.find((e) => e.reason === 'CreatedHeadPod')).toMatchObject({
        type: 'Normal',
        object: { kind: 'RayCluster', name: 'demo' },
        source: 'raycluster-controller',
      });
    }
    // viewer may not delete it: the page offers no button.
    expect(p.can.delete).toBe(false);
  });

  it('says no node has the resources, as the scheduler writes it, with its warning first', async () => {
    const head = await headPod('demo');
    const message =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    await kube.patchStatus('Pod', ns, head.metadata.name, {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: nowIso() },
      ],
    });
    // The scheduler reports through events.k8s.io/v1; people (and the console) read it through core/v1.
    const micro = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await kube.ok('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${head.metadata.name}.scheduling`, namespace: ns },
      eventTime: micro,
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-test',
      action: 'Scheduling',
      reason: 'FailedScheduling',
      type: 'Warning',
      note: message,
      regarding: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: head.metadata.name, uid: head.metadata.uid },
    });
    const p = await waitFor('the unschedulable head in the progress', async () => {
      const got = await progress(viewer, 'demo');
      return got.summary.code === 'unschedulable' && got.events?.[0]?.reason === 'FailedScheduling' ? got : undefined;
    });
    expect(p.summary.text).toBe(`Waiting for the head Pod ${head.metadata.name} to be scheduled: ${message}`);
    expect(p.events?.[0]).toMatchObject({
      type: 'Warning',
      message,
      object: { kind: 'Pod', name: head.metadata.name },
      source: 'default-scheduler',
      count: 1,
    });
  });

  it('says the image cannot be pulled, as the kubelet writes it', async () => {
    const head = await headPod('demo');
    const spec = (
      await kube.get<{ spec: { containers: { name: string; image: string }[] } }>('Pod', ns, head.metadata.name)
    ).body.spec;
    const image = spec.containers.find((c) => c.name === 'ray-head')!.image;
    await kube.patchStatus('Pod', ns, head.metadata.name, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso() }],
      containerStatuses: spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state:
          c.name === 'ray-head'
            ? {
                waiting: {
                  reason: 'ErrImagePull',
                  message: `failed to pull and unpack image "docker.io/${image}": not found`,
                },
              }
            : { waiting: { reason: 'ContainerCreating' } },
      })),
    });
    const p = await waitFor('the image pull failure in the progress', async () => {
      const got = await progress(viewer, 'demo');
      return got.summary.code === 'imagePull' ? got : undefined;
    });
    expect(p.summary.text).toBe(
      `Waiting for the head Pod ${head.metadata.name}: its image ${image} cannot be pulled (ErrImagePull).`,
    );
    expect(p.pods?.find((x) => x.role === 'head')).toMatchObject({ reason: 'ErrImagePull', container: 'ray-head' });
  });

  it('without the right to list Pods or Events: the conditions, and what the API server refused to whom', async () => {
    const p = await progress(noaccess, 'demo');
    expect(p.conditions.map((c) => c.type)).toContain('HeadPodReady');
    expect(p.pods).toBeUndefined();
    expect(p.podsRefused).toMatchObject({ verb: 'list', resource: 'pods', user: 'noaccess' });
    expect(p.podsRefused?.message).toContain('cannot list resource "pods"');
    expect(p.eventsRefused).toMatchObject({ verb: 'list', resource: 'events', user: 'noaccess' });
    expect(p.summary.code).toBe('provisioning');
    expect(p.can.delete).toBe(true);
  });
});

describe('deleting a RayCluster after typing its name', () => {
  it('refuses a name typed wrong (400, saying what to type), and the cluster stays', async () => {
    const res = await noaccess.client.request('DELETE', progressPath('demo'), { json: { confirmName: 'dem' } });
    expect(res.status).toBe(400);
    expect(res.json<{ error: { fields: Record<string, string> } }>().error.fields.confirmName).toBe(
      'Type "demo" to delete this RayCluster.',
    );
    expect((await kube.get('RayCluster', ns, 'demo')).status).toBe(200);
  });

  it('without the right: 403 naming the verb, resource and user; the cluster stays', async () => {
    const res = await viewer.client.request('DELETE', progressPath('demo'), { json: { confirmName: 'demo' } });
    expect(res.status).toBe(403);
    expect(res.json<{ error: object }>().error).toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'delete', resource: 'rayclusters.ray.io', namespace: ns, name: 'demo', user: 'viewer' },
    });
    expect((await kube.get('RayCluster', ns, 'demo')).status).toBe(200);
  });

  it('with the right: the RayCluster goes, and the trail says who deleted it', async () => {
    await kuberay.createCluster(rayClusterFromSample(sample, 'gone', ns));
    const res = await noaccess.client.request('DELETE', progressPath('gone'), { json: { confirmName: 'gone' } });
    expect(res.status, res.text).toBe(204);
    await waitFor('the RayCluster to be gone', async () => (await kube.get('RayCluster', ns, 'gone')).status === 404);
    const line = noaccess.logs.find((l) => l.includes('"action":"raycluster.delete"'));
    expect(JSON.parse(line!)).toMatchObject({ audit: true, clusterId: `k8s~${ns}~gone`, outcome: 'success' });
  });
});

describe('Export as YAML', () => {
  it('is accepted by the API server as it is, under another name in another namespace', async () => {
    const res = await viewer.client.get(`${progressPath('demo')}/yaml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/yaml/);
    const manifest = parseYaml(res.text) as KubeObject;
    expect(Object.keys(manifest)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(manifest.metadata).toEqual({ name: 'demo', namespace: ns });
    // What `kubectl apply -f demo.yaml -n <elsewhere>` sends after the person renamed it: a plain create.
    const copy = { ...manifest, metadata: { name: 'demo-copy', namespace: elsewhere } };
    const created = await kube.request('POST', `/apis/ray.io/v1/namespaces/${elsewhere}/rayclusters`, copy);
    expect(created.status, created.text).toBe(201);
    expect((await kube.get<RayClusterJson>('RayCluster', elsewhere, 'demo-copy')).body.spec.authOptions).toEqual({
      mode: 'token',
    });
  });
});

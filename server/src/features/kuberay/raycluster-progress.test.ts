import { describe, expect, it } from 'vitest';
import { RayClusterProgress } from '@ray-console/shared';
import { RayClusterObject } from '../../kubernetes/kube-objects.js';
import { EventObject, PodObject } from './progress-objects.js';
import { podProgressOf, progressOf } from './raycluster-progress.js';

/*
 * The objects below are what kube-apiserver 1.37.2 and the KubeRay operator v1.6.1 answered for the
 * sample ray-cluster.auth.yaml created in a namespace `explore` (trimmed of managedFields and the
 * Pod specs' other fields); the kubelet's and the scheduler's status writes are in the shapes they
 * write (k8s.io/kubernetes pkg/kubelet and pkg/scheduler), which the kubernetes test writes through
 * the status subresource too (server/test/kubernetes/raycluster-progress.test.ts).
 */

const RAYCLUSTER = {
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'demo', namespace: 'explore', creationTimestamp: '2026-11-30T23:13:01Z', generation: 1 },
  spec: {
    authOptions: { mode: 'token' },
    rayVersion: '2.53.0',
    headGroupSpec: {
      template: { spec: { containers: [{ image: 'rayproject/ray:2.53.0', name: 'ray-head' }] } },
    },
    workerGroupSpecs: [{ groupName: 'workergroup', replicas: 1, minReplicas: 1, maxReplicas: 5, numOfHosts: 1 }],
  },
  status: {
    conditions: [
      {
        lastTransitionTime: '2026-11-30T23:13:01Z',
        message: '',
        reason: 'Unknown',
        status: 'False',
        type: 'HeadPodReady',
      },
      {
        lastTransitionTime: '2026-11-30T23:13:01Z',
        message: 'RayCluster Pods are being provisioned for first time',
        reason: 'RayClusterPodsProvisioning',
        status: 'False',
        type: 'RayClusterProvisioned',
      },
      {
        lastTransitionTime: '2026-11-30T23:13:01Z',
        message: '',
        reason: 'RayClusterSuspended',
        status: 'False',
        type: 'RayClusterSuspended',
      },
      {
        lastTransitionTime: '2026-11-30T23:13:01Z',
        message: '',
        reason: 'RayClusterSuspending',
        status: 'False',
        type: 'RayClusterSuspending',
      },
    ],
    desiredCPU: '8',
    desiredWorkerReplicas: 1,
    endpoints: { client: '10001', dashboard: '8265', 'gcs-server': '6379', metrics: '8080' },
    head: { podName: 'demo-head-w2c5t', serviceName: 'demo-head-svc' },
    maxWorkerReplicas: 5,
    minWorkerReplicas: 1,
    observedGeneration: 1,
  },
};

const podLabels = (role: 'head' | 'worker') => ({
  'app.kubernetes.io/created-by': 'kuberay-operator',
  'app.kubernetes.io/name': 'kuberay',
  'ray.io/cluster': 'demo',
  'ray.io/group': role === 'head' ? 'headgroup' : 'workergroup',
  'ray.io/identifier': `demo-${role}`,
  'ray.io/is-ray-node': 'yes',
  'ray.io/node-type': role,
});

/** The head Pod as the operator creates it: with no scheduler and no kubelet, its status stays this. */
const HEAD_POD = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'demo-head-w2c5t',
    generateName: 'demo-head-',
    namespace: 'explore',
    creationTimestamp: '2026-11-30T23:13:01Z',
    labels: podLabels('head'),
  },
  spec: {
    containers: [
      { name: 'ray-head', image: 'rayproject/ray:2.53.0' },
      { name: 'autoscaler', image: 'rayproject/ray:2.53.0' },
    ],
  },
  status: { phase: 'Pending', qosClass: 'Guaranteed' },
};

const WORKER_POD = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'demo-workergroup-worker-fkv96',
    namespace: 'explore',
    labels: { ...podLabels('worker'), 'ray.io/worker-group-replica-index': '0' },
  },
  spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.53.0' }] },
  status: { phase: 'Pending', qosClass: 'Guaranteed' },
};

/** What the scheduler writes when no node fits (PodScheduled=False, Unschedulable). */
const UNSCHEDULABLE = {
  phase: 'Pending',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: '2026-11-30T23:13:05Z',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
  ],
  qosClass: 'Guaranteed',
};

/** What the kubelet writes while an image cannot be pulled. */
const IMAGE_PULL = (reason: 'ErrImagePull' | 'ImagePullBackOff') => ({
  phase: 'Pending',
  conditions: [
    {
      type: 'PodReadyToStartContainers',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: '2026-11-30T23:13:09Z',
    },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-30T23:13:07Z' },
    {
      type: 'Ready',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: '2026-11-30T23:13:07Z',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [ray-head autoscaler]',
    },
    {
      type: 'ContainersReady',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: '2026-11-30T23:13:07Z',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [ray-head autoscaler]',
    },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-30T23:13:07Z' },
  ],
  hostIP: '10.0.0.12',
  podIP: '10.244.1.7',
  startTime: '2026-11-30T23:13:07Z',
  containerStatuses: [
    {
      name: 'autoscaler',
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'rayproject/ray:2.99.0',
      imageID: '',
      started: false,
    },
    {
      name: 'ray-head',
      state: {
        waiting:
          reason === 'ErrImagePull'
            ? {
                reason,
                message:
                  'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/rayproject/ray:2.99.0": failed to resolve reference "docker.io/rayproject/ray:2.99.0": docker.io/rayproject/ray:2.99.0: not found',
              }
            : { reason, message: 'Back-off pulling image "rayproject/ray:2.99.0"' },
      },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'rayproject/ray:2.99.0',
      imageID: '',
      started: false,
    },
  ],
  qosClass: 'Guaranteed',
});

const RUNNING_READY = {
  phase: 'Running',
  conditions: [
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: 'True' },
    { type: 'ContainersReady', status: 'True' },
    { type: 'PodScheduled', status: 'True' },
  ],
  containerStatuses: [
    { name: 'ray-head', state: { running: { startedAt: '2026-11-30T23:14:00Z' } }, ready: true, restartCount: 0 },
  ],
};

/** The operator's events for the sample, as the API server listed them. */
const OPERATOR_EVENTS = [
  ['CreatedService', 'Created service explore/demo-head-svc'],
  ['CreatedHeadPod', 'Created head Pod explore/demo-head-w2c5t'],
  ['CreatedWorkerPod', 'Created worker Pod explore/demo-workergroup-worker-fkv96'],
].map(([reason, message]) => ({
  metadata: { name: `demo.${reason}`, namespace: 'explore', creationTimestamp: '2026-11-30T23:13:01Z' },
  type: 'Normal',
  reason,
  message,
  involvedObject: { kind: 'RayCluster', namespace: 'explore', name: 'demo', apiVersion: 'ray.io/v1' },
  source: { component: 'raycluster-controller' },
  reportingComponent: 'raycluster-controller',
  count: 1,
  firstTimestamp: '2026-11-30T23:13:01Z',
  lastTimestamp: '2026-11-30T23:13:01Z',
  eventTime: null,
}));

/** The scheduler's event (written through events.k8s.io/v1: no count or lastTimestamp, a series). */
const SCHEDULER_EVENT = {
  metadata: { name: 'demo-head-w2c5t.1', namespace: 'explore', creationTimestamp: '2026-11-30T23:13:05Z' },
  type: 'Warning',
  reason: 'FailedScheduling',
  message: UNSCHEDULABLE.conditions[0]!.message,
  involvedObject: { kind: 'Pod', namespace: 'explore', name: 'demo-head-w2c5t', apiVersion: 'v1' },
  source: {},
  reportingComponent: 'default-scheduler',
  count: null,
  series: { count: 4, lastObservedTime: '2026-11-30T23:18:05.000000Z' },
  firstTimestamp: null,
  lastTimestamp: null,
  eventTime: '2026-11-30T23:13:05.123456Z',
};

const rc = (patch: (o: typeof RAYCLUSTER) => object = (o) => o) =>
  RayClusterObject.parse(patch(structuredClone(RAYCLUSTER)));
const pod = (base: object, status: object) => PodObject.parse({ ...structuredClone(base), status });
const events = (...list: object[]) => list.map((e) => EventObject.parse(e));

function progress(input: { rayCluster?: ReturnType<typeof rc>; pods?: PodObject[]; events?: EventObject[] }) {
  const answer = progressOf({
    rayCluster: input.rayCluster ?? rc(),
    pods: input.pods ?? [],
    events: input.events ?? [],
    canDelete: true,
  });
  // The answer is what the browser parses: it must fit the shared schema.
  return RayClusterProgress.parse(answer);
}

describe('a RayCluster just created (what the real operator and API server give, no scheduler)', () => {
  it('says the head Pod waits for a node, with the operator’s conditions and events', () => {
    const p = progress({
      pods: [PodObject.parse(WORKER_POD), PodObject.parse(HEAD_POD)],
      events: events(...OPERATOR_EVENTS),
    });
    expect(p.ready).toBe(false);
    expect(p.clusterId).toBe('k8s~explore~demo');
    expect(p.summary.code).toBe('notScheduled');
    expect(p.summary.text).toBe(
      'Waiting for the head Pod demo-head-w2c5t to be placed on a node; nothing has scheduled it yet (is there a scheduler, and a node?).',
    );
    expect(p.conditions.map((c) => [c.type, c.status, c.reason])).toContainEqual([
      'RayClusterProvisioned',
      'False',
      'RayClusterPodsProvisioning',
    ]);
    expect(p.pods?.map((x) => [x.role, x.name, x.phase, x.reason])).toEqual([
      ['head', 'demo-head-w2c5t', 'pending', 'NotScheduled'],
      ['worker', 'demo-workergroup-worker-fkv96', 'pending', 'NotScheduled'],
    ]);
    expect(p.events?.map((e) => e.reason)).toEqual(['CreatedService', 'CreatedHeadPod', 'CreatedWorkerPod']);
    expect(p.workers).toEqual({ desired: 1, ready: 0 });
  });

  it('before the operator made the head Pod, says it waits for that', () => {
    expect(progress({ pods: [] }).summary.code).toBe('noHeadPod');
  });
});

describe('the reason a Pod is stuck', () => {
  it('no node has the resources: the scheduler’s message, and its warning first among the events', () => {
    const p = progress({
      pods: [pod(HEAD_POD, UNSCHEDULABLE)],
      events: events(...OPERATOR_EVENTS, SCHEDULER_EVENT),
    });
    expect(p.summary.code).toBe('unschedulable');
    expect(p.summary.text).toBe(
      'Waiting for the head Pod demo-head-w2c5t to be scheduled: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    expect(p.events?.[0]).toEqual({
      type: 'Warning',
      reason: 'FailedScheduling',
      message: SCHEDULER_EVENT.message,
      object: { kind: 'Pod', name: 'demo-head-w2c5t' },
      source: 'default-scheduler',
      count: 4,
      lastSeen: '2026-11-30T23:18:05.000Z',
    });
  });

  it.each(['ErrImagePull', 'ImagePullBackOff'] as const)(
    '%s: names the image and the container, past the one still being created',
    (reason) => {
      // A cluster created with an image tag that does not exist.
      const head = { ...structuredClone(HEAD_POD), spec: { ...HEAD_POD.spec, nodeName: 'node-1' } };
      head.spec.containers = head.spec.containers.map((c) => ({ ...c, image: 'rayproject/ray:2.99.0' }));
      const p = progress({ pods: [pod(head, IMAGE_PULL(reason))] });
      expect(p.summary).toMatchObject({
        code: 'imagePull',
        params: { pod: 'demo-head-w2c5t', role: 'head', reason, image: 'rayproject/ray:2.99.0' },
      });
      expect(p.pods?.[0]).toMatchObject({ reason, container: 'ray-head', node: 'node-1' });
      expect(p.summary.text).toBe(
        `Waiting for the head Pod demo-head-w2c5t: its image rayproject/ray:2.99.0 cannot be pulled (${reason}).`,
      );
    },
  );

  it('a container that keeps crashing says why it last died', () => {
    const crashing = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [
        {
          name: 'ray-head',
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 40s restarting failed container=ray-head pod=demo-head-w2c5t_explore(68075e6d)',
            },
          },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: null, finishedAt: null } },
          ready: false,
          restartCount: 3,
        },
      ],
    };
    const p = progress({ pods: [{ ...pod(HEAD_POD, crashing), spec: { nodeName: 'node-1', containers: [] } }] });
    expect(p.summary).toMatchObject({ code: 'crashLoop', params: { container: 'ray-head', restarts: 3 } });
    expect(p.pods?.[0]).toMatchObject({ node: 'node-1', message: 'OOMKilled (exit code 137)', restarts: 3 });
  });

  it('a Secret the container needs is missing (CreateContainerConfigError)', () => {
    const status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        {
          name: 'ray-head',
          state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "demo" not found' } },
          ready: false,
          restartCount: 0,
        },
      ],
    };
    const p = progress({ pods: [{ ...pod(HEAD_POD, status), spec: { nodeName: 'node-1', containers: [] } }] });
    expect(p.summary.text).toBe(
      'Waiting for the head Pod demo-head-w2c5t: container ray-head cannot start (CreateContainerConfigError): secret "demo" not found',
    );
  });

  it('an evicted Pod failed, with the kubelet’s message', () => {
    const status = {
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.',
    };
    expect(podProgressOf(pod(HEAD_POD, status))).toMatchObject({ phase: 'failed', reason: 'Evicted' });
    expect(progress({ pods: [pod(HEAD_POD, status)] }).summary.code).toBe('podFailed');
  });
});

describe('when the head is ready', () => {
  const readyCluster = () =>
    rc((o) => {
      o.status.conditions[0] = { ...o.status.conditions[0]!, status: 'True', reason: 'HeadPodRunningAndReady' };
      return o;
    });

  it('a worker that cannot be scheduled is the sentence, and the cluster counts as ready', () => {
    const p = progress({
      rayCluster: readyCluster(),
      pods: [pod(HEAD_POD, RUNNING_READY), pod(WORKER_POD, UNSCHEDULABLE)],
    });
    expect(p.ready).toBe(true);
    expect(p.summary).toMatchObject({ code: 'unschedulable', params: { role: 'worker' } });
  });

  it('all well: ready, with the workers counted', () => {
    const p = progress({ rayCluster: readyCluster(), pods: [pod(HEAD_POD, RUNNING_READY)] });
    expect(p.summary).toMatchObject({ code: 'readyWorkersPending', params: { ready: 0, desired: 1 } });
  });
});

describe('what the operator says on its own', () => {
  it('it cannot create Pods (ReplicaFailure)', () => {
    const p = progress({
      rayCluster: rc((o) => {
        o.status.conditions.push({
          lastTransitionTime: '2026-11-30T23:13:01Z',
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreateWorkerPod',
          message:
            'Pod "demo-workergroup-worker-x" is invalid: spec.volumes[1].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
        });
        return o;
      }),
      pods: [PodObject.parse(HEAD_POD)],
    });
    expect(p.summary.code).toBe('replicaFailure');
    expect(p.summary.text).toMatch(/^The operator cannot create the cluster's Pods \(FailedCreateWorkerPod\): Pod /);
  });

  it('suspended and deleting clusters say so', () => {
    const suspended = rc((o) => ({ ...o, spec: { ...o.spec, suspend: true } }));
    expect(progress({ rayCluster: suspended }).summary.code).toBe('suspended');
    const deleting = rc((o) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: '2026-11-30T23:20:00Z' } }));
    expect(progress({ rayCluster: deleting })).toMatchObject({ ready: false, summary: { code: 'deleting' } });
  });
});

describe('a person who may read the RayCluster but not its Pods or Events', () => {
  it('still gets the conditions and the operator’s own account, and what was refused', () => {
    const refusal = {
      verb: 'list',
      resource: 'pods',
      user: 'viewer',
      message:
        'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "explore"',
    };
    const answer = RayClusterProgress.parse(
      progressOf({
        rayCluster: rc(),
        pods: refusal,
        events: { ...refusal, resource: 'events' },
        canDelete: false,
      }),
    );
    expect(answer.pods).toBeUndefined();
    expect(answer.podsRefused).toEqual(refusal);
    expect(answer.eventsRefused?.resource).toBe('events');
    expect(answer.conditions).toHaveLength(4);
    expect(answer.summary).toEqual({
      code: 'provisioning',
      params: { reason: 'RayClusterPodsProvisioning', message: 'RayCluster Pods are being provisioned for first time' },
      text: 'Not ready yet: RayCluster Pods are being provisioned for first time.',
    });
    expect(answer.can.delete).toBe(false);
  });
});

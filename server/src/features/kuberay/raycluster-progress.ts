import type {
  ClusterEvent,
  PodProgress,
  ProgressSummary,
  ProgressSummaryCode,
  RayClusterProgress,
  ReadRefusal,
} from '@ray-console/shared';
import type { RayClusterObject } from '../../kubernetes/kube-objects.js';
import { clusterIdOf, viewOf } from '../kubernetes/raycluster-view.js';
import type { ContainerStatus, EventObject, PodObject } from './progress-objects.js';

/**
 * What a RayCluster waits for, from the objects Kubernetes keeps about it: the operator's conditions,
 * the Pods it made (what the scheduler and the kubelet wrote into their status) and the Events. Pure
 * functions, no I/O (raycluster-progress.service.ts reads the objects as the person).
 */

/** Longest message kept from an object (a kubelet's pull error can quote a whole registry answer). */
const MAX_MESSAGE = 500;
/** Events shown: enough for the story of a stuck cluster, not an hour of a busy namespace. */
export const MAX_EVENTS = 20;

const cut = (s: string | null | undefined): string | undefined => (s ? s.slice(0, MAX_MESSAGE) : undefined);

/** Container waiting reasons that mean the image cannot be had (kubelet's `images` package). */
const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
/** Waiting reasons of a container on its normal way to running: progress, not a problem. */
const STARTING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

const PHASES: Record<string, PodProgress['phase']> = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
};

/** The first container waiting for a reason that is a problem, else the first waiting at all. */
function firstWaiting(
  statuses: readonly ContainerStatus[],
): { status: ContainerStatus; reason: string; message?: string } | undefined {
  const waiting = statuses.filter((s) => s.state?.waiting?.reason);
  const status = waiting.find((s) => !STARTING_REASONS.has(s.state!.waiting!.reason!)) ?? waiting[0];
  const reason = status?.state?.waiting?.reason;
  if (!status || !reason) return undefined;
  const message = status.state?.waiting?.message;
  return { status, reason, ...(message ? { message } : {}) };
}

/**
 * One Pod as a person reads it: its phase, where it runs, and why it is not running or not ready, in
 * the order a person would look: the Pod gave up; a container cannot start (image, config, crashes);
 * the scheduler cannot place it; nothing has placed it yet; a container is still being created; it
 * runs but is not ready.
 */
export function podProgressOf(pod: PodObject): PodProgress {
  const { status, spec } = pod;
  const labels = pod.metadata.labels ?? {};
  const conditions = status.conditions ?? [];
  const condition = (type: string) => conditions.find((c) => c.type === type);
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const restarts = (status.containerStatuses ?? []).reduce((sum, c) => sum + Math.max(0, c.restartCount ?? 0), 0);
  const imageOf = (name: string, fallback?: string) =>
    [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name)?.image ?? fallback;
  const base: PodProgress = {
    name: pod.metadata.name,
    role: labels['ray.io/node-type'] === 'head' ? 'head' : 'worker',
    ...(labels['ray.io/group'] ? { group: labels['ray.io/group'] } : {}),
    phase: PHASES[status.phase ?? ''] ?? 'unknown',
    ready: condition('Ready')?.status === 'True',
    ...(spec.nodeName ? { node: spec.nodeName } : {}),
    restarts,
  };
  const why = (reason: string, message?: string | null, container?: ContainerStatus): PodProgress => {
    const text = cut(message);
    const image = container ? imageOf(container.name, container.image) : undefined;
    return {
      ...base,
      reason,
      ...(text ? { message: text } : {}),
      ...(container ? { container: container.name } : {}),
      ...(image ? { image } : {}),
    };
  };

  if (base.phase === 'failed') {
    const terminated = containers.find((c) => c.state?.terminated?.reason);
    const reason = status.reason ?? terminated?.state?.terminated?.reason ?? 'Failed';
    return why(
      reason,
      status.message ?? terminated?.state?.terminated?.message,
      status.reason ? undefined : terminated,
    );
  }
  const waiting = firstWaiting(containers);
  if (waiting && !STARTING_REASONS.has(waiting.reason)) {
    if (waiting.reason === 'CrashLoopBackOff') {
      // The back-off message only says it waits; the last termination says why it died.
      const last = waiting.status.lastState?.terminated;
      const said = last?.reason
        ? `${last.reason}${last.exitCode !== undefined ? ` (exit code ${last.exitCode})` : ''}${last.message ? `: ${last.message}` : ''}`
        : waiting.message;
      return why(waiting.reason, said, waiting.status);
    }
    return why(waiting.reason, waiting.message, waiting.status);
  }
  const scheduled = condition('PodScheduled');
  if (scheduled?.status === 'False') return why(scheduled.reason ?? 'Unschedulable', scheduled.message);
  if (!spec.nodeName && base.phase === 'pending') return why('NotScheduled');
  if (waiting) return why(waiting.reason, waiting.message, waiting.status);
  if (base.phase === 'running' && !base.ready) {
    const ready = condition('Ready');
    return why(ready?.reason ?? 'NotReady', ready?.message);
  }
  return base;
}

function timeOf(value: string | Date | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** One Event, for the page; `undefined` for one without a reason or an object (nothing to show). */
export function clusterEventOf(event: EventObject): ClusterEvent | undefined {
  const { kind, name } = event.involvedObject;
  if (!event.reason || !kind || !name) return undefined;
  const source = event.reportingComponent || event.source?.component;
  const lastSeen =
    timeOf(event.series?.lastObservedTime) ??
    timeOf(event.lastTimestamp) ??
    timeOf(event.eventTime) ??
    timeOf(event.firstTimestamp) ??
    timeOf(event.metadata?.creationTimestamp);
  return {
    type: event.type === 'Warning' ? 'Warning' : 'Normal',
    reason: event.reason,
    message: cut(event.message) ?? '',
    object: { kind, name },
    ...(source ? { source } : {}),
    count: Math.max(1, event.series?.count ?? event.count ?? 1),
    ...(lastSeen ? { lastSeen } : {}),
  };
}

/** Warnings first (they say what is wrong), then the newest; at most {@link MAX_EVENTS}. */
export function orderEvents(events: readonly ClusterEvent[]): ClusterEvent[] {
  const rank = (e: ClusterEvent) => (e.type === 'Warning' ? 0 : 1);
  return [...events]
    .sort((a, b) => rank(a) - rank(b) || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
    .slice(0, MAX_EVENTS);
}

const summary = (code: ProgressSummaryCode, params: ProgressSummary['params'], text: string): ProgressSummary => ({
  code,
  params,
  text,
});

/** What a stuck Pod waits for, as the summary; `undefined` when the Pod is fine or merely starting. */
function stuckSummary(pod: PodProgress): ProgressSummary | undefined {
  const { name, role, reason, message = '' } = pod;
  if (!reason) return undefined;
  const at = { pod: name, role, reason, message };
  if (IMAGE_REASONS.has(reason)) {
    const image = pod.image ?? '';
    return summary(
      'imagePull',
      { ...at, image },
      `Waiting for the ${role} Pod ${name}: its image ${image} cannot be pulled (${reason}).`,
    );
  }
  if (reason === 'Unschedulable') {
    return summary('unschedulable', at, `Waiting for the ${role} Pod ${name} to be scheduled: ${message}`);
  }
  if (reason === 'NotScheduled') {
    return summary(
      'notScheduled',
      at,
      `Waiting for the ${role} Pod ${name} to be placed on a node; nothing has scheduled it yet (is there a scheduler, and a node?).`,
    );
  }
  if (reason === 'CrashLoopBackOff') {
    const container = pod.container ?? '';
    return summary(
      'crashLoop',
      { ...at, container, restarts: pod.restarts },
      `The ${role} Pod ${name} keeps crashing: container ${container} has restarted ${pod.restarts} times (${message}).`,
    );
  }
  if (pod.phase === 'failed') {
    return summary('podFailed', at, `The ${role} Pod ${name} failed (${reason})${message ? `: ${message}` : '.'}`);
  }
  if (pod.container && !STARTING_REASONS.has(reason)) {
    const container = pod.container;
    return summary(
      'containerWaiting',
      { ...at, container },
      `Waiting for the ${role} Pod ${name}: container ${container} cannot start (${reason})${message ? `: ${message}` : '.'}`,
    );
  }
  return undefined;
}

export interface ProgressInput {
  rayCluster: RayClusterObject;
  /** The cluster's Pods, or what the API server said when the person may not list them. */
  pods: readonly PodObject[] | ReadRefusal;
  events: readonly EventObject[] | ReadRefusal;
  canDelete: boolean;
}

const refused = <T>(value: readonly T[] | ReadRefusal): value is ReadRefusal => !Array.isArray(value);

/** Head first, then workers by group and name. */
function orderPods(pods: PodProgress[]): PodProgress[] {
  return pods.sort(
    (a, b) =>
      (a.role === 'head' ? 0 : 1) - (b.role === 'head' ? 0 : 1) ||
      (a.group ?? '').localeCompare(b.group ?? '') ||
      a.name.localeCompare(b.name),
  );
}

/**
 * The one sentence: being deleted, suspended, the operator unable to make Pods, then the head (missing,
 * stuck, starting), then a stuck worker, then how many workers are ready. Without the Pods (the person
 * may not list them) it says what the operator's conditions say.
 */
export function summarise(
  view: ReturnType<typeof viewOf>,
  rc: RayClusterObject,
  pods: PodProgress[] | undefined,
): ProgressSummary {
  const condition = (type: string) => view.conditions.find((c) => c.type === type);
  const workers = { ready: view.workers.ready, desired: view.workers.desired };
  if (rc.metadata.deletionTimestamp) return summary('deleting', {}, 'The cluster is being deleted.');
  if (condition('RayClusterSuspended')?.status === 'True' || rc.spec.suspend) {
    return summary('suspended', {}, 'The cluster is suspended: it has no Pods until it is resumed.');
  }
  const failure = condition('ReplicaFailure');
  if (failure?.status === 'True') {
    const reason = failure.reason ?? 'ReplicaFailure';
    const message = failure.message ?? '';
    return summary(
      'replicaFailure',
      { reason, message },
      `The operator cannot create the cluster's Pods (${reason})${message ? `: ${message}` : '.'}`,
    );
  }
  if (pods) {
    const head = pods.find((p) => p.role === 'head');
    if (!head && !view.ready) return summary('noHeadPod', {}, 'Waiting for the operator to create the head Pod.');
    const headStuck = head ? stuckSummary(head) : undefined;
    if (headStuck) return headStuck;
    if (head && !view.ready) {
      return summary(
        'starting',
        { pod: head.name, ...(head.reason ? { reason: head.reason } : {}) },
        `Waiting for the head Pod ${head.name} to become ready (Ray is starting).`,
      );
    }
    for (const worker of pods.filter((p) => p.role === 'worker')) {
      const stuck = stuckSummary(worker);
      if (stuck) return stuck;
    }
  }
  if (view.ready) {
    if (workers.ready < workers.desired) {
      return summary(
        'readyWorkersPending',
        workers,
        `The head is ready; ${workers.ready} of ${workers.desired} workers are ready so far.`,
      );
    }
    return summary('ready', workers, `The cluster is ready: ${workers.ready} of ${workers.desired} workers are ready.`);
  }
  // No Pods to read: the operator's own account (HeadPodReady's reason is often just "Unknown").
  const said = [condition('HeadPodReady'), condition('RayClusterProvisioned')].find(
    (c) => c?.status !== 'True' && (c?.message || (c?.reason && c.reason !== 'Unknown')),
  );
  const reason = said?.reason ?? '';
  const message = said?.message ?? '';
  return summary(
    'provisioning',
    { reason, message },
    `Not ready yet${message ? `: ${message}` : reason ? ` (${reason})` : ''}.`,
  );
}

/** The whole answer of `GET /api/kubernetes/rayclusters/:namespace/:name`. */
export function progressOf(input: ProgressInput): RayClusterProgress {
  const rc = input.rayCluster;
  const view = viewOf(rc);
  const pods = refused(input.pods) ? undefined : orderPods(input.pods.map(podProgressOf));
  const events = refused(input.events)
    ? undefined
    : orderEvents(input.events.map(clusterEventOf).filter((e): e is ClusterEvent => e !== undefined));
  const deleting = !!rc.metadata.deletionTimestamp;
  return {
    namespace: view.namespace,
    name: view.name,
    clusterId: clusterIdOf(view.namespace, view.name),
    ready: view.ready && !deleting,
    ...(view.state ? { state: view.state } : {}),
    summary: summarise(view, rc, pods),
    conditions: view.conditions,
    workers: { desired: view.workers.desired, ready: view.workers.ready },
    ...(pods ? { pods } : { podsRefused: input.pods as ReadRefusal }),
    ...(events ? { events } : { eventsRefused: input.events as ReadRefusal }),
    can: { delete: input.canDelete },
  };
}

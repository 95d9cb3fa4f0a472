import { z } from 'zod';
import { JobId, type RayJobDetail, type RayJobSummary } from '@ray-console/shared';
import { ObjectMeta } from '../../kubernetes/kube-objects.js';
import { clusterIdOf } from '../kubernetes/raycluster-view.js';
import { isDnsLabel } from '../kubernetes/kube-names.js';

/**
 * What the console makes of a RayJob object (KubeRay `ray.io/v1`), as pure functions. The schema is
 * lenient like the RayCluster one (kube-objects.ts): a RayJob written by hand with odd fields still
 * shows, with what could be read.
 */

const Text = z.string();
const Count = z.number().int().nonnegative().catch(0);

export const RayJobObject = z.object({
  metadata: ObjectMeta.extend({ creationTimestamp: z.unknown().optional() }),
  spec: z
    .object({
      entrypoint: Text.optional(),
      suspend: z.boolean().optional(),
      shutdownAfterJobFinishes: z.boolean().optional(),
      ttlSecondsAfterFinished: z.number().int().optional(),
      activeDeadlineSeconds: z.number().int().optional(),
      backoffLimit: z.number().int().optional(),
      submissionMode: Text.optional(),
      runtimeEnvYAML: Text.optional(),
      metadata: z.record(z.string(), z.string()).optional(),
      clusterSelector: z.record(z.string(), z.string()).optional(),
      rayClusterSpec: z
        .object({
          rayVersion: Text.optional(),
          authOptions: z.object({ mode: Text.optional() }).optional(),
        })
        .optional(),
    })
    .default({}),
  status: z
    .object({
      jobDeploymentStatus: Text.optional(),
      jobStatus: Text.optional(),
      reason: Text.optional(),
      message: Text.optional(),
      failed: Count.optional(),
      succeeded: Count.optional(),
      startTime: z.unknown().optional(),
      endTime: z.unknown().optional(),
      rayClusterName: Text.optional(),
      jobId: Text.optional(),
      rayClusterStatus: z.object({ state: Text.optional() }).optional(),
    })
    .optional(),
});
export type RayJobObject = z.infer<typeof RayJobObject>;

/** Long strings from the object are cut: a message is for reading, not for carrying a megabyte. */
const cut = (s: string | undefined, max = 2000): string | undefined =>
  s === undefined || s === '' ? undefined : s.length > max ? `${s.slice(0, max - 1)}…` : s;

/** A timestamp as the API server writes it (a string in raw JSON, a Date once client-node has typed it). */
function timeOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string') return undefined;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

/**
 * The console id of the RayJob's cluster, only when discovery lists it (the link would lead nowhere
 * otherwise) and its name is one Kubernetes would accept: `status.rayClusterName` is written by
 * whoever may patch the status, and goes into a URL.
 */
function clusterIdFor(job: RayJobObject, isKnownCluster: (id: string) => boolean): string | undefined {
  const name = job.status?.rayClusterName;
  if (!name || !isDnsLabel(name)) return undefined;
  const id = clusterIdOf(job.metadata.namespace, name);
  return isKnownCluster(id) ? id : undefined;
}

/** One RayJob for the list. `isKnownCluster` says whether discovery lists a console cluster id. */
export function summaryOf(job: RayJobObject, isKnownCluster: (id: string) => boolean): RayJobSummary {
  const { metadata, spec, status } = job;
  const jobId = status?.jobId && JobId.safeParse(status.jobId).success ? status.jobId : undefined;
  const clusterId = clusterIdFor(job, isKnownCluster);
  const optional = {
    createdAt: timeOf(metadata.creationTimestamp),
    deploymentStatus: cut(status?.jobDeploymentStatus, 64),
    jobStatus: cut(status?.jobStatus, 64),
    reason: cut(status?.reason, 256),
    message: cut(status?.message),
    startTime: timeOf(status?.startTime),
    endTime: timeOf(status?.endTime),
    rayClusterName: cut(status?.rayClusterName, 253),
    jobId,
    clusterId,
  };
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    entrypoint: cut(spec.entrypoint) ?? '',
    failed: status?.failed ?? 0,
    succeeded: status?.succeeded ?? 0,
    backoffLimit: Math.max(0, spec.backoffLimit ?? 0),
    suspend: spec.suspend === true,
    ...definedOnly(optional),
  };
}

/** KubeRay moves a RayJob to Suspending only from these (rayjob_controller.go updateStatusToSuspendingIfNeeded). */
const SUSPENDABLE = new Set(['Initializing', 'Running']);

/**
 * Why KubeRay would not suspend this RayJob now: its validation refuses `suspend` with a
 * `clusterSelector` or without `shutdownAfterJobFinishes` (the RayJob would then fail with
 * ValidationFailed), and it ignores the flag outside Initializing and Running.
 */
export function suspendBlockedOf(job: RayJobObject): RayJobDetail['suspendBlocked'] {
  if (job.spec.clusterSelector && Object.keys(job.spec.clusterSelector).length > 0) return 'cluster-selector';
  if (!job.spec.shutdownAfterJobFinishes) return 'no-shutdown';
  if (!SUSPENDABLE.has(job.status?.jobDeploymentStatus ?? '')) return 'state';
  return undefined;
}

/** One RayJob with its settings, and what the person may do to it. */
export function detailOf(
  job: RayJobObject,
  isKnownCluster: (id: string) => boolean,
  permissions: RayJobDetail['permissions'],
): RayJobDetail {
  const { spec, status } = job;
  const selector = spec.clusterSelector && Object.keys(spec.clusterSelector).length > 0 ? spec.clusterSelector : {};
  const blocked = suspendBlockedOf(job);
  return {
    ...summaryOf(job, isKnownCluster),
    shutdownAfterJobFinishes: spec.shutdownAfterJobFinishes === true,
    ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished ?? 0,
    tokenAuth: spec.rayClusterSpec?.authOptions?.mode === 'token',
    permissions,
    ...definedOnly({
      activeDeadlineSeconds: spec.activeDeadlineSeconds,
      submissionMode: cut(spec.submissionMode, 64),
      runtimeEnvYAML: cut(spec.runtimeEnvYAML, 20_000),
      metadata: spec.metadata && Object.keys(spec.metadata).length > 0 ? spec.metadata : undefined,
      clusterSelector: Object.keys(selector).length > 0 ? selector : undefined,
      rayVersion: cut(spec.rayClusterSpec?.rayVersion, 64),
      clusterState: cut(status?.rayClusterStatus?.state, 64),
      suspendBlocked: blocked,
    }),
  };
}

/** Newest first; then by name, so the order holds between refreshes. */
export function byNewest(a: RayJobSummary, b: RayJobSummary): number {
  const time = (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
  return time !== 0 ? time : `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}

function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

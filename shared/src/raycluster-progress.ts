// zod/mini: the cluster list's Kubernetes chunk (discovered-clusters.tsx) parses the progress of a cluster
// that is not ready, and mini keeps classic zod out of it (see clusters.ts).
import * as z from 'zod/mini';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ApiErrorBody } from './errors.js';
import { KubernetesCondition } from './kubernetes.js';

/**
 * What a RayCluster is waiting for (issue 12, "the new cluster appears in the list and shows its
 * progress"): the operator's conditions, its head and worker Pods with the reason one is stuck, and the
 * cluster's recent Events, read as the signed-in person and summarised into one sentence.
 */

/** A Pod of the cluster as a person reads it: `pending` until its containers run, `failed` when it gave up. */
export const PodPhase = z
  .enum(['pending', 'running', 'succeeded', 'failed', 'unknown'])
  .register(z.globalRegistry, { id: 'PodPhase' });
export type PodPhase = z.infer<typeof PodPhase>;

export const PodProgress = z
  .object({
    name: z.string(),
    /** `ray.io/node-type`. */
    role: z.enum(['head', 'worker']),
    /** `ray.io/group` (the worker group; `headgroup` for the head). */
    group: z.optional(z.string()),
    phase: PodPhase,
    /** Every container is ready (the Pod's Ready condition). */
    ready: z.boolean(),
    /** The node it was placed on; absent while nothing has scheduled it. */
    node: z.optional(z.string()),
    /**
     * Why it is not running or not ready, in Kubernetes' own words: a container's waiting reason
     * (`ErrImagePull`, `ImagePullBackOff`, `CrashLoopBackOff`, `CreateContainerConfigError`), the
     * scheduler's `Unschedulable`, `NotScheduled` when nothing has placed it on a node, the Pod's own
     * reason (`Evicted`), or a container's termination reason (`OOMKilled`, `Error`).
     */
    reason: z.optional(z.string()),
    /** The message that came with the reason ("0/3 nodes are available: 3 Insufficient cpu."). */
    message: z.optional(z.string()),
    /** The container the reason is about. */
    container: z.optional(z.string()),
    /** The image of that container (for a pull failure). */
    image: z.optional(z.string()),
    restarts: z.number().check(z.int(), z.nonnegative()),
  })
  .register(z.globalRegistry, { id: 'PodProgress' });
export type PodProgress = z.infer<typeof PodProgress>;

export const ClusterEvent = z
  .object({
    type: z.enum(['Normal', 'Warning']),
    reason: z.string(),
    message: z.string(),
    /** What the event is about: the RayCluster or one of its Pods. */
    object: z.object({ kind: z.string(), name: z.string() }),
    /** Who reported it (`raycluster-controller`, `default-scheduler`, `kubelet`). */
    source: z.optional(z.string()),
    count: z.number().check(z.int(), z.nonnegative()),
    /** When it was last seen (ISO 8601), when the API server says. */
    lastSeen: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'ClusterEvent' });
export type ClusterEvent = z.infer<typeof ClusterEvent>;

/**
 * What the person may not read, as the API server refused it: the verb and resource, and for whom.
 * The rest of the answer is still given (the conditions come from the RayCluster itself).
 */
export const ReadRefusal = z
  .object({
    verb: z.string(),
    resource: z.string(),
    user: z.optional(z.string()),
    /** The API server's message, as it gave it. */
    message: z.string(),
  })
  .register(z.globalRegistry, { id: 'ReadRefusal' });
export type ReadRefusal = z.infer<typeof ReadRefusal>;

/**
 * The one sentence of what the cluster waits for, as a code and the values it is built from (the
 * browser words it in the person's language), and in English (`text`, for API clients and logs).
 */
export const ProgressSummaryCode = z
  .enum([
    'ready',
    'readyWorkersPending',
    'deleting',
    'suspended',
    'replicaFailure',
    'noHeadPod',
    'imagePull',
    'unschedulable',
    'notScheduled',
    'crashLoop',
    'containerWaiting',
    'podFailed',
    'starting',
    'provisioning',
  ])
  .register(z.globalRegistry, { id: 'ProgressSummaryCode' });
export type ProgressSummaryCode = z.infer<typeof ProgressSummaryCode>;

export const ProgressSummary = z
  .object({
    code: ProgressSummaryCode,
    /** `pod`, `role`, `reason`, `message`, `image`, `container`, `restarts`, `ready`, `desired`, as the code needs. */
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    text: z.string(),
  })
  .register(z.globalRegistry, { id: 'ProgressSummary' });
export type ProgressSummary = z.infer<typeof ProgressSummary>;

export const RayClusterProgress = z
  .object({
    namespace: z.string(),
    name: z.string(),
    /** The console's id of the cluster (`k8s~<namespace>~<name>`), for links to its pages. */
    clusterId: z.string(),
    /** The head Pod is ready (HeadPodReady) and the cluster is not suspended or being deleted. */
    ready: z.boolean(),
    /** `status.state` (`ready`, `suspended`; absent while provisioning). */
    state: z.optional(z.string()),
    summary: ProgressSummary,
    conditions: z.array(KubernetesCondition),
    workers: z.object({
      desired: z.number().check(z.int(), z.nonnegative()),
      ready: z.number().check(z.int(), z.nonnegative()),
    }),
    /** Head first, then workers by name; absent when the person may not list Pods (`podsRefused`). */
    pods: z.optional(z.array(PodProgress)),
    podsRefused: z.optional(ReadRefusal),
    /** Warnings first, then the newest; absent when the person may not list Events (`eventsRefused`). */
    events: z.optional(z.array(ClusterEvent)),
    eventsRefused: z.optional(ReadRefusal),
    /** What the person may do to it (a SelfSubjectAccessReview each): the page offers only that. */
    can: z.object({ delete: z.boolean() }),
  })
  .register(z.globalRegistry, { id: 'RayClusterProgress' });
export type RayClusterProgress = z.infer<typeof RayClusterProgress>;

/** `DELETE /api/kubernetes/rayclusters/{namespace}/{name}`: the name typed again, as a guard against slips. */
export const DeleteRayClusterRequest = z
  .object({ confirmName: z.string().check(z.maxLength(253)) })
  .register(z.globalRegistry, { id: 'DeleteRayClusterRequest' });
export type DeleteRayClusterRequest = z.infer<typeof DeleteRayClusterRequest>;

const errorJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: ApiErrorBody } },
});

const objectParams = z.object({
  namespace: z.string().register(z.globalRegistry, { description: 'The namespace (a DNS label).' }),
  name: z.string().register(z.globalRegistry, { description: "The RayCluster's name (a DNS subdomain)." }),
});

const kubeErrors = {
  '400': errorJson('The namespace or name is not a valid Kubernetes name (`validation`).'),
  '401': errorJson('No Kubernetes identity to act as: the message says how to get one.'),
  '403': errorJson('The API server refused the person (`params.verb`, `params.resource`, `params.user`).'),
  '404': errorJson('No such RayCluster (`not_found`).'),
  '503': errorJson('The Kubernetes API server cannot be reached (`unavailable`).'),
};

/** The OpenAPI paths of a RayCluster's progress, delete and YAML export. */
export const rayClusterProgressPaths: ZodOpenApiPathsObject = {
  '/api/kubernetes/rayclusters/{namespace}/{name}': {
    get: {
      summary:
        "A RayCluster's progress as the signed-in person: conditions, Pods with why one is stuck, Events, one sentence of what it waits for.",
      requestParams: { path: objectParams },
      responses: {
        '200': {
          description: 'The progress; `podsRefused`/`eventsRefused` say what the person may not read.',
          content: { 'application/json': { schema: RayClusterProgress } },
        },
        ...kubeErrors,
      },
    },
    delete: {
      summary: 'Deletes a RayCluster as the signed-in person, once its name is typed again (`confirmName`).',
      requestParams: { path: objectParams },
      requestBody: { content: { 'application/json': { schema: DeleteRayClusterRequest } } },
      responses: {
        '204': { description: 'Deleted (the operator and garbage collector remove its Pods and Services).' },
        ...kubeErrors,
        '400': errorJson(
          "`confirmName` is not the cluster's name (`validation`, `fields.confirmName` says what to type).",
        ),
      },
    },
  },
  '/api/kubernetes/rayclusters/{namespace}/{name}/yaml': {
    get: {
      summary: 'The RayCluster as the YAML `kubectl apply -f` takes (no status, no server bookkeeping).',
      requestParams: { path: objectParams },
      responses: {
        '200': { description: 'The manifest.', content: { 'text/yaml': { schema: z.string() } } },
        ...kubeErrors,
      },
    },
  },
};

import { z } from 'zod';

/*
 * RayJobs (KubeRay `ray.io/v1`): the list, one RayJob's details, suspend/resume and delete. Everything
 * here is read from the RayJob object as the person's Kubernetes identity sees it; strings the operator
 * (or whoever may patch the RayJob) wrote are shown as text, never used as addresses.
 */

/** A Kubernetes namespace (RFC 1123 label), as the URL carries it. */
export const KubeNamespace = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'Use a Kubernetes namespace: lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit.',
  );

/**
 * A RayJob's name. The API server allows DNS subdomains; KubeRay names the cluster and its Services
 * after the RayJob, so a label is what works (the operator refuses longer names with an event).
 */
export const RayJobName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'Use lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit.',
  );

export const RayJobParams = z.object({ namespace: KubeNamespace, name: RayJobName });

export const RayJobListQuery = z.object({
  namespace: KubeNamespace.optional().meta({
    description: 'List this namespace only; without it, the namespaces Kubernetes discovery searches.',
  }),
});

/** One RayJob in the list: where it is in its life, and the cluster and Ray job it made. */
export const RayJobSummary = z
  .object({
    namespace: z.string(),
    name: z.string(),
    createdAt: z.string().optional(),
    entrypoint: z.string(),
    /**
     * `status.jobDeploymentStatus`: KubeRay's view of the whole RayJob (New, Initializing, Running,
     * Complete, Failed, Suspending, Suspended, Retrying, Waiting, ValidationFailed).
     */
    deploymentStatus: z.string().optional(),
    /** `status.jobStatus`: the Ray job's own status (PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED). */
    jobStatus: z.string().optional(),
    /** `status.reason` (DeadlineExceeded, ValidationFailed, AppFailed, ...) and `status.message`. */
    reason: z.string().optional(),
    message: z.string().optional(),
    /** Attempts that failed and succeeded; a RayJob is retried while `failed` ≤ `backoffLimit`. */
    failed: z.number().int().nonnegative(),
    succeeded: z.number().int().nonnegative(),
    backoffLimit: z.number().int().nonnegative(),
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    /** `spec.suspend`: true while suspended or being suspended. */
    suspend: z.boolean(),
    /** The RayCluster the operator made for this run (`status.rayClusterName`). */
    rayClusterName: z.string().optional(),
    /** The Ray job's submission id inside that cluster (`status.jobId`). */
    jobId: z.string().optional(),
    /**
     * The console's id of that cluster, present only when Kubernetes discovery lists it: the Ray job is
     * then at `/clusters/{clusterId}/jobs/{jobId}` (its logs and debugging pages, after signing in).
     */
    clusterId: z.string().optional(),
  })
  .meta({ id: 'RayJobSummary' });
export type RayJobSummary = z.infer<typeof RayJobSummary>;

export const RayJobList = z
  .object({
    items: z.array(RayJobSummary),
    /** The namespaces listed. */
    namespaces: z.array(z.string()),
  })
  .meta({ id: 'RayJobList' });
export type RayJobList = z.infer<typeof RayJobList>;

/** What this person may do to the RayJob, as the API server answers a SelfSubjectAccessReview. */
export const RayJobPermissions = z.object({ patch: z.boolean(), delete: z.boolean() });

export const RayJobDetail = RayJobSummary.extend({
  shutdownAfterJobFinishes: z.boolean(),
  ttlSecondsAfterFinished: z.number().int(),
  activeDeadlineSeconds: z.number().int().optional(),
  submissionMode: z.string().optional(),
  runtimeEnvYAML: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  /** `spec.clusterSelector`: the RayJob runs on an existing cluster instead of making one. */
  clusterSelector: z.record(z.string(), z.string()).optional(),
  /** From the embedded cluster spec. */
  rayVersion: z.string().optional(),
  /** `rayClusterSpec.authOptions.mode === 'token'`: the cluster it makes checks a Ray token. */
  tokenAuth: z.boolean(),
  /** `status.rayClusterStatus.state` of the cluster it made, as the RayJob reports it. */
  clusterState: z.string().optional(),
  /**
   * Why suspend is not possible now (KubeRay allows it only from Initializing or Running, with
   * `shutdownAfterJobFinishes` and without `clusterSelector`); absent when it is.
   */
  suspendBlocked: z.enum(['cluster-selector', 'no-shutdown', 'state']).optional(),
  permissions: RayJobPermissions,
}).meta({ id: 'RayJobDetail' });
export type RayJobDetail = z.infer<typeof RayJobDetail>;

/** `PATCH /api/kubernetes/rayjobs/{namespace}/{name}`: suspend (true) or resume (false). */
export const RayJobSuspendRequest = z.object({ suspend: z.boolean() }).strict();
export type RayJobSuspendRequest = z.infer<typeof RayJobSuspendRequest>;

export const RayJobYaml = z.object({ yaml: z.string() }).meta({ id: 'RayJobYaml' });
export type RayJobYaml = z.infer<typeof RayJobYaml>;

export const RayJobDeleted = z.object({ deleted: z.literal(true) }).meta({ id: 'RayJobDeleted' });
export type RayJobDeleted = z.infer<typeof RayJobDeleted>;

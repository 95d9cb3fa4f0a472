import { z } from 'zod';
import { DNS_1123_LABEL, KubeNamespace } from './kube-names.js';
import { RAYCLUSTER_NAME_MAX, RayClusterSpecForm } from './raycluster-form.js';

/*
 * RayJobs (KubeRay `ray.io/v1`): the list, one RayJob's details, suspend/resume and delete. Everything
 * here is read from the RayJob object as the person's Kubernetes identity sees it; strings the operator
 * (or whoever may patch the RayJob) wrote are shown as text, never used as addresses.
 */

/**
 * A RayJob's name. The API server allows DNS subdomains; KubeRay names the cluster and its Services
 * after the RayJob, so a label is what works (the operator refuses longer names with an event).
 */
export const RayJobName = z
  .string()
  .regex(
    DNS_1123_LABEL,
    'Use lower-case letters, digits and "-", at most 63, starting and ending with a letter or digit.',
  );

export const RayJobParams = z.object({ namespace: KubeNamespace, name: RayJobName });

export const RayJobListQuery = z.object({
  namespace: KubeNamespace.optional().meta({
    description:
      'List this namespace only; without it, the namespaces Kubernetes discovery searches (`default` when it searches all).',
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

// ---- "on a new cluster": a RayJob from the submit form ---------------------------------------------

/**
 * KubeRay refuses longer RayJob names (`MaxRayJobNameLength`, ray-operator utils/constant.go): the
 * cluster it makes is `<name>-<5 characters>`, which must fit the RayCluster limit (53).
 */
export const RAYJOB_NAME_MAX = RAYCLUSTER_NAME_MAX - 6;

/** The edited YAML's size limit: a RayJob is a few KB; a paste of megabytes is a mistake. */
export const RAYJOB_YAML_MAX = 64 * 1024;

const seconds = (what: string) =>
  z
    .number({ error: `Give ${what} as a whole number of seconds.` })
    .int(`Give ${what} as a whole number of seconds.`)
    .min(0, `${what[0]!.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(2147483647, `${what[0]!.toUpperCase()}${what.slice(1)} must be at most 2147483647 seconds.`);

/**
 * A job "on a new cluster": the submit form's job part (entrypoint, runtime environment, metadata,
 * entrypoint resources) and a cluster made for it (the "New RayCluster" form's Ray part). KubeRay makes
 * the cluster, submits the job, and with `shutdownAfterJobFinishes` deletes the cluster
 * `ttlSecondsAfterFinished` seconds after the job ends. Its token is KubeRay's `authOptions`: the manual
 * Secret way needs the cluster's name in advance, which KubeRay picks.
 */
export const RayJobForm = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the RayJob a name.')
      .max(RAYJOB_NAME_MAX, `KubeRay accepts RayJob names of at most ${RAYJOB_NAME_MAX} characters: shorten it.`)
      .regex(
        /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
        'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit.',
      ),
    namespace: KubeNamespace,
    entrypoint: z.string().trim().min(1, 'Give the command that starts the job, like python main.py.').max(10_000),
    /** Ray's runtime environment (`env_vars`, `pip`, `working_dir` as a URI...), sent as `runtimeEnvYAML`. */
    runtimeEnv: z.record(z.string(), z.unknown()).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    entrypointNumCpus: z.number().min(0, 'CPUs cannot be negative.').optional(),
    entrypointNumGpus: z.number().min(0, 'GPUs cannot be negative.').optional(),
    cluster: RayClusterSpecForm.refine((c) => c.auth === 'authOptions', {
      path: ['auth'],
      message:
        "A RayJob's cluster gets its token from KubeRay's authOptions (KubeRay 1.5.1 or later); the Secret way needs a cluster name KubeRay only picks later.",
    }),
    shutdownAfterJobFinishes: z.boolean(),
    ttlSecondsAfterFinished: seconds('the time the cluster is kept after the job'),
    backoffLimit: z
      .number({ error: 'Give the number of retries as a whole number.' })
      .int('Give the number of retries as a whole number.')
      .min(0, 'The number of retries cannot be negative.')
      .max(100, 'Retry at most 100 times.'),
    activeDeadlineSeconds: seconds('the deadline').min(1, 'Give the deadline as at least 1 second.').optional(),
  })
  .superRefine((f, ctx) => {
    // KubeRay's validation refuses a TTL without shutdown (the RayJob would fail with ValidationFailed).
    if (!f.shutdownAfterJobFinishes && f.ttlSecondsAfterFinished > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['ttlSecondsAfterFinished'],
        message:
          'A time to keep the cluster needs "delete the cluster when the job ends": set it to 0 or turn that on.',
      });
  })
  .meta({ id: 'RayJobForm' });
export type RayJobForm = z.infer<typeof RayJobForm>;
export type RayJobFormInput = z.input<typeof RayJobForm>;

export const RayJobPreviewRequest = z.object({ form: RayJobForm }).meta({ id: 'RayJobPreviewRequest' });
export const RayJobPreview = z.object({ yaml: z.string() }).meta({ id: 'RayJobPreview' });
export type RayJobPreview = z.infer<typeof RayJobPreview>;

/** Exactly one of `form` and `yaml`; `dryRun: true` sends `dryRun=All` (validated as the person, nothing stored). */
export const RayJobCreateRequest = z
  .object({
    form: RayJobForm.optional(),
    yaml: z
      .string()
      .min(1, 'Paste or write the RayJob YAML.')
      .max(RAYJOB_YAML_MAX, `The YAML is larger than ${RAYJOB_YAML_MAX / 1024} KB: one RayJob is enough.`)
      .optional(),
    dryRun: z.boolean({ error: 'Say whether this is a dry run (true or false).' }),
  })
  .refine((r) => (r.form === undefined) !== (r.yaml === undefined), {
    message: 'Send either the form or the YAML, not both and not neither.',
  })
  .meta({ id: 'RayJobCreateRequest' });
export type RayJobCreateRequest = z.input<typeof RayJobCreateRequest>;

export const RayJobCreated = z
  .object({
    namespace: z.string(),
    name: z.string(),
    dryRun: z.boolean(),
    /** Who the API server saw create it (the person's Kubernetes user). */
    user: z.string(),
  })
  .meta({ id: 'RayJobCreated' });
export type RayJobCreated = z.infer<typeof RayJobCreated>;

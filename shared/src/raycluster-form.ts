import { z } from 'zod';

/*
 * The "New RayCluster" form (issue 12): what a person chooses, before the server turns it into a
 * RayCluster (server/src/features/kuberay/raycluster-manifest.ts). The RayJob "on a new cluster" form
 * embeds the same cluster part. Every check here is one KubeRay or the API server would make later
 * (where a refusal would come as an operator Event nobody reads), made early so the message sits on the
 * field to change. Classic zod: only the lazily loaded create pages parse with it.
 */

/**
 * KubeRay refuses RayCluster names longer than this (`MaxRayClusterNameLength`, ray-operator
 * controllers/ray/utils/constant.go): its Pods and Services get suffixes that must still fit in 63.
 */
export const RAYCLUSTER_NAME_MAX = 53;

/** KubeRay's token auth (`authOptions.mode: token`, or the manual env way) needs Ray 2.52.0 or later. */
export const MIN_TOKEN_AUTH_RAY_VERSION = '2.52.0';

/** The image KubeRay's samples use for a Ray version; the form's default. */
export const defaultRayImage = (rayVersion: string): string => `rayproject/ray:${rayVersion}`;

/** DNS-1035 label: what KubeRay requires of a RayCluster name (a letter first, so Service names are valid). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 label: a namespace name. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Ray release: three numbers (KubeRay compares versions numerically, and images are tagged so). */
const RAY_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/**
 * A container image reference: `[registry[:port]/]path[:tag][@digest]`, lower-case path, no spaces.
 * Looser than the OCI grammar in one way only (registry host case); the kubelet has the last word.
 */
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** CPUs as Kubernetes writes them: whole or decimal cores (`2`, `0.5`) or millicores (`500m`). */
const CPU_QUANTITY = /^(?:\d+(?:\.\d+)?|\d+m)$/;
/** Memory as Kubernetes writes it: bytes with a binary or decimal suffix (`8Gi`, `512Mi`, `4G`). */
const MEMORY_QUANTITY = /^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** The largest replica count KubeRay stores (`int32`). */
const INT32_MAX = 2147483647;

/** Compares two `x.y.z` versions numerically. */
export function compareRayVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a version string is a Ray release with token authentication (`x.y.z` ≥ 2.52.0). */
export const supportsTokenAuth = (rayVersion: string): boolean =>
  RAY_VERSION.test(rayVersion) && compareRayVersions(rayVersion, MIN_TOKEN_AUTH_RAY_VERSION) >= 0;

/** A positive number of CPUs (zero CPUs would let Kubernetes place a Ray node anywhere, and Ray would idle). */
export const CpuQuantity = z
  .string()
  .trim()
  .regex(CPU_QUANTITY, 'Write CPUs as a number of cores like "2" or "0.5", or millicores like "500m".')
  .refine((v) => !CPU_QUANTITY.test(v) || Number.parseFloat(v) > 0, 'Give at least some CPU, like "1" or "500m".');

/** A positive amount of memory with its unit. */
export const MemoryQuantity = z
  .string()
  .trim()
  .regex(MEMORY_QUANTITY, 'Write memory with its unit, like "8Gi" or "512Mi".')
  .refine((v) => !MEMORY_QUANTITY.test(v) || Number.parseFloat(v) > 0, 'Give some memory, like "4Gi".');

const replicaCount = (what: string) =>
  z
    .number({ error: `Give the ${what} as a whole number.` })
    .int(`Give the ${what} as a whole number.`)
    .min(0, `The ${what} cannot be negative.`)
    .max(INT32_MAX, `The ${what} must be at most ${INT32_MAX}.`);

/** The worker group's size as the manifest takes it. */
export type WorkerScaling =
  { mode: 'fixed'; replicas: number } | { mode: 'autoscaling'; minReplicas: number; maxReplicas: number };

/**
 * A fixed number of workers, or the Ray autoscaler between two bounds (KubeRay's in-tree autoscaling:
 * it starts `minReplicas` and adds workers up to `maxReplicas` as tasks wait for resources).
 *
 * One object checked by mode, not a (discriminated) union: a union reports a wrong count as "Invalid
 * input" on the whole group instead of on its field, and a discriminated union (with z.literal) grows
 * the browser's zod chunk, which the first page loads, by 0.5 KB gzip.
 */
export const WorkerScaling = z
  .object({
    mode: z.enum(['fixed', 'autoscaling'], { error: 'Choose a fixed number of workers or autoscaling.' }),
    replicas: z.optional(replicaCount('number of workers')),
    minReplicas: z.optional(replicaCount('minimum number of workers')),
    maxReplicas: z.optional(replicaCount('maximum number of workers')),
  })
  .superRefine((s, ctx) => {
    const need = (key: 'replicas' | 'minReplicas' | 'maxReplicas', what: string) => {
      if (s[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `Give the ${what}.` });
    };
    if (s.mode === 'fixed') return need('replicas', 'number of workers');
    need('minReplicas', 'minimum number of workers');
    need('maxReplicas', 'maximum number of workers');
    if (s.minReplicas !== undefined && s.maxReplicas !== undefined && s.minReplicas > s.maxReplicas)
      ctx.addIssue({
        code: 'custom',
        path: ['maxReplicas'],
        message: `The maximum must be at least the minimum (${s.minReplicas}): raise it or lower the minimum.`,
      });
  })
  .transform((s): WorkerScaling =>
    s.mode === 'fixed'
      ? { mode: 'fixed', replicas: s.replicas ?? 0 }
      : { mode: 'autoscaling', minReplicas: s.minReplicas ?? 0, maxReplicas: s.maxReplicas ?? 0 },
  );

/**
 * How the head checks callers' tokens:
 * - `authOptions`: `spec.authOptions.mode: token` (KubeRay ≥ 1.5.1); the operator generates the token
 *   into a Secret named like the cluster;
 * - `secret-env`: the KubeRay guide's way for older operators: the console creates a Secret with a token
 *   it generates (never shown to anyone) and sets `RAY_AUTH_MODE=token` and `RAY_AUTH_TOKEN` from it on
 *   every Ray container.
 */
export const RayClusterAuth = z.enum(['authOptions', 'secret-env']);
export type RayClusterAuth = z.infer<typeof RayClusterAuth>;

/** The Ray part of the form: what a RayCluster and a RayJob's embedded cluster share. */
export const RayClusterSpecForm = z.object({
  rayVersion: z
    .string()
    .trim()
    .regex(RAY_VERSION, 'Write the Ray version as three numbers, like 2.53.0.')
    .refine(
      (v) => compareRayVersions(v, MIN_TOKEN_AUTH_RAY_VERSION) >= 0,
      `Token authentication needs Ray ${MIN_TOKEN_AUTH_RAY_VERSION} or later: choose a newer version.`,
    ),
  /** Empty or absent: {@link defaultRayImage} of the version. */
  image: z.optional(
    z
      .string()
      .trim()
      .max(512, 'The image reference must be at most 512 characters.')
      .refine(
        (v) => v === '' || IMAGE_REFERENCE.test(v),
        'Write an image reference like rayproject/ray:2.53.0 (no spaces, lower-case name), or leave it empty.',
      ),
  ),
  head: z.object({ cpu: CpuQuantity, memory: MemoryQuantity }),
  worker: z.object({ cpu: CpuQuantity, memory: MemoryQuantity, scaling: WorkerScaling }),
  auth: RayClusterAuth,
});
export type RayClusterSpecForm = z.infer<typeof RayClusterSpecForm>;

/** The whole "New RayCluster" form. Field paths (`head.cpu`, `worker.scaling.maxReplicas`) name its inputs. */
export const RayClusterForm = RayClusterSpecForm.extend({
  name: z
    .string()
    .trim()
    .min(1, 'Give the cluster a name.')
    .max(RAYCLUSTER_NAME_MAX, `KubeRay accepts names of at most ${RAYCLUSTER_NAME_MAX} characters: shorten it.`)
    .regex(
      DNS_1035_LABEL,
      'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit.',
    ),
  namespace: z
    .string()
    .trim()
    .min(1, 'Choose a namespace.')
    .max(63, 'Namespace names have at most 63 characters.')
    .regex(DNS_1123_LABEL, 'Use lower-case letters, digits and "-", starting and ending with a letter or digit.'),
}).meta({ id: 'RayClusterForm' });
export type RayClusterForm = z.infer<typeof RayClusterForm>;

/** What the form starts with: the smallest cluster that runs a job, one worker, the first version with tokens. */
export const RAYCLUSTER_FORM_DEFAULTS = {
  rayVersion: '2.53.0',
  image: '',
  head: { cpu: '1', memory: '4Gi' },
  worker: { cpu: '1', memory: '4Gi', scaling: { mode: 'fixed', replicas: 1 } },
  auth: 'authOptions',
} as const satisfies Omit<RayClusterForm, 'name' | 'namespace'>;

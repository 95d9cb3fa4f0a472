import { z } from 'zod';
import { ClusterId } from './clusters.js';
import { RayClusterForm } from './raycluster-form.js';

/*
 * Creating a RayCluster as the signed-in person (issue 12): preview the manifest, check it with a
 * server-side dry run, create it. The browser sends the form or the YAML the person edited; the token
 * of the `secret-env` way is made on the server and never comes back.
 */

/** The edited YAML's size limit: a RayCluster is a few KB; a paste of megabytes is a mistake. */
export const RAYCLUSTER_YAML_MAX = 64 * 1024;

export const RayClusterPreviewRequest = z.object({ form: RayClusterForm }).meta({ id: 'RayClusterPreviewRequest' });
export type RayClusterPreviewRequest = z.infer<typeof RayClusterPreviewRequest>;

export const RayClusterPreview = z
  .object({
    /** The RayCluster as `kubectl apply -f` takes it; the person may edit it and create that instead. */
    yaml: z.string(),
    /**
     * The `secret-env` way: the Secret created beside the cluster, with a placeholder where the token
     * goes (the real one is made at create time and is never shown).
     */
    secret: z.optional(z.object({ name: z.string(), yaml: z.string() })),
  })
  .meta({ id: 'RayClusterPreview' });
export type RayClusterPreview = z.infer<typeof RayClusterPreview>;

/**
 * Exactly one of `form` and `yaml`. `dryRun: true` sends `dryRun=All`: the API server validates and
 * admits the objects as the person and stores nothing.
 */
export const RayClusterCreateRequest = z
  .object({
    form: z.optional(RayClusterForm),
    yaml: z.optional(
      z
        .string()
        .min(1, 'Paste or write the RayCluster YAML.')
        .max(
          RAYCLUSTER_YAML_MAX,
          `The YAML is larger than ${RAYCLUSTER_YAML_MAX / 1024} KB: one RayCluster is enough.`,
        ),
    ),
    dryRun: z.boolean({ error: 'Say whether this is a dry run (true or false).' }),
  })
  .refine((r) => (r.form === undefined) !== (r.yaml === undefined), {
    message: 'Send either the form or the YAML, not both and not neither.',
  })
  .meta({ id: 'RayClusterCreateRequest' });
export type RayClusterCreateRequest = z.infer<typeof RayClusterCreateRequest>;

export const RayClusterCreated = z
  .object({
    namespace: z.string(),
    name: z.string(),
    /** The console's id of the cluster, once discovery lists it (`k8s~<namespace>~<name>`). */
    clusterId: ClusterId,
    dryRun: z.boolean(),
    /** Who the API server saw create it (the person's Kubernetes user). */
    user: z.string(),
    /**
     * The `secret-env` way: the token Secret; `created: false` when a Secret of that name already
     * existed and is used as it is.
     */
    tokenSecret: z.optional(z.object({ name: z.string(), created: z.boolean() })),
  })
  .meta({ id: 'RayClusterCreated' });
export type RayClusterCreated = z.infer<typeof RayClusterCreated>;

/**
 * `params.unsupported` of the `validation` error answered when the KubeRay CRD of the cluster does not
 * know `spec.authOptions` (KubeRay before 1.5.1): the form offers the `secret-env` way then.
 */
export const AUTH_OPTIONS_UNSUPPORTED = 'authOptions';

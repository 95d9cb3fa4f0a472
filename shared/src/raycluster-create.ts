import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ClusterId } from './clusters.js';
import { error, json, writeErrors } from './openapi-fragments.js';
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

const createErrors = {
  '400': error(
    'The form or the YAML is not valid (`validation`); `fields` maps each form field (`head.cpu`) or, for what the form has no field for, the API path (`spec.headGroupSpec...`) to what to change. `params.unsupported: authOptions` means the KubeRay operator is older than 1.5.1: use `auth: secret-env`.',
  ),
  '401': error('No Kubernetes identity for this person; the message says how to get one.'),
  '403': error(
    'The API server refused the person (`forbidden`; `params` names the verb, resource, namespace and user), or CSRF.',
  ),
  '409': error('A RayCluster of that name exists in that namespace (`conflict`).'),
  '413': error('The YAML is too large (`payload_too_large`).'),
  '503': error('The Kubernetes API server cannot be reached (`unavailable`).'),
};

/** The OpenAPI paths of RayCluster creation, listed by {@link buildOpenApiDocument}. */
export const rayClusterCreatePaths: ZodOpenApiPathsObject = {
  '/api/kubernetes/rayclusters/preview': {
    post: {
      summary: 'The RayCluster (and for `secret-env` the Secret, token left out) a form stands for, as YAML.',
      requestBody: { content: { 'application/json': { schema: RayClusterPreviewRequest } } },
      responses: {
        '200': json(RayClusterPreview, 'The manifests.'),
        '400': createErrors['400'],
        ...writeErrors,
      },
    },
  },
  '/api/kubernetes/rayclusters': {
    post: {
      summary:
        'Create a token-protected RayCluster as the signed-in person, from the form or the edited YAML; `dryRun` checks without storing.',
      requestBody: { content: { 'application/json': { schema: RayClusterCreateRequest } } },
      responses: {
        '200': json(RayClusterCreated, 'Dry run: the API server would accept it.'),
        '201': json(RayClusterCreated, 'Created.'),
        ...createErrors,
      },
    },
  },
};

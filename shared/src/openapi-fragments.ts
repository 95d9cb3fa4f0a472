/** Pieces of OpenAPI path objects that every feature's routes share. */
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import { z } from 'zod';
import { ApiErrorBody } from './errors.js';
import { ClusterId } from './clusters.js';

type Responses = NonNullable<ZodOpenApiOperationObject['responses']>;

export const json = (schema: z.core.$ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const error = (description: string) => json(ApiErrorBody, description);

/** Errors every cluster route can answer besides its own. */
export const clusterErrors: Responses = {
  '400': error('A path or query parameter (the cluster id, say) is not valid (`validation`).'),
  '401': error('Not signed in to this cluster (`signed_out`), or the head rejected the stored token.'),
  '403': error(
    "With per-cluster roles (OIDC sign-in): the person's role on this cluster does not allow this (`forbidden`; `params.role` is the role needed).",
  ),
  '404': error('No cluster with this id (or, with per-cluster roles, none the person has a role on).'),
  '502': error('The Ray head cannot be reached or did not answer like a Ray dashboard.'),
  '503': error(
    "The session store cannot be reached right now (`unavailable`); try again shortly. For a cluster whose token the console holds (`managedToken`): the head rejected the token in the console's token file (`token_file_outdated`); it works again once the file is updated.",
  ),
};

/** Errors of every state-changing route. */
export const writeErrors: Responses = {
  '403': error(
    "Missing `X-CSRF-Token`, or a request from another site (`csrf`); or, with per-cluster roles, the person's role on this cluster does not allow this (`forbidden`; `params.role` is the role needed).",
  ),
};

export const clusterParams = z.object({ clusterId: ClusterId });

import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { error, json, writeErrors } from './openapi-fragments.js';
import {
  RayClusterCreated,
  RayClusterCreateRequest,
  RayClusterPreview,
  RayClusterPreviewRequest,
} from './raycluster-create.js';

// Apart from the schemas (as jobs.openapi.ts is): the page that parses with them does not load the fragments.

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

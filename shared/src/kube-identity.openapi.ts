import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { KubeCanI, KubeCanIQuery, KubeIdentity, KubeTokenPaste } from './kube-identity.js';
import { error, json, writeErrors } from './openapi-fragments.js';

/** The routes of the person's Kubernetes identity (issue 12). */
export const kubeIdentityPaths: ZodOpenApiPathsObject = {
  '/api/kubernetes/identity': {
    get: {
      summary: 'Whose Kubernetes identity the console acts with for this person, or how to get one.',
      responses: { '200': json(KubeIdentity, 'The identity (`mode: none` and `enable` when there is none).') },
    },
  },
  '/api/kubernetes/identity/can-i': {
    get: {
      summary: 'May the person do this in Kubernetes (a SelfSubjectAccessReview as them)?',
      requestParams: { query: KubeCanIQuery },
      responses: {
        '200': json(KubeCanI, 'The API server’s answer.'),
        '400': error('A parameter is not valid (`validation`).'),
        '401': error(
          'No Kubernetes identity for this person (`kube_identity_required`), or the pasted token expired (`kube_token_expired`) or was rejected (`kube_token_rejected`).',
        ),
        '503': error('The Kubernetes API server cannot be reached, or refuses the console’s own credentials.'),
      },
    },
  },
  '/api/kubernetes/identity/token': {
    put: {
      summary:
        'Paste a Kubernetes token (KUBERNETES_ACT_AS=token): checked with the API server, sealed in the session.',
      requestBody: { content: { 'application/json': { schema: KubeTokenPaste } } },
      responses: {
        '200': json(KubeIdentity, 'Who the token is, and its expiry.'),
        '400': error('No token, or not one (`validation`).'),
        '401': error(
          'The token has expired (`kube_token_expired`) or the API server rejects it (`kube_token_rejected`).',
        ),
        '409': error('This console does not use pasted tokens (`conflict`; `params.mode` says what it does).'),
        '503': error('The Kubernetes API server cannot be reached.'),
        ...writeErrors,
      },
    },
    delete: {
      summary: 'Forget the pasted Kubernetes token.',
      responses: { '204': { description: 'Forgotten (also when there was none).' }, ...writeErrors },
    },
  },
};

import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { LoginResponse } from './clusters.js';
import { clusterErrors, clusterParams, error, json } from './openapi-fragments.js';
import { SignInOptions } from './secret-sign-in.js';

// Apart from the schemas: the sign-in prompt (first page) parses SignInOptions, and these fragments
// bring classic zod with them.
export const secretSignInPaths: ZodOpenApiPathsObject = {
  '/api/clusters/{clusterId}/sign-in/options': {
    get: {
      summary:
        'How this session may sign in besides pasting a token: whether the person may read the cluster\'s token Secret ("Sign in as me").',
      requestParams: { path: clusterParams },
      responses: {
        '200': json(SignInOptions, 'The options.'),
        ...clusterErrors,
        '503': error('The Kubernetes API server cannot be reached, or did not answer the access review.'),
      },
    },
  },
  '/api/clusters/{clusterId}/sign-in/kubernetes-secret': {
    post: {
      summary:
        "Sign in as me: read the cluster's token Secret as the signed-in person (their Kubernetes identity), check the token with the head and keep it, encrypted, in the session. The token is never sent to the browser.",
      requestParams: { path: clusterParams },
      responses: {
        '200': {
          ...json(LoginResponse, 'Signed in.'),
          headers: {
            'X-CSRF-Token': {
              description: "The session's new CSRF token: sign-in replaces it, and the one from before is refused.",
              schema: { type: 'string' },
            },
          },
        },
        '401': error(
          'The console has no Kubernetes identity for this person, or the head says a token is missing (`token_missing`).',
        ),
        '403': error(
          'The API server refused to let this person get the Secret (the message names the verb, resource and user), the head rejected the token in it (`token_rejected`), or the CSRF check failed (`csrf`).',
        ),
        '404': error('No such cluster, or the Secret (or its key) does not exist (`not_found`).'),
        '409': error(
          'The cluster keeps its token in no Kubernetes Secret the console knows, or signing in with a token is turned off for it (`conflict`).',
        ),
        '429': error('Too many sign-in attempts from this address; see `Retry-After`.'),
        '502': clusterErrors['502']!,
        '503': error('The Kubernetes API server cannot be reached.'),
      },
    },
  },
};

import { createDocument } from 'zod-openapi';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { clusterErrors, clusterParams, error, json, writeErrors } from './openapi-fragments.js';
import { ClusterList, LoginRequest, LoginResponse, SessionInfo } from './clusters.js';
import { SignOutResponse } from './identity.js';
import { ClusterResources } from './resources.js';
import { Health } from './health.js';
import { jobsPaths } from './jobs.openapi.js';
import { kubernetesPaths } from './kubernetes.js';
import { rayClusterProgressPaths } from './raycluster-progress.js';
import { auditPaths } from './audit.js';
import { debuggingPaths } from './debugging.openapi.js';
import { secretSignInPaths } from './secret-sign-in.openapi.js';
import { rayServicePaths } from './rayservice.js';
import { rayClusterCreatePaths } from './raycluster-create.openapi.js';
import { kubeIdentityPaths } from './kube-identity.openapi.js';

/**
 * The OpenAPI 3.1 description of the BFF, built from the same zod schemas the server parses with, so
 * the document cannot drift from what the server accepts. A feature with routes of its own exports a
 * path object from its module here in `shared/`, and {@link buildOpenApiDocument} lists it.
 */
const basePaths: ZodOpenApiPathsObject = {
  '/api/healthz': {
    get: {
      summary: 'Liveness of the BFF (calls no cluster).',
      responses: { '200': json(Health, 'The BFF is running.') },
    },
  },
  '/api/openapi.json': {
    get: {
      summary: 'This document: the OpenAPI 3.1 description of every route.',
      responses: { '200': json(z.looseObject({ openapi: z.string() }), 'The OpenAPI document.') },
    },
  },
  '/api/readyz': {
    get: {
      summary: 'Readiness: 503 while the session store is away or this replica is shutting down.',
      responses: {
        '200': json(
          Health,
          "Ready for requests; `warnings` names what works but needs the operator (a cluster's token file whose new content cannot be used).",
        ),
        '503': error('Not ready (`unavailable`); send requests to another replica.'),
      },
    },
  },
  '/api/metrics': {
    get: {
      summary:
        'Prometheus gauges (counts only): readiness, open live tails and sockets to Ray, memory. Needs METRICS_TOKEN as a bearer token.',
      responses: {
        '200': { description: 'Prometheus text format.', content: { 'text/plain': { schema: z.string() } } },
        '401': error('No or a wrong `Authorization: Bearer <METRICS_TOKEN>` (`token_missing`).'),
        '404': error('Metrics are off: METRICS_TOKEN is not set (`not_found`).'),
      },
    },
  },
  '/api/session': {
    get: {
      summary: 'The CSRF token and which clusters this session is signed in to.',
      responses: { '200': json(SessionInfo, 'The session.') },
    },
  },
  '/api/logout': {
    post: {
      summary:
        'Sign out of every cluster and end the session (in OIDC mode, also says how to end the provider session).',
      responses: {
        '200': json(
          SignOutResponse,
          'OIDC mode: signed out of the console; open `signOutUrl` to sign out at the provider.',
        ),
        '204': { description: 'Signed out.' },
        ...writeErrors,
      },
    },
  },
  '/api/clusters': {
    get: {
      summary: 'The clusters this console knows, with their auth mode and sign-in state.',
      responses: { '200': json(ClusterList, 'The clusters.') },
    },
  },
  '/api/clusters/{clusterId}/login': {
    post: {
      summary: 'Check a token against the Ray head and keep it, encrypted, in the server-side session.',
      requestParams: { path: clusterParams },
      requestBody: { content: { 'application/json': { schema: LoginRequest } } },
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
        '400': error('The token is empty or not a string.'),
        '401': error('The head says a token is missing (`token_missing`).'),
        '403': error('The head rejected the token (`token_rejected`), or the CSRF check failed (`csrf`).'),
        '404': clusterErrors['404']!,
        '409': error(
          "The console does not connect to this cluster (misconfigured), or it holds the cluster's token and sign-in with a token is turned off (`tokenPrompt: false`) (`conflict`).",
        ),
        '429': error('Too many sign-in attempts from this address; see `Retry-After`.'),
        '502': clusterErrors['502']!,
      },
    },
  },
  '/api/clusters/{clusterId}/logout': {
    post: {
      summary: 'Forget the token of one cluster.',
      requestParams: { path: clusterParams },
      responses: {
        '204': { description: 'Signed out of the cluster.' },
        '400': clusterErrors['400']!,
        '404': clusterErrors['404']!,
        '503': clusterErrors['503']!,
        ...writeErrors,
      },
    },
  },
  '/api/clusters/{clusterId}/resources': {
    get: {
      summary: 'Ray version, nodes and resource totals (`ray.cluster_resources()`), with usage where known.',
      requestParams: { path: clusterParams },
      responses: { '200': json(ClusterResources, 'The resources.'), ...clusterErrors },
    },
  },
};

/** Builds the OpenAPI document served at `/api/openapi.json`. */
export function buildOpenApiDocument(version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {
    ...basePaths,
    ...jobsPaths,
    ...auditPaths,
    ...kubernetesPaths,
    ...rayClusterProgressPaths,
    ...debuggingPaths,
    ...secretSignInPaths,
    ...rayServicePaths,
    ...rayClusterCreatePaths,
    ...kubeIdentityPaths,
  };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Ray Console BFF',
      version,
      description:
        'The browser-facing API of Ray Console. Sign-in state lives in an HttpOnly session cookie; every ' +
        'POST, PUT, PATCH and DELETE needs the `X-CSRF-Token` header from `GET /api/session`.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ray-console.sid' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
    },
    security: [{ session: [] }],
  });
}

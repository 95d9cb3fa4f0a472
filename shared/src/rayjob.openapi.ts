import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { error, json, writeErrors } from './openapi-fragments.js';
import {
  RayJobCreated,
  RayJobCreateRequest,
  RayJobDeleted,
  RayJobDetail,
  RayJobList,
  RayJobListQuery,
  RayJobParams,
  RayJobPreview,
  RayJobPreviewRequest,
  RayJobSuspendRequest,
  RayJobYaml,
} from './rayjob.js';

/** What every RayJob route can answer about the person's Kubernetes identity and the API server. */
const kubeErrors = {
  '400': error('A name, namespace or body is not valid (`validation`; `fields` names what to change).'),
  '401': error('No Kubernetes identity for this person (`kube_identity_required`), or a pasted token expired.'),
  '403': error(
    'The API server refused the person (`kube_forbidden`; `params` names the verb, resource, namespace and user), or CSRF on a write.',
  ),
  '503': error('The Kubernetes API server cannot be reached (`unavailable`).'),
};

/** The OpenAPI paths of RayJobs (issue 12), listed by {@link buildOpenApiDocument}. */
export const rayJobPaths: ZodOpenApiPathsObject = {
  '/api/kubernetes/rayjobs': {
    get: {
      summary: 'RayJobs the person may list, newest first, with the status KubeRay wrote.',
      requestParams: { query: RayJobListQuery },
      responses: { '200': json(RayJobList, 'The RayJobs.'), ...kubeErrors },
    },
    post: {
      summary:
        'A job on a new cluster: create a RayJob (token auth on its cluster) from the form or the edited YAML, as the person; `dryRun` checks without storing.',
      requestBody: { content: { 'application/json': { schema: RayJobCreateRequest } } },
      responses: {
        '200': json(RayJobCreated, 'Dry run: the API server would accept it.'),
        '201': json(RayJobCreated, 'Created.'),
        '409': error('A RayJob of that name exists in that namespace (`conflict`).'),
        ...kubeErrors,
      },
    },
  },
  '/api/kubernetes/rayjobs/preview': {
    post: {
      summary: 'The RayJob a form stands for, as the YAML kubectl apply takes.',
      requestBody: { content: { 'application/json': { schema: RayJobPreviewRequest } } },
      responses: { '200': json(RayJobPreview, 'The manifest.'), '400': kubeErrors['400'], ...writeErrors },
    },
  },
  '/api/kubernetes/rayjobs/{namespace}/{name}': {
    get: {
      summary: 'One RayJob: status, retries, the cluster and Ray job it made, settings, and what the person may do.',
      requestParams: { path: RayJobParams },
      responses: { '200': json(RayJobDetail, 'The RayJob.'), '404': error('No such RayJob.'), ...kubeErrors },
    },
    patch: {
      summary:
        'Suspend (`suspend: true`: KubeRay deletes its cluster) or resume (`false`: KubeRay makes a new cluster and runs the job again).',
      requestParams: { path: RayJobParams },
      requestBody: { content: { 'application/json': { schema: RayJobSuspendRequest } } },
      responses: { '200': json(RayJobDetail, 'The RayJob as patched.'), ...kubeErrors },
    },
    delete: {
      summary: 'Delete the RayJob (and with it the cluster KubeRay made for it).',
      requestParams: { path: RayJobParams },
      responses: { '200': json(RayJobDeleted, 'Deleted.'), ...kubeErrors },
    },
  },
  '/api/kubernetes/rayjobs/{namespace}/{name}/yaml': {
    get: {
      summary: 'Export as YAML: the RayJob as kubectl apply takes it (no status, no server bookkeeping).',
      requestParams: { path: RayJobParams },
      responses: { '200': json(RayJobYaml, 'The manifest.'), ...kubeErrors },
    },
  },
};

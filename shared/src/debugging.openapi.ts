import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { clusterErrors, clusterParams, error, json } from './openapi-fragments.js';
import {
  ActorList,
  ClusterNodesUsage,
  DebugListQuery,
  JobDebugParams,
  JobFailures,
  JobTaskSummary,
  JobWaits,
  LogFileQuery,
  LogStreamQuery,
  NodeLogList,
  NodeLogListQuery,
  NodeParams,
  ServeStatus,
} from './debugging.js';

const unknownJob = error('No cluster with this id (`unknown_cluster`), or no job with this id on it (`not_found`).');
const unsupported = error(
  "The cluster's Ray version cannot serve logs with token authentication (`unsupported_by_ray_version`); the message names the version that can.",
);

const jobRoute = (summary: string, schema: z.ZodType, withLimit: boolean) => ({
  get: {
    summary,
    requestParams: { path: JobDebugParams, ...(withLimit ? { query: DebugListQuery } : {}) },
    responses: { '200': json(schema, 'The answer.'), ...clusterErrors, '404': unknownJob },
  },
});

export const debuggingPaths: ZodOpenApiPathsObject = {
  '/api/clusters/{clusterId}/jobs/{jobId}/tasks/summary': jobRoute(
    "The job's tasks grouped by function or class name, with counts per state (each task counted once, retries beside).",
    JobTaskSummary,
    false,
  ),
  '/api/clusters/{clusterId}/jobs/{jobId}/failures': jobRoute(
    "The job's failed task attempts and dead actors, with the first failure in plain words.",
    JobFailures,
    true,
  ),
  '/api/clusters/{clusterId}/jobs/{jobId}/waits': jobRoute(
    "What the job's waiting tasks wait for: resources no node has, placement groups, arguments.",
    JobWaits,
    true,
  ),
  '/api/clusters/{clusterId}/jobs/{jobId}/actors': jobRoute("The job's actors.", ActorList, true),
  '/api/clusters/{clusterId}/nodes/{nodeId}/logs': {
    get: {
      summary: 'The log files Ray lists on one node, grouped (workers, drivers, raylet, GCS, dashboard, ...).',
      requestParams: { path: NodeParams, query: NodeLogListQuery },
      responses: {
        '200': json(NodeLogList, 'The files.'),
        ...clusterErrors,
        '404': error('No such cluster, or no live node with this id on it (`not_found`).'),
      },
    },
  },
  '/api/clusters/{clusterId}/logs/file': {
    get: {
      summary:
        'The last `lines` lines of a log: a file on a node, what a task attempt wrote, or an actor’s worker log.',
      requestParams: { path: clusterParams, query: LogFileQuery },
      responses: {
        '200': { description: 'The log text.', content: { 'text/plain': { schema: z.string() } } },
        ...clusterErrors,
        '404': error('No such cluster, or Ray has no such log (`not_found`).'),
        '422': unsupported,
      },
    },
  },
  '/api/clusters/{clusterId}/logs/stream': {
    get: {
      summary: 'A log followed live, as Server-Sent Events (the job log viewer’s protocol).',
      requestParams: { path: clusterParams, query: LogStreamQuery },
      responses: {
        '200': {
          description:
            'Unnamed events: `id: <lines so far>`, one `data:` field per line; `event: end` with LogStreamEnd JSON when Ray closes the log; `event: closed` with JobLogClosed JSON when the session signed out.',
          content: {
            'text/event-stream': {
              schema: z.object({
                event: z.enum(['message', 'end', 'closed']).optional(),
                id: z.string().regex(/^\d+$/).optional(),
                data: z.string(),
                retry: z.number().int().optional(),
              }),
            },
          },
        },
        ...clusterErrors,
        '404': error('No such cluster, or Ray has no such log (`not_found`).'),
        '422': unsupported,
      },
    },
  },
  '/api/clusters/{clusterId}/nodes/usage': {
    get: {
      summary: "Per-node usage from Ray's node summary, with the console's own samples of the last hour.",
      requestParams: { path: clusterParams },
      responses: { '200': json(ClusterNodesUsage, 'Every node.'), ...clusterErrors },
    },
  },
  '/api/clusters/{clusterId}/serve': {
    get: {
      summary: 'Ray Serve applications and deployments (read-only).',
      requestParams: { path: clusterParams },
      responses: {
        '200': json(ServeStatus, 'Serve’s state; `running: false` where Serve is not running.'),
        ...clusterErrors,
      },
    },
  },
};

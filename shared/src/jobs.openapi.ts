import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { clusterErrors, clusterParams, error, json, writeErrors } from './openapi-fragments.js';
import {
  JobDeleteResponse,
  JobDetails,
  JobList,
  JobListQuery,
  JobLogQuery,
  JobLogStreamQuery,
  JobParams,
  JobStopResponse,
  JobSubmitRequest,
  JobSubmitResponse,
  PackageUploadResponse,
} from './jobs.js';

const badJobId = error(
  'The job id holds characters outside letters, digits, `_` and `-` (`validation`); Ray was not called.',
);
const unknownJob = error('No cluster with this id (`unknown_cluster`), or no job with this id on it (`not_found`).');
const driverJob = error(
  'The job id is not valid (`validation`), or the job is a DRIVER job (a script that called `ray.init()` itself), ' +
    'which Ray cannot stop, delete or read the log of (`bad_request`).',
);

export const jobsPaths: ZodOpenApiPathsObject = {
  '/api/clusters/{clusterId}/jobs': {
    get: {
      summary: 'Every job of the cluster (SUBMISSION and DRIVER), filtered, searched, sorted and paged by the BFF.',
      requestParams: { path: clusterParams, query: JobListQuery },
      responses: {
        '200': json(JobList, 'A page of jobs.'),
        '400': error('A query parameter is not valid, or the cursor belongs to another sort (`validation`).'),
        ...clusterErrors,
      },
    },
    post: {
      summary: 'Submit a job.',
      requestParams: { path: clusterParams },
      requestBody: { content: { 'application/json': { schema: JobSubmitRequest } } },
      responses: {
        '201': json(JobSubmitResponse, 'Submitted; the job starts as PENDING.'),
        '400': error(
          'A field is not valid (`validation`, with `fields`), including `entrypointLabelSelector` for a cluster older than Ray 2.54.',
        ),
        '409': error('The submission id is taken on this cluster (`conflict`, field `submissionId`).'),
        ...clusterErrors,
        ...writeErrors,
      },
    },
  },
  '/api/clusters/{clusterId}/jobs/{jobId}': {
    get: {
      summary: "One job, with every field of Ray's JobDetails.",
      requestParams: { path: JobParams },
      responses: { '200': json(JobDetails, 'The job.'), '400': badJobId, ...clusterErrors, '404': unknownJob },
    },
    delete: {
      summary: "Delete a finished job: Ray forgets it (the log files stay on the cluster's disk).",
      requestParams: { path: JobParams },
      responses: {
        '200': json(JobDeleteResponse, 'Deleted.'),
        '400': driverJob,
        ...clusterErrors,
        '404': unknownJob,
        '409': error('The job is still PENDING or RUNNING; stop it first (`conflict`).'),
        ...writeErrors,
      },
    },
  },
  '/api/clusters/{clusterId}/jobs/{jobId}/stop': {
    post: {
      summary: 'Stop a job (Ray sends SIGTERM, then SIGKILL); it becomes STOPPED shortly after.',
      requestParams: { path: JobParams },
      responses: {
        '200': json(JobStopResponse, '`stopped` is false when the job had already ended.'),
        '400': driverJob,
        ...clusterErrors,
        '404': unknownJob,
        ...writeErrors,
      },
    },
  },
  '/api/clusters/{clusterId}/jobs/{jobId}/logs': {
    get: {
      summary: "The job's whole log as plain text, streamed from the head (empty until the job has started).",
      requestParams: { path: JobParams, query: JobLogQuery },
      responses: {
        '200': {
          description: 'The log. With `download=1`, `Content-Disposition: attachment; filename="<cluster>-<job>.log"`.',
          content: { 'text/plain': { schema: z.string() } },
        },
        '400': driverJob,
        ...clusterErrors,
        '404': unknownJob,
      },
    },
  },
  '/api/clusters/{clusterId}/jobs/{jobId}/logs/stream': {
    get: {
      summary: 'Live tail of the log as Server-Sent Events, resumable with `Last-Event-ID` (see JOB_LOG_EVENTS).',
      requestParams: {
        path: JobParams,
        query: JobLogStreamQuery,
        header: z.object({
          'last-event-id': z
            .string()
            .optional()
            .meta({ description: 'Sent by EventSource when it reconnects: lines already received.' }),
        }),
      },
      responses: {
        '200': {
          description:
            'Unnamed events: `id: <lines delivered so far>`, one `data:` field per line. `event: skipped` with JobLogSkipped JSON for lines older than the kept window. Then `event: end` with JobLogEnd JSON, or `event: closed` with JobLogClosed JSON when the session signed out or expired. Comments every 15 s.',
          // The schema of a text/event-stream answer describes one event (OpenAPI 3.2's convention, which
          // schemathesis checks), not the JSON in the `end` event's data.
          content: {
            'text/event-stream': {
              schema: z.object({
                event: z.enum(['message', 'skipped', 'end', 'closed']).optional(),
                id: z.string().regex(/^\d+$/).optional(),
                data: z.string().meta({
                  description:
                    'Log lines, one per `data:` field; for `skipped`, `end` and `closed`, JobLogSkipped, JobLogEnd and JobLogClosed as JSON.',
                }),
                retry: z.number().int().optional(),
              }),
            },
          },
        },
        '400': driverJob,
        ...clusterErrors,
        '404': unknownJob,
        '429': error(
          'Too many live tails (`too_many_tails`): per session, per console replica, or to this Ray head; the message names the setting.',
        ),
      },
    },
  },
  '/api/clusters/{clusterId}/packages': {
    put: {
      summary: 'Upload a working_dir package (a .zip, or a folder to zip) to the cluster; answers its gcs:// URI.',
      requestParams: { path: clusterParams },
      requestBody: {
        content: {
          'application/zip': { schema: z.string().meta({ format: 'binary' }) },
          'multipart/form-data': {
            schema: z.object({
              files: z
                .array(z.string().meta({ format: 'binary' }))
                .meta({ description: "One part per file; each part's file name is its path relative to the folder." }),
            }),
          },
        },
      },
      responses: {
        '200': json(PackageUploadResponse, 'The package is on the cluster.'),
        '400': error(
          'Not a zip, an unsafe or repeated path in a folder upload, an empty folder, or another content type.',
        ),
        '413': error('Larger than 100 MiB, the most Ray takes (`payload_too_large`).'),
        ...clusterErrors,
        ...writeErrors,
        '503': error(
          'UPLOAD_CONCURRENCY uploads are already arriving (`unavailable`, with `Retry-After`; nothing of this one is kept), or the session store cannot be reached.',
        ),
      },
    },
  },
};

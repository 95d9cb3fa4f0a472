import { queryOptions } from '@tanstack/react-query';
import { ActorList, JobFailures, JobTaskSummary, JobWaits } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { jobKeys } from './api';

const jobPath = (clusterId: string, jobId: string) =>
  `/api/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(jobId)}`;

/** Keys of what the console reads to debug one job; all under the job's detail key, so they go with it. */
export const jobDebugKeys = {
  all: (clusterId: string, jobId: string) => [...jobKeys.detail(clusterId, jobId), 'debug'] as const,
  tasks: (clusterId: string, jobId: string) => [...jobDebugKeys.all(clusterId, jobId), 'tasks'] as const,
  failures: (clusterId: string, jobId: string, limit: number) =>
    [...jobDebugKeys.all(clusterId, jobId), 'failures', { limit }] as const,
  waits: (clusterId: string, jobId: string, limit: number) =>
    [...jobDebugKeys.all(clusterId, jobId), 'waits', { limit }] as const,
  actors: (clusterId: string, jobId: string, limit: number) =>
    [...jobDebugKeys.all(clusterId, jobId), 'actors', { limit }] as const,
};

/** Every answer says whether the job has ended; polling stops then, the figures no longer change. */
const whileRunning = (ms: number) => (query: { state: { data?: { terminal: boolean } | undefined } }) =>
  query.state.data?.terminal ? false : ms;

/** The job's tasks grouped by function or class, with counts per state; polled while the job runs. */
export const jobTasksQuery = (clusterId: string, jobId: string) =>
  queryOptions({
    queryKey: jobDebugKeys.tasks(clusterId, jobId),
    queryFn: ({ signal }) => api.get(`${jobPath(clusterId, jobId)}/tasks/summary`, JobTaskSummary, { signal }),
    // An ended job is asked again only while the console still reads its groups' times.
    refetchInterval: (query) => (query.state.data?.terminal && query.state.data.timingPending !== true ? false : 3_000),
  });

/** The first failure, failed task attempts and dead actors (each list bounded by `limit`). */
export const jobFailuresQuery = (clusterId: string, jobId: string, limit: number) =>
  queryOptions({
    queryKey: jobDebugKeys.failures(clusterId, jobId, limit),
    queryFn: ({ signal }) => api.get(`${jobPath(clusterId, jobId)}/failures?limit=${limit}`, JobFailures, { signal }),
    refetchInterval: whileRunning(3_000),
  });

/** What the job's waiting tasks wait for, and the autoscaler's demands. */
export const jobWaitsQuery = (clusterId: string, jobId: string, limit: number) =>
  queryOptions({
    queryKey: jobDebugKeys.waits(clusterId, jobId, limit),
    queryFn: ({ signal }) => api.get(`${jobPath(clusterId, jobId)}/waits?limit=${limit}`, JobWaits, { signal }),
    refetchInterval: whileRunning(5_000),
  });

/** The job's actors, polled like the job itself. */
export const jobActorsQuery = (clusterId: string, jobId: string, limit: number, terminal: boolean) =>
  queryOptions({
    queryKey: jobDebugKeys.actors(clusterId, jobId, limit),
    queryFn: ({ signal }) => api.get(`${jobPath(clusterId, jobId)}/actors?limit=${limit}`, ActorList, { signal }),
    refetchInterval: terminal ? false : 5_000,
  });

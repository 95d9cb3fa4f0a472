import { keepPreviousData, queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  JobDeleteResponse,
  JobDetails,
  JobList,
  JobStopResponse,
  JobSubmitResponse,
  PackageUploadResponse,
  isTerminalJobStatus,
  type JobSort,
  type JobStatus,
  type JobType,
  type JobSubmitRequest,
} from '@ray-console/shared';
import { api, type EarlyAnswer } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';
import { jobPath, jobsPath } from './paths';

export interface JobListParams {
  status?: JobStatus[];
  type?: JobType[];
  q?: string;
  cursor?: string;
  sort?: JobSort;
  limit?: number;
  /** Only the signed-in person's own jobs (OIDC). */
  mine?: boolean;
}

export const jobKeys = {
  all: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'jobs'] as const,
  lists: (clusterId: string) => [...jobKeys.all(clusterId), 'list'] as const,
  list: (clusterId: string, params: JobListParams) => [...jobKeys.lists(clusterId), params] as const,
  detail: (clusterId: string, jobId: string) => [...jobKeys.all(clusterId), 'detail', jobId] as const,
};

function listSearch(params: JobListParams): string {
  const search = new URLSearchParams();
  for (const s of params.status ?? []) search.append('status', s);
  for (const t of params.type ?? []) search.append('type', t);
  if (params.q) search.set('q', params.q);
  if (params.cursor) search.set('cursor', params.cursor);
  if (params.sort) search.set('sort', params.sort);
  if (params.mine) search.set('mine', 'true');
  search.set('limit', String(params.limit ?? 50));
  return search.toString();
}

/** A page of the job list; refreshes by itself while any job on the cluster is still pending or running. */
export const jobListQuery = (clusterId: string, params: JobListParams) =>
  queryOptions({
    queryKey: jobKeys.list(clusterId, params),
    queryFn: ({ signal }) => api.get(`${jobsPath(clusterId)}?${listSearch(params)}`, JobList, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => {
      const counts = query.state.data?.statusCounts;
      return counts && (counts.PENDING ?? 0) + (counts.RUNNING ?? 0) > 0 ? 3_000 : 15_000;
    },
  });

/** One job; polled every 2 s until it has finished. */
export const jobDetailQuery = (clusterId: string, jobId: string) =>
  queryOptions({
    queryKey: jobKeys.detail(clusterId, jobId),
    queryFn: ({ signal }) => api.get(jobPath(clusterId, jobId), JobDetails, { signal }),
    // An answer fetched just before the page mounted (a deep link's early request) is not asked again at
    // once, beside the log; a running job is polled anyway, and stop/delete invalidate it.
    staleTime: 2_000,
    refetchInterval: (query) => (query.state.data && isTerminalJobStatus(query.state.data.status) ? false : 2_000),
  });

/** Fills the job's query from a request the first script started before this chunk arrived (route-pages.tsx). */
export const prefetchJobDetail = (queryClient: QueryClient, clusterId: string, jobId: string, answer: EarlyAnswer) =>
  queryClient.prefetchQuery({ ...jobDetailQuery(clusterId, jobId), queryFn: () => answer(JobDetails) });

export function useSubmitJob(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: JobSubmitRequest) => api.send('POST', jobsPath(clusterId), request, JobSubmitResponse),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists(clusterId) }),
  });
}

export function useStopJob(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => api.send('POST', `${jobPath(clusterId, jobId)}/stop`, undefined, JobStopResponse),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.all(clusterId) }),
  });
}

export function useDeleteJob(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => api.send('DELETE', jobPath(clusterId, jobId), undefined, JobDeleteResponse),
    onSuccess: (_res, jobId) => queryClient.removeQueries({ queryKey: jobKeys.detail(clusterId, jobId) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists(clusterId) }),
  });
}

/** Uploads a .zip, or the files of a folder (with their paths inside it), as a working_dir package. */
export function useUploadPackage(clusterId: string) {
  return useMutation({
    mutationFn: (upload: { zip: File } | { files: { file: File; path: string }[] }) => {
      const path = `/api/clusters/${encodeURIComponent(clusterId)}/packages`;
      if ('zip' in upload) {
        return api.send('PUT', path, new Blob([upload.zip], { type: 'application/zip' }), PackageUploadResponse);
      }
      const form = new FormData();
      for (const { file, path: relative } of upload.files) form.append('files', file, relative);
      return api.send('PUT', path, form, PackageUploadResponse);
    },
  });
}

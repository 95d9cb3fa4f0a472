import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  RayJobCreated,
  RayJobDeleted,
  RayJobDetail,
  RayJobList,
  RayJobPreview,
  RayJobYaml,
  type RayJobCreateRequest,
  type RayJobFormInput,
} from '@ray-console/shared';
import { api } from '../../lib/api-client';

// The BFF's RayJob URLs; each name and namespace is one encoded path segment.
const e = encodeURIComponent;
const listPath = '/api/kubernetes/rayjobs';
export const rayJobPath = (namespace: string, name: string) => `${listPath}/${e(namespace)}/${e(name)}`;
/** The console page of one RayJob. */
export const rayJobPagePath = (namespace: string, name: string) => `/kubernetes/rayjobs/${e(namespace)}/${e(name)}`;

export const rayJobKeys = {
  all: ['kubernetes', 'rayjobs'] as const,
  list: (namespace: string | undefined) => [...rayJobKeys.all, 'list', namespace ?? ''] as const,
  detail: (namespace: string, name: string) => [...rayJobKeys.all, 'detail', namespace, name] as const,
  yaml: (namespace: string, name: string) => [...rayJobKeys.detail(namespace, name), 'yaml'] as const,
};

/** A RayJob still on its way (anything but finished, failed or suspended) is refreshed more often. */
const SETTLED = new Set(['Complete', 'Failed', 'Suspended', 'ValidationFailed']);
const settled = (deploymentStatus: string | undefined) =>
  deploymentStatus !== undefined && SETTLED.has(deploymentStatus);

export const rayJobListQuery = (namespace: string | undefined) =>
  queryOptions({
    queryKey: rayJobKeys.list(namespace),
    queryFn: ({ signal }) =>
      api.get(namespace ? `${listPath}?namespace=${e(namespace)}` : listPath, RayJobList, { signal }),
    refetchInterval: (query) => (query.state.data?.items.every((j) => settled(j.deploymentStatus)) ? 15_000 : 3_000),
  });

export const rayJobDetailQuery = (namespace: string, name: string) =>
  queryOptions({
    queryKey: rayJobKeys.detail(namespace, name),
    queryFn: ({ signal }) => api.get(rayJobPath(namespace, name), RayJobDetail, { signal }),
    refetchInterval: (query) => (settled(query.state.data?.deploymentStatus) ? 15_000 : 3_000),
  });

export const rayJobYamlQuery = (namespace: string, name: string) =>
  queryOptions({
    queryKey: rayJobKeys.yaml(namespace, name),
    queryFn: ({ signal }) => api.get(`${rayJobPath(namespace, name)}/yaml`, RayJobYaml, { signal }),
  });

/** Suspend (true) or resume (false); the answer is the RayJob as patched. */
export function useSuspendRayJob(namespace: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (suspend: boolean) => api.send('PATCH', rayJobPath(namespace, name), { suspend }, RayJobDetail),
    onSuccess: (detail) => {
      client.setQueryData(rayJobKeys.detail(namespace, name), detail);
      void client.invalidateQueries({ queryKey: rayJobKeys.all });
    },
  });
}

export function useDeleteRayJob(namespace: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.send('DELETE', rayJobPath(namespace, name), undefined, RayJobDeleted),
    onSuccess: () => {
      client.removeQueries({ queryKey: rayJobKeys.detail(namespace, name) });
      void client.invalidateQueries({ queryKey: rayJobKeys.all });
    },
  });
}

/** The YAML a RayJob form stands for (nothing is sent to Kubernetes). */
export function usePreviewRayJob() {
  return useMutation({
    mutationFn: (form: RayJobFormInput) => api.send('POST', `${listPath}/preview`, { form }, RayJobPreview),
  });
}

/** Dry-runs or creates a RayJob from the form or the edited YAML, as the person. */
export function useCreateRayJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: RayJobCreateRequest) => api.send('POST', listPath, request, RayJobCreated),
    onSuccess: (created) => {
      if (!created.dryRun) void client.invalidateQueries({ queryKey: rayJobKeys.all });
    },
  });
}

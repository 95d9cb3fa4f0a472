import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { RayClusterProgress } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';
import { rayClusterApiPath as rayClusterPath } from './paths';

/** A RayCluster's Kubernetes objects, by namespace and name (it may have no console id the person can use yet). */
export const rayClusterKeys = {
  all: ['kubernetes', 'rayclusters'] as const,
  one: (namespace: string, name: string) => [...rayClusterKeys.all, namespace, name] as const,
  progress: (namespace: string, name: string) => [...rayClusterKeys.one(namespace, name), 'progress'] as const,
};

/** How often a cluster that is not ready is read again: a new cluster's Pods change within seconds. */
export const PROGRESS_REFRESH_MS = 3_000;

/**
 * A RayCluster's progress, read again every few seconds while it is not ready (and not at all once it
 * is: nothing more to wait for; the cluster list's refresh brings news of a ready cluster turning bad).
 */
export const rayClusterProgressQuery = (namespace: string, name: string) =>
  queryOptions({
    queryKey: rayClusterKeys.progress(namespace, name),
    queryFn: ({ signal }) => api.get(rayClusterPath(namespace, name), RayClusterProgress, { signal }),
    refetchInterval: (query) => {
      // A refusal or a missing identity does not go away by asking again; an API server outage may.
      const refused = query.state.error && query.state.error.status >= 400 && query.state.error.status < 500;
      return query.state.data?.ready || refused ? false : PROGRESS_REFRESH_MS;
    },
  });

/** Deletes the RayCluster with the name the person typed; the list drops it once the API server has. */
export function useDeleteRayCluster(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (confirmName: string) => api.send('DELETE', rayClusterPath(namespace, name), { confirmName }, null),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: rayClusterKeys.one(namespace, name) });
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
    },
  });
}

/** The manifest `kubectl apply -f` takes, as text (for the copy button; the download is a plain link). */
export async function fetchRayClusterYaml(namespace: string, name: string): Promise<string> {
  let text = '';
  await api.streamText(`${rayClusterPath(namespace, name)}/yaml`, (chunk) => (text += chunk));
  return text;
}

import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { ClusterList, DiscoveryStatus, LoginResponse } from '@ray-console/shared';
import { api } from '../../lib/api-client';

/** Query keys go from general to specific and always start with the cluster they belong to. */
export const clusterKeys = {
  all: ['clusters'] as const,
  list: () => [...clusterKeys.all, 'list'] as const,
  discovery: () => [...clusterKeys.all, 'discovery'] as const,
  /** Everything cached for one cluster (resources, jobs, ...): invalidated together at sign-in and sign-out. */
  cluster: (clusterId: string) => ['cluster', clusterId] as const,
};

export const sessionKeys = { session: ['session'] as const };

export const clusterListQuery = () =>
  queryOptions({
    queryKey: clusterKeys.list(),
    queryFn: () => api.get('/api/clusters', ClusterList),
    // The auth mode and sign-in state change rarely; discovered clusters come and go.
    refetchInterval: 15_000,
  });

/** Whether Kubernetes discovery works; polled like the list, so a banner appears and clears by itself. */
export const discoveryQuery = () =>
  queryOptions({
    queryKey: clusterKeys.discovery(),
    queryFn: () => api.get('/api/discovery', DiscoveryStatus),
    refetchInterval: 15_000,
  });

export const sessionQuery = () =>
  queryOptions({ queryKey: sessionKeys.session, queryFn: () => api.session(), staleTime: 60_000 });

export function useSignIn(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api.send('POST', `/api/clusters/${encodeURIComponent(clusterId)}/login`, { token }, LoginResponse),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: clusterKeys.cluster(clusterId) });
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
      await queryClient.invalidateQueries({ queryKey: sessionKeys.session });
    },
  });
}

export function useSignOut(clusterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.send('POST', `/api/clusters/${encodeURIComponent(clusterId)}/logout`, undefined, null),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: clusterKeys.cluster(clusterId) });
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
    },
  });
}

export function useSignOutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.signOut(),
    onSuccess: ({ signOutUrl }) => {
      // Single sign-on: the provider ends its session too, then sends the browser to the console's
      // "signed out" page. Nothing is refetched meanwhile (it would only be sent to the sign-in).
      if (signOutUrl) return api.leaveFor(signOutUrl);
      api.forgetCsrf();
      // Nothing cached from the old session may survive it.
      queryClient.clear();
    },
  });
}

import { queryOptions } from '@tanstack/react-query';
import { ClusterResources } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';

export const resourceKeys = {
  resources: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'resources'] as const,
};

export const resourcesQuery = (clusterId: string) =>
  queryOptions({
    queryKey: resourceKeys.resources(clusterId),
    queryFn: ({ signal }) =>
      api.get(`/api/clusters/${encodeURIComponent(clusterId)}/resources`, ClusterResources, { signal }),
    refetchInterval: 5_000,
  });

import { queryOptions } from '@tanstack/react-query';
import { ClusterNodesUsage, ClusterResources } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';

export const resourceKeys = {
  resources: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'resources'] as const,
  nodesUsage: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'nodes-usage'] as const,
};

export const resourcesQuery = (clusterId: string) =>
  queryOptions({
    queryKey: resourceKeys.resources(clusterId),
    queryFn: ({ signal }) =>
      api.get(`/api/clusters/${encodeURIComponent(clusterId)}/resources`, ClusterResources, { signal }),
    refetchInterval: 5_000,
  });

/**
 * Per-node usage with the console's own history of the last hour. The BFF samples a cluster only while
 * someone polls this, so the page polls it at the sampling interval the answer names.
 */
export const nodesUsageQuery = (clusterId: string) =>
  queryOptions({
    queryKey: resourceKeys.nodesUsage(clusterId),
    queryFn: ({ signal }) =>
      api.get(`/api/clusters/${encodeURIComponent(clusterId)}/nodes/usage`, ClusterNodesUsage, { signal }),
    refetchInterval: (query) => Math.max(5_000, query.state.data?.sampling.intervalMs ?? 10_000),
  });

import { queryOptions } from '@tanstack/react-query';
import { ServeStatus } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';

export const serveKeys = {
  status: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'serve'] as const,
};

/** Ray Serve's applications and deployments, read-only; refreshed like the overview. */
export const serveStatusQuery = (clusterId: string) =>
  queryOptions({
    queryKey: serveKeys.status(clusterId),
    queryFn: ({ signal }) => api.get(`/api/clusters/${encodeURIComponent(clusterId)}/serve`, ServeStatus, { signal }),
    refetchInterval: 10_000,
  });

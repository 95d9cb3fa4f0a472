import { queryOptions, useQuery } from '@tanstack/react-query';
import { RayServiceList, RayServiceView, RayServiceYaml } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterListQuery } from '../clusters/api';

export const rayServiceKeys = {
  all: ['rayservices'] as const,
  list: (namespace: string) => [...rayServiceKeys.all, 'list', namespace] as const,
  one: (namespace: string, name: string) => [...rayServiceKeys.all, 'one', namespace, name] as const,
  yaml: (namespace: string, name: string) => [...rayServiceKeys.one(namespace, name), 'yaml'] as const,
};

const path = (namespace: string, name: string) =>
  `/api/kubernetes/rayservices/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/** RayServices as the person may list them; `namespace` '' asks for the namespaces the console discovered. */
export const rayServiceListQuery = (namespace: string) =>
  queryOptions({
    queryKey: rayServiceKeys.list(namespace),
    queryFn: ({ signal }) =>
      api.get(
        `/api/kubernetes/rayservices${namespace ? `?${new URLSearchParams({ namespace }).toString()}` : ''}`,
        RayServiceList,
        { signal },
      ),
    // The operator updates the status as Serve deploys; read-only, so a gentle refresh is enough.
    refetchInterval: 10_000,
  });

export const rayServiceQuery = (namespace: string, name: string) =>
  queryOptions({
    queryKey: rayServiceKeys.one(namespace, name),
    queryFn: ({ signal }) => api.get(path(namespace, name), RayServiceView, { signal }),
    refetchInterval: 10_000,
  });

export const rayServiceYamlQuery = (namespace: string, name: string) =>
  queryOptions({
    queryKey: rayServiceKeys.yaml(namespace, name),
    queryFn: ({ signal }) => api.get(`${path(namespace, name)}/yaml`, RayServiceYaml, { signal }),
  });

/** Whether the console knows a cluster (discovery found it), so a link to its page leads somewhere. */
export function useKnownCluster(): (clusterId: string) => boolean {
  const clusters = useQuery(clusterListQuery());
  return (clusterId) => clusters.data?.some((c) => c.id === clusterId) ?? false;
}

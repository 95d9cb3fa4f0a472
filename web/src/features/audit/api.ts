import { infiniteQueryOptions } from '@tanstack/react-query';
import { AuditPage } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';

export const auditKeys = {
  /** Under the cluster's key, so sign-in and sign-out clear it with everything else of the cluster. */
  trail: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'audit'] as const,
  /** One person's events (`person`: their subject), or everyone's. */
  filtered: (clusterId: string, person: string | undefined) =>
    [...auditKeys.trail(clusterId), { person: person ?? null }] as const,
};

const PAGE_SIZE = 50;

/**
 * The cluster's audit trail, newest first, one page of 50 at a time ("Show older" loads the next);
 * with `person` (a subject), only that person's events, filtered by the BFF.
 */
export const auditTrailQuery = (clusterId: string, person?: string) =>
  infiniteQueryOptions({
    queryKey: auditKeys.filtered(clusterId, person),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam) query.set('before', pageParam);
      if (person) query.set('person', person);
      return api.get(`/api/clusters/${encodeURIComponent(clusterId)}/audit?${query}`, AuditPage, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
    // New events appear at the top while the page is open.
    refetchInterval: 15_000,
  });

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useDocumentTitle } from '../../lib/document-title';
import { clusterListQuery } from './api';

/** The title of a page inside a cluster: "<page> · <cluster's display name> · Ray Console". */
export function useClusterTitle(page: string | undefined): void {
  const { clusterId = '' } = useParams();
  const clusters = useQuery(clusterListQuery());
  const name = clusters.data?.find((c) => c.id === clusterId)?.displayName ?? clusterId;
  useDocumentTitle(page === undefined ? undefined : [page, name]);
}

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { Key, Values } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { clusterListQuery } from './api';

/** The title of a page inside a cluster: "<page> · <cluster's display name> · Ray Console". */
export function useClusterTitle(page: Key<'shell'>, values?: Values): void {
  const { clusterId = '' } = useParams();
  const { t } = useT('shell');
  const clusters = useQuery(clusterListQuery());
  const name = clusters.data?.find((c) => c.id === clusterId)?.displayName ?? clusterId;
  useDocumentTitle([t(page, values), name]);
}

// The cluster's frame travels with this module, which every page inside a cluster imports: the frame is
// then in a chunk those pages fetch anyway, not in the first script (cluster-layout.tsx imports it).
export { ClusterFrame } from './cluster-frame';

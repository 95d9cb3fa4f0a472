import { queryOptions } from '@tanstack/react-query';
import { NodeLogList } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';
import { logFileSearch, type LogTarget } from './log-link';

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

export const logKeys = {
  all: (clusterId: string) => [...clusterKeys.cluster(clusterId), 'logs'] as const,
  node: (clusterId: string, nodeId: string) => [...logKeys.all(clusterId), 'node', nodeId] as const,
};

/** The log files Ray lists on one node, grouped (workers, raylet, GCS, ...). */
export const nodeLogsQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: logKeys.node(clusterId, nodeId),
    queryFn: ({ signal }) =>
      api.get(`${clusterPath(clusterId)}/nodes/${encodeURIComponent(nodeId)}/logs`, NodeLogList, { signal }),
    // New workers start new files; a minute is fresh enough for a list a reader picks from.
    refetchInterval: 60_000,
  });

/** The BFF's address of one log's text (the last lines), its live tail, and its download. */
export function logFilePaths(clusterId: string, ref: LogTarget) {
  const search = logFileSearch(ref);
  const base = `${clusterPath(clusterId)}/logs`;
  const download = new URLSearchParams(search);
  download.set('download', '1');
  // A download is for reading at leisure: as much as the BFF gives, not the viewer's 5,000 lines.
  download.set('lines', '50000');
  return {
    file: `${base}/file?${search.toString()}`,
    stream: `${base}/stream?${search.toString()}`,
    download: `${base}/file?${download.toString()}`,
  };
}

import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { LogGroupName, NodeLogList } from '@ray-console/shared';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { resourcesQuery } from '../resources/api';
import { nodeLogsQuery } from './api';
import { logPageHref } from './log-link';

const GROUP_LABELS: Record<LogGroupName, string> = {
  workers: 'Workers and actors',
  drivers: 'Drivers',
  raylet: 'Raylet',
  gcs: 'GCS',
  dashboard: 'Dashboard',
  runtime_env: 'Runtime env agent',
  autoscaler: 'Autoscaler',
  other: 'Other',
};

/** The logs browser: pick a node, then one of the files Ray lists on it, grouped by what wrote it. */
export function LogsPage() {
  const { clusterId = '' } = useParams();
  const [search] = useSearchParams();
  const resources = useQuery(resourcesQuery(clusterId));
  const nodes = resources.data?.nodes ?? [];
  const selected = search.get('node') ?? nodes.find((n) => n.isHead)?.nodeId;
  return (
    <div className="logs-browser">
      <h2>Logs</h2>
      {resources.isPending ? (
        <p aria-busy="true">Loading nodes…</p>
      ) : resources.isError && !resources.data ? (
        <ErrorPanel error={resources.error} onRetry={() => void resources.refetch()} />
      ) : (
        <nav className="tabs section-tabs" aria-label="Nodes">
          {nodes.map((n) => (
            <Link
              key={n.nodeId}
              to={{ search: `?node=${encodeURIComponent(n.nodeId)}` }}
              aria-current={n.nodeId === selected ? 'page' : undefined}
              className={n.nodeId === selected ? 'active' : undefined}
            >
              {n.ip} {n.isHead ? '(head)' : ''}
              {n.state !== 'ALIVE' ? ` · ${n.state}` : ''}
            </Link>
          ))}
        </nav>
      )}
      {selected ? (
        <ErrorBoundary title="The node's logs could not be listed">
          <NodeLogs key={selected} clusterId={clusterId} nodeId={selected} />
        </ErrorBoundary>
      ) : null}
    </div>
  );
}

function NodeLogs({ clusterId, nodeId }: { clusterId: string; nodeId: string }) {
  const logs = useQuery(nodeLogsQuery(clusterId, nodeId));
  const [filter, setFilter] = useState('');
  if (logs.isPending) return <p aria-busy="true">Loading the node’s log files…</p>;
  if (logs.isError && !logs.data) return <ErrorPanel error={logs.error} onRetry={() => void logs.refetch()} />;
  return (
    <section aria-labelledby="node-logs-title">
      <h3 id="node-logs-title">
        Files on node <code title={nodeId}>{nodeId.slice(0, 12)}</code>
      </h3>
      <div className="field">
        <label htmlFor="log-file-filter">Filter file names</label>
        <input
          id="log-file-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="e.g. worker, raylet, a pid"
        />
      </div>
      <LogGroups clusterId={clusterId} nodeId={nodeId} list={logs.data!} filter={filter} />
    </section>
  );
}

function LogGroups({
  clusterId,
  nodeId,
  list,
  filter,
}: {
  clusterId: string;
  nodeId: string;
  list: NodeLogList;
  filter: string;
}) {
  const needle = filter.trim().toLowerCase();
  const groups = list.groups
    .map((g) => ({ ...g, shown: needle ? g.files.filter((f) => f.toLowerCase().includes(needle)) : g.files }))
    .filter((g) => g.shown.length > 0);
  if (groups.length === 0) {
    return (
      <p className="muted">{needle ? 'No file name matches the filter.' : 'Ray lists no log files on this node.'}</p>
    );
  }
  return (
    <div className="log-groups" data-testid="log-groups">
      {groups.map((g) => (
        <details key={g.group} open={g.shown.length <= 30 || needle !== ''}>
          <summary>
            {GROUP_LABELS[g.group]} ({g.shown.length.toLocaleString('en-US')}
            {g.truncated ? '+, the first 500 listed' : ''})
          </summary>
          <ul className="file-list">
            {g.shown.map((f) => (
              <li key={f}>
                <Link to={logPageHref(clusterId, { nodeId, filename: f })}>{f}</Link>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

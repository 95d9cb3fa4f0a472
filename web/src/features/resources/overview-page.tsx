import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { ClusterResources } from '@ray-console/shared';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { resourcesQuery } from './api';
import { formatAmount, orderResources, resourceLabel } from './format';
import { NodeUsageSection } from './node-usage-section';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** Ray version, the resources `ray.cluster_resources()` reports (with usage), and the nodes. Refreshes by itself. */
export function OverviewPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.overview');
  const resources = useQuery(resourcesQuery(clusterId));
  if (resources.isPending) return <p aria-busy="true">Loading resources…</p>;
  if (resources.isError && !resources.data) {
    return <ErrorPanel error={resources.error} onRetry={() => void resources.refetch()} />;
  }
  const data = resources.data!;
  return (
    <div className="overview">
      {resources.isError ? (
        <ErrorPanel error={resources.error} title="Showing the last figures; the latest refresh failed" />
      ) : null}
      <p className="muted">
        Ray <strong data-testid="ray-version">{data.rayVersion}</strong> ·{' '}
        {data.nodes.filter((n) => n.state === 'ALIVE').length} of {data.nodes.length} nodes alive · updated{' '}
        <time dateTime={new Date(data.fetchedAt).toISOString()}>{new Date(data.fetchedAt).toLocaleTimeString()}</time>
      </p>
      <ResourceTable data={data} />
      <ErrorBoundary title="Node usage could not be shown">
        <NodeUsageSection clusterId={clusterId} />
      </ErrorBoundary>
    </div>
  );
}

function ResourceTable({ data }: { data: ClusterResources }) {
  const names = orderResources(Object.keys(data.totals));
  return (
    <section aria-labelledby="resources-title">
      <h2 id="resources-title">Resources</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Total</th>
            <th scope="col">Used</th>
            <th scope="col">Available</th>
            <th scope="col">
              <span className="visually-hidden">Usage</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const total = data.totals[name] ?? 0;
            const used = data.used?.[name];
            const share = used !== undefined && total > 0 ? Math.min(1, used / total) : undefined;
            return (
              <tr key={name} data-resource={name}>
                <th scope="row">{resourceLabel(name)}</th>
                <td data-testid={`total-${name}`}>{formatAmount(name, total)}</td>
                <td>{used === undefined ? '—' : formatAmount(name, used)}</td>
                <td>{data.available?.[name] === undefined ? '—' : formatAmount(name, data.available[name])}</td>
                <td>
                  {share === undefined ? null : (
                    <meter min={0} max={1} value={share} aria-label={`${resourceLabel(name)} in use`}>
                      {Math.round(share * 100)}%
                    </meter>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { ClusterResources } from '@ray-console/shared';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { formatNumber, formatPercent, formatTimeOfDay } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import { resourcesQuery } from './api';
import { formatAmount, orderResources, resourceLabel } from './format';
import { NodeUsageSection } from './node-usage-section';
import { useClusterTitle } from '../clusters/use-cluster-title';

/** Ray version, the resources `ray.cluster_resources()` reports (with usage), and the nodes. Refreshes by itself. */
export function OverviewPage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.overview');
  const resources = useQuery(resourcesQuery(clusterId));
  const { t } = useT('resources');
  if (resources.isPending) return <p aria-busy="true">{t('overview.loading')}</p>;
  if (resources.isError && !resources.data) {
    return <ErrorPanel error={resources.error} onRetry={() => void resources.refetch()} />;
  }
  const data = resources.data!;
  return (
    <div className="overview">
      {resources.isError ? <ErrorPanel error={resources.error} title={t('overview.stale')} /> : null}
      <p className="muted">
        <Rich
          ns="resources"
          k="overview.summary"
          values={{
            version: data.rayVersion,
            alive: formatNumber(data.nodes.filter((n) => n.state === 'ALIVE').length),
            total: formatNumber(data.nodes.length),
            time: formatTimeOfDay(data.fetchedAt),
          }}
          components={{
            strong: <strong data-testid="ray-version" />,
            time: <time dateTime={new Date(data.fetchedAt).toISOString()} />,
          }}
        />
      </p>
      <ResourceTable data={data} />
      <ErrorBoundary title={t('overview.nodeUsageError')}>
        <NodeUsageSection clusterId={clusterId} />
      </ErrorBoundary>
    </div>
  );
}

function ResourceTable({ data }: { data: ClusterResources }) {
  const names = orderResources(Object.keys(data.totals));
  const { t } = useT('resources');
  return (
    <section aria-labelledby="resources-title">
      <h2 id="resources-title">{t('overview.resources')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('overview.columns.resource')}</th>
            <th scope="col">{t('overview.columns.total')}</th>
            <th scope="col">{t('overview.columns.used')}</th>
            <th scope="col">{t('overview.columns.available')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('overview.columns.usage')}</span>
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
                <th scope="row">{resourceLabel(name, t)}</th>
                <td data-testid={`total-${name}`}>{formatAmount(name, total)}</td>
                <td>{used === undefined ? '—' : formatAmount(name, used)}</td>
                <td>{data.available?.[name] === undefined ? '—' : formatAmount(name, data.available[name])}</td>
                <td>
                  {share === undefined ? null : (
                    <meter
                      min={0}
                      max={1}
                      value={share}
                      aria-label={t('overview.inUse', { name: resourceLabel(name, t) })}
                    >
                      {formatPercent(share)}
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

import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClusterNodesUsage, NodeUsage } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { Sparkline } from '../../components/sparkline';
import type { T } from '../../i18n/catalogs';
import { formatBytes, formatNumber, formatPercent } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import { nodesUsageQuery } from './api';
import { isByteResource } from './format';
import { binSamples, share } from './usage-history';

const percent = (v: number) => formatPercent(v / 100);
const fraction = (v: number) => formatPercent(v);

/** Every node's usage now and over the last hour, dead nodes with why, the autoscaler, and Grafana. */
export function NodeUsageSection({ clusterId }: { clusterId: string }) {
  const usage = useQuery(nodesUsageQuery(clusterId));
  const { t } = useT('resources');
  return (
    <section aria-labelledby="nodes-title">
      <h2 id="nodes-title">{t('nodes.title')}</h2>
      {usage.isPending ? (
        <p aria-busy="true">{t('nodes.loading')}</p>
      ) : usage.isError && !usage.data ? (
        <ErrorPanel error={usage.error} onRetry={() => void usage.refetch()} />
      ) : (
        <NodeUsageView clusterId={clusterId} data={usage.data!} />
      )}
    </section>
  );
}

function NodeUsageView({ clusterId, data }: { clusterId: string; data: ClusterNodesUsage }) {
  const alive = data.nodes.filter((n) => n.state === 'ALIVE');
  const dead = data.nodes.filter((n) => n.state !== 'ALIVE');
  const withGpu = alive.some((n) => n.gpus.length > 0);
  const axis = { now: data.fetchedAt, windowMs: data.sampling.windowMs, intervalMs: data.sampling.intervalMs };
  const { t } = useT('resources');
  return (
    <>
      <p className="muted">
        {t('nodes.charts', {
          minutes: Math.round(data.sampling.windowMs / 60_000),
          seconds: Math.round(data.sampling.intervalMs / 1000),
        })}
        {data.grafanaUrl ? (
          <>
            {' '}
            <Rich
              ns="resources"
              k="nodes.grafana"
              components={{ a: <a href={data.grafanaUrl} target="_blank" rel="noreferrer" /> }}
            />
          </>
        ) : null}
      </p>
      <table className="table node-usage" data-testid="node-usage">
        <thead>
          <tr>
            <th scope="col">{t('nodes.columns.node')}</th>
            <th scope="col">{t('nodes.columns.cpu')}</th>
            <th scope="col">{t('nodes.columns.memory')}</th>
            {withGpu ? <th scope="col">{t('nodes.columns.gpu')}</th> : null}
            <th scope="col">{t('nodes.columns.disk')}</th>
            <th scope="col">{t('nodes.columns.objectStore')}</th>
            <th scope="col">{t('nodes.columns.logs')}</th>
          </tr>
        </thead>
        <tbody>
          {alive.map((n) => (
            <tr key={n.nodeId} data-node-id={n.nodeId}>
              <th scope="row">
                {n.ip} {n.isHead ? <span className="badge">{t('nodes.head')}</span> : null}
                <code className="sub muted" title={n.nodeId}>
                  {n.nodeId.slice(0, 12)}
                </code>
              </th>
              <td>
                <Figure
                  value={n.cpuPercent === undefined ? undefined : percent(n.cpuPercent)}
                  detail={n.cpus === undefined ? undefined : t('nodes.cpus', { count: n.cpus })}
                />
                <Sparkline
                  values={binSamples(n.history, (s) => s.cpuPercent, axis)}
                  max={100}
                  label={t('nodes.cpuOf', { ip: n.ip })}
                  format={percent}
                />
              </td>
              <td>
                <UsedOf u={n.memory} t={t} />
                <Sparkline
                  values={binSamples(n.history, (s) => s.memoryFraction, axis)}
                  max={1}
                  label={t('nodes.memoryOf', { ip: n.ip })}
                  format={fraction}
                />
              </td>
              {withGpu ? (
                <td>
                  <Gpus node={n} t={t} />
                  {n.gpus.length > 0 ? (
                    <Sparkline
                      values={binSamples(n.history, (s) => s.gpuPercent, axis)}
                      max={100}
                      label={t('nodes.gpuOf', { ip: n.ip })}
                      format={percent}
                    />
                  ) : null}
                </td>
              ) : null}
              <td>
                <UsedOf u={n.disk} t={t} />
              </td>
              <td>
                <UsedOf u={n.objectStore} t={t} />
                <Sparkline
                  values={binSamples(n.history, (s) => s.objectStoreFraction, axis)}
                  max={1}
                  label={t('nodes.objectStoreOf', { ip: n.ip })}
                  format={fraction}
                />
              </td>
              <td>
                <Link
                  to={`/clusters/${encodeURIComponent(clusterId)}/logs?node=${encodeURIComponent(n.nodeId)}`}
                  aria-label={t('nodes.logsOf', { ip: n.ip })}
                >
                  {t('nodes.logs')}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dead.length > 0 ? (
        <section aria-labelledby="dead-nodes-title">
          <h3 id="dead-nodes-title">{t('nodes.dead', { count: formatNumber(dead.length) })}</h3>
          <table className="table" data-testid="dead-nodes">
            <thead>
              <tr>
                <th scope="col">{t('nodes.columns.node')}</th>
                <th scope="col">{t('nodes.columns.state')}</th>
                <th scope="col">{t('nodes.columns.why')}</th>
              </tr>
            </thead>
            <tbody>
              {dead.map((n) => (
                <tr key={n.nodeId}>
                  <th scope="row">
                    {n.ip}{' '}
                    <code className="sub muted" title={n.nodeId}>
                      {n.nodeId.slice(0, 12)}
                    </code>
                  </th>
                  <td>
                    <span className="badge badge-bad">{n.state}</span>
                  </td>
                  <td>{n.deathReason ?? t('nodes.noReason')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <Autoscaler data={data} t={t} />
    </>
  );
}

function Figure({ value, detail }: { value: string | undefined; detail?: string | undefined }) {
  return (
    <span className="figure">
      {value ?? '—'}
      {detail ? <span className="sub muted">{detail}</span> : null}
    </span>
  );
}

function UsedOf({ u, t }: { u: { used: number; total: number } | undefined; t: T<'resources'> }) {
  const s = share(u);
  if (!u || s === undefined) return <Figure value={undefined} />;
  return (
    <Figure
      value={fraction(s)}
      detail={t('nodes.usedOf', { used: formatBytes(u.used), total: formatBytes(u.total) })}
    />
  );
}

function Gpus({ node, t }: { node: NodeUsage; t: T<'resources'> }) {
  if (node.gpus.length === 0) return <span className="muted">{t('nodes.none')}</span>;
  return (
    <ul className="plain-list">
      {node.gpus.map((g) => (
        <li key={g.index}>
          {g.name ? t('nodes.gpuNamed', { index: g.index, name: g.name }) : t('nodes.gpu', { index: g.index })}:{' '}
          {g.utilizationPercent === undefined ? '—' : percent(g.utilizationPercent)}
          {g.memory ? (
            <span className="sub muted">
              {t('nodes.usedOf', { used: formatBytes(g.memory.used), total: formatBytes(g.memory.total) })}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Autoscaler({ data, t }: { data: ClusterNodesUsage; t: T<'resources'> }) {
  const a = data.autoscaler;
  const launches = a ? Object.entries(a.pendingLaunches) : [];
  const list = (items: string[], separator = ', ') => (items.length === 0 ? t('nodes.none') : items.join(separator));
  return (
    <section aria-labelledby="autoscaler-title">
      <h3 id="autoscaler-title">{t('nodes.autoscaler')}</h3>
      {!a ? (
        <p className="muted">{t('nodes.noAutoscaler')}</p>
      ) : (
        <ul className="plain-list" data-testid="autoscaler">
          <li>{t('nodes.starting', { list: list(launches.map(([type, n]) => `${n} × ${type}`)) })}</li>
          <li>{t('nodes.failed', { list: list(a.failedNodes) })}</li>
          <li>
            {t('nodes.waiting', {
              list: list(
                a.pending.map((d) => `${d.count} × ${demand(d.resources)}`),
                '; ',
              ),
            })}
          </li>
          <li className={a.infeasible.length > 0 ? 'text-bad' : undefined}>
            {t('nodes.infeasible', {
              list: list(
                a.infeasible.map((d) => `${d.count} × ${demand(d.resources)}`),
                '; ',
              ),
            })}
          </li>
        </ul>
      )}
    </section>
  );
}

const demand = (resources: Record<string, number>) =>
  `{${Object.entries(resources)
    .map(([k, v]) => `${k}: ${isByteResource(k) ? formatBytes(v) : v}`)
    .join(', ')}}`;

import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClusterNodesUsage, NodeUsage } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { Sparkline } from '../../components/sparkline';
import { nodesUsageQuery } from './api';
import { formatBytes } from './format';
import { binSamples, share } from './usage-history';

const percent = (v: number) => `${Math.round(v)}%`;
const fraction = (v: number) => `${Math.round(v * 100)}%`;

/** Every node's usage now and over the last hour, dead nodes with why, the autoscaler, and Grafana. */
export function NodeUsageSection({ clusterId }: { clusterId: string }) {
  const usage = useQuery(nodesUsageQuery(clusterId));
  return (
    <section aria-labelledby="nodes-title">
      <h2 id="nodes-title">Nodes</h2>
      {usage.isPending ? (
        <p aria-busy="true">Loading node usage…</p>
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
  return (
    <>
      <p className="muted">
        Charts: the last {Math.round(data.sampling.windowMs / 60_000)} minutes, sampled by the console every{' '}
        {Math.round(data.sampling.intervalMs / 1000)} s while someone has this page open (gaps are times nobody did).
        {data.grafanaUrl ? (
          <>
            {' '}
            <a href={data.grafanaUrl} target="_blank" rel="noreferrer">
              Open Grafana
            </a>{' '}
            for Ray’s own metrics.
          </>
        ) : null}
      </p>
      <table className="table node-usage" data-testid="node-usage">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            {withGpu ? <th scope="col">GPU</th> : null}
            <th scope="col">Disk</th>
            <th scope="col">Object store</th>
            <th scope="col">Logs</th>
          </tr>
        </thead>
        <tbody>
          {alive.map((n) => (
            <tr key={n.nodeId} data-node-id={n.nodeId}>
              <th scope="row">
                {n.ip} {n.isHead ? <span className="badge">head</span> : null}
                <code className="sub muted" title={n.nodeId}>
                  {n.nodeId.slice(0, 12)}
                </code>
              </th>
              <td>
                <Figure
                  value={n.cpuPercent === undefined ? undefined : percent(n.cpuPercent)}
                  detail={n.cpus === undefined ? undefined : `${n.cpus} CPUs`}
                />
                <Sparkline
                  values={binSamples(n.history, (s) => s.cpuPercent, axis)}
                  max={100}
                  label={`CPU of ${n.ip}`}
                  format={percent}
                />
              </td>
              <td>
                <UsedOf u={n.memory} />
                <Sparkline
                  values={binSamples(n.history, (s) => s.memoryFraction, axis)}
                  max={1}
                  label={`Memory of ${n.ip}`}
                  format={fraction}
                />
              </td>
              {withGpu ? (
                <td>
                  <Gpus node={n} />
                  {n.gpus.length > 0 ? (
                    <Sparkline
                      values={binSamples(n.history, (s) => s.gpuPercent, axis)}
                      max={100}
                      label={`GPU of ${n.ip}`}
                      format={percent}
                    />
                  ) : null}
                </td>
              ) : null}
              <td>
                <UsedOf u={n.disk} />
              </td>
              <td>
                <UsedOf u={n.objectStore} />
                <Sparkline
                  values={binSamples(n.history, (s) => s.objectStoreFraction, axis)}
                  max={1}
                  label={`Object store of ${n.ip}`}
                  format={fraction}
                />
              </td>
              <td>
                <Link
                  to={`/clusters/${encodeURIComponent(clusterId)}/logs?node=${encodeURIComponent(n.nodeId)}`}
                  aria-label={`Logs of ${n.ip}`}
                >
                  Logs
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dead.length > 0 ? (
        <section aria-labelledby="dead-nodes-title">
          <h3 id="dead-nodes-title">Dead nodes ({dead.length})</h3>
          <table className="table" data-testid="dead-nodes">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">State</th>
                <th scope="col">Why</th>
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
                  <td>{n.deathReason ?? 'Ray gave no reason.'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <Autoscaler data={data} />
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

function UsedOf({ u }: { u: { used: number; total: number } | undefined }) {
  const s = share(u);
  if (!u || s === undefined) return <Figure value={undefined} />;
  return <Figure value={fraction(s)} detail={`${formatBytes(u.used)} of ${formatBytes(u.total)}`} />;
}

function Gpus({ node }: { node: NodeUsage }) {
  if (node.gpus.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="plain-list">
      {node.gpus.map((g) => (
        <li key={g.index}>
          GPU {g.index}
          {g.name ? ` (${g.name})` : ''}: {g.utilizationPercent === undefined ? '—' : percent(g.utilizationPercent)}
          {g.memory ? (
            <span className="sub muted">{`${formatBytes(g.memory.used)} of ${formatBytes(g.memory.total)}`}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Autoscaler({ data }: { data: ClusterNodesUsage }) {
  const a = data.autoscaler;
  const launches = a ? Object.entries(a.pendingLaunches) : [];
  return (
    <section aria-labelledby="autoscaler-title">
      <h3 id="autoscaler-title">Autoscaler</h3>
      {!a ? (
        <p className="muted">The head reports no autoscaler state.</p>
      ) : (
        <ul className="plain-list" data-testid="autoscaler">
          <li>
            Nodes being started:{' '}
            {launches.length === 0 ? 'none' : launches.map(([type, n]) => `${n} × ${type}`).join(', ')}
          </li>
          <li>Nodes that failed to start: {a.failedNodes.length === 0 ? 'none' : a.failedNodes.join(', ')}</li>
          <li>
            Waiting demands:{' '}
            {a.pending.length === 0 ? 'none' : a.pending.map((d) => `${d.count} × ${demand(d.resources)}`).join('; ')}
          </li>
          <li className={a.infeasible.length > 0 ? 'text-bad' : undefined}>
            Requests no node can satisfy:{' '}
            {a.infeasible.length === 0
              ? 'none'
              : a.infeasible.map((d) => `${d.count} × ${demand(d.resources)}`).join('; ')}
          </li>
        </ul>
      )}
    </section>
  );
}

const demand = (resources: Record<string, number>) =>
  `{${Object.entries(resources)
    .map(([k, v]) => `${k}: ${k === 'memory' || k === 'object_store_memory' ? formatBytes(v) : v}`)
    .join(', ')}}`;

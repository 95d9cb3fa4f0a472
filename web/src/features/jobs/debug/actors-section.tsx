import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorPanel } from '../../../components/error-panel';
import { formatBytes } from '../../resources/format';
import { logPageHref } from '../../logs/log-link';
import { jobActorsQuery } from '../debug-api';
import { demandText } from './debug-view';
import { MoreButton } from './failures-section';
import { NodeLabel } from './node-label';

const PAGE = 100;

/** The job's actors: class, state, node, pid, restarts, death cause, resources, and a link to each one's log. */
export function ActorsSection({ clusterId, jobId, terminal }: { clusterId: string; jobId: string; terminal: boolean }) {
  const [limit, setLimit] = useState(PAGE);
  const actors = useQuery(jobActorsQuery(clusterId, jobId, limit, terminal));
  if (actors.isPending) return <p aria-busy="true">Loading actors…</p>;
  if (actors.isError && !actors.data) return <ErrorPanel error={actors.error} onRetry={() => void actors.refetch()} />;
  const data = actors.data!;
  return (
    <section aria-labelledby="actors-title">
      <h3 id="actors-title">Actors ({data.total.toLocaleString('en-US')})</h3>
      {data.items.length === 0 ? (
        <p className="muted">This job has created no actors.</p>
      ) : (
        <table className="table" data-testid="actors">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">State</th>
              <th scope="col">Node</th>
              <th scope="col">Pid</th>
              <th scope="col">Restarts</th>
              <th scope="col">Resources</th>
              <th scope="col">Death cause</th>
              <th scope="col">Log</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((a) => (
              <tr key={a.actorId} data-actor-id={a.actorId}>
                <th scope="row">
                  <code>{a.className}</code>
                  {a.name ? <span className="sub">“{a.name}”</span> : null}
                  <code className="sub muted" title={a.actorId}>
                    {a.actorId.slice(0, 12)}
                  </code>
                </th>
                <td>
                  <span
                    className={
                      a.state === 'ALIVE' ? 'badge badge-ok' : a.state === 'DEAD' ? 'badge badge-bad' : 'badge'
                    }
                  >
                    {a.state}
                  </span>
                </td>
                <td>
                  <NodeLabel nodeId={a.nodeId} nodeIp={a.nodeIp} />
                </td>
                <td>{a.pid ?? '—'}</td>
                <td>{a.numRestarts}</td>
                <td>{a.requiredResources ? demandText(a.requiredResources, formatBytes) : '—'}</td>
                <td className="death-cause">
                  {a.death ? (
                    <details>
                      <summary>{a.death.kind.replace(/_/g, ' ')}</summary>
                      <pre className="traceback">{a.death.message}</pre>
                    </details>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {a.log ? (
                    <Link
                      to={logPageHref(clusterId, a.log)}
                      aria-label={`Log of ${a.className} ${a.actorId.slice(0, 12)}`}
                    >
                      Log
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton
        shown={data.items.length}
        total={data.total}
        truncated={data.truncated}
        limit={limit}
        onMore={setLimit}
        what="actors"
      />
    </section>
  );
}

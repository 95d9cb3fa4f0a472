import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorPanel } from '../../../components/error-panel';
import { formatBytes } from '../../resources/format';
import { logPageHref } from '../../logs/log-link';
import { formatNumber } from '../../../i18n/format';
import { useT } from '../../../i18n/use-t';
import { jobActorsQuery } from '../debug-api';
import { demandText } from './debug-view';
import { MoreButton } from './failures-section';
import { NodeLabel } from './node-label';

const PAGE = 100;

/** The job's actors: class, state, node, pid, restarts, death cause, resources, and a link to each one's log. */
export function ActorsSection({ clusterId, jobId, terminal }: { clusterId: string; jobId: string; terminal: boolean }) {
  const [limit, setLimit] = useState(PAGE);
  const actors = useQuery(jobActorsQuery(clusterId, jobId, limit, terminal));
  const { t } = useT('debug');
  if (actors.isPending) return <p aria-busy="true">{t('actors.loading')}</p>;
  if (actors.isError && !actors.data) return <ErrorPanel error={actors.error} onRetry={() => void actors.refetch()} />;
  const data = actors.data!;
  return (
    <section aria-labelledby="actors-title">
      <h3 id="actors-title">{t('actors.title', { count: formatNumber(data.total) })}</h3>
      {data.items.length === 0 ? (
        <p className="muted">{t('actors.none')}</p>
      ) : (
        <table className="table" data-testid="actors">
          <thead>
            <tr>
              <th scope="col">{t('actors.columns.class')}</th>
              <th scope="col">{t('actors.columns.state')}</th>
              <th scope="col">{t('actors.columns.node')}</th>
              <th scope="col">{t('actors.columns.pid')}</th>
              <th scope="col">{t('actors.columns.restarts')}</th>
              <th scope="col">{t('actors.columns.resources')}</th>
              <th scope="col">{t('actors.columns.death')}</th>
              <th scope="col">{t('actors.columns.log')}</th>
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
                <td>{formatNumber(a.numRestarts)}</td>
                <td>{a.requiredResources ? demandText(a.requiredResources, formatBytes, t) : '—'}</td>
                <td className="death-cause">
                  {a.death ? (
                    <details>
                      <summary>{t(`deathKinds.${a.death.kind}`)}</summary>
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
                      aria-label={t('actors.logOf', { name: a.className, id: a.actorId.slice(0, 12) })}
                    >
                      {t('actors.log')}
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
        what={t('more.actors')}
      />
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { ServeStatus } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import type { T } from '../../i18n/catalogs';
import { formatNumber } from '../../i18n/format';
import { Rich, useT } from '../../i18n/use-t';
import { logPageHref } from '../logs/log-link';
import { serveStatusQuery } from './api';
import { useClusterTitle } from '../clusters/use-cluster-title';

const healthy = new Set(['RUNNING', 'HEALTHY']);
const broken = new Set(['DEPLOY_FAILED', 'UNHEALTHY']);
const tone = (status: string) =>
  healthy.has(status) ? 'badge badge-ok' : broken.has(status) ? 'badge badge-bad' : 'badge';

/** Ray Serve on this cluster (a RayService): applications and their deployments, read-only. */
export function ServePage() {
  const { clusterId = '' } = useParams();
  useClusterTitle('title.serve');
  const serve = useQuery(serveStatusQuery(clusterId));
  const { t } = useT('serve');
  return (
    <div className="serve">
      <h2>{t('title')}</h2>
      {serve.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : serve.isError && !serve.data ? (
        <ErrorPanel error={serve.error} onRetry={() => void serve.refetch()} />
      ) : (
        <ServeView clusterId={clusterId} data={serve.data!} />
      )}
    </div>
  );
}

function ServeView({ clusterId, data }: { clusterId: string; data: ServeStatus }) {
  const { t } = useT('serve');
  const replicaText = useT('serveReplicas').t;
  if (!data.running) {
    return (
      <p className="panel" data-testid="serve-not-running">
        <Rich ns="serve" k="notRunning" components={{ code: <code /> }} />
      </p>
    );
  }
  if (data.applications.length === 0) return <p className="muted">{t('noApps')}</p>;
  return (
    <>
      {data.applications.map((app) => (
        <section key={app.name} aria-labelledby={`serve-app-${app.name}`} className="serve-app">
          <h3 id={`serve-app-${app.name}`}>
            {app.name} <span className={tone(app.status)}>{app.status}</span>
          </h3>
          {app.routePrefix ? (
            <p className="muted">
              <Rich ns="serve" k="routePrefix" values={{ prefix: app.routePrefix }} components={{ code: <code /> }} />
            </p>
          ) : null}
          {app.message ? <pre className="traceback">{app.message}</pre> : null}
          <table className="table">
            <caption className="visually-hidden">{t('deploymentsOf', { name: app.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('columns.deployment')}</th>
                <th scope="col">{t('columns.status')}</th>
                <th scope="col">{t('columns.replicas')}</th>
                <th scope="col">{t('columns.message')}</th>
              </tr>
            </thead>
            <tbody>
              {app.deployments.map((d) => (
                <tr key={d.name} data-deployment={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <span className={tone(d.status)}>{d.status}</span>
                    {d.statusTrigger ? <div className="muted">{triggerText(d.statusTrigger, replicaText)}</div> : null}
                  </td>
                  <td>
                    {Object.entries(d.replicaStates)
                      .map(([state, n]) => t('replicaState', { count: formatNumber(n), state: state.toLowerCase() }))
                      .join(t('separator')) || t('none')}
                    {d.targetReplicas !== undefined ? t('target', { count: formatNumber(d.targetReplicas) }) : ''}
                    {d.replicas.length > 0 ? (
                      <ul className="plain-list" aria-label={replicaText('listLabel', { name: d.name })}>
                        {d.replicas.map((r) => (
                          <li key={r.replicaId}>
                            <code>{r.replicaId}</code> {r.state.toLowerCase()}
                            {r.nodeIp ? ` ${replicaText('onNode', { ip: r.nodeIp })}` : ''}
                            {r.pid !== undefined ? `, ${replicaText('pid', { pid: r.pid })}` : ''}
                            {r.log ? (
                              <>
                                {' · '}
                                <Link to={logPageHref(clusterId, r.log)}>{replicaText('log')}</Link>
                              </>
                            ) : null}
                          </li>
                        ))}
                        {d.replicasTruncated ? <li className="muted">{replicaText('more')}</li> : null}
                      </ul>
                    ) : null}
                  </td>
                  <td>
                    {d.message ? <pre className="traceback">{d.message}</pre> : '—'}
                    {d.recentDeadReplicas.length > 0 ? (
                      <ul className="plain-list" aria-label={replicaText('stoppedLabel', { name: d.name })}>
                        {d.recentDeadReplicas.map((r) => (
                          <li key={r.replicaId}>
                            {replicaText('stopped')} <code>{r.replicaId}</code>
                            {r.pid !== undefined ? ` (${replicaText('pid', { pid: r.pid })})` : ''}
                            {r.log ? (
                              <>
                                {' · '}
                                <Link to={logPageHref(clusterId, r.log)}>{replicaText('itsLog')}</Link>
                              </>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

/** Serve's DeploymentStatusTrigger in words, for the reasons a reader acts on; others as Serve spells them. */
function triggerText(trigger: string, t: T<'serveReplicas'>): string {
  switch (trigger) {
    case 'REPLICA_STARTUP_FAILED':
      return t('trigger.replicaStartupFailed');
    case 'HEALTH_CHECK_FAILED':
      return t('trigger.healthCheckFailed');
    case 'CONFIG_UPDATE_COMPLETED':
      return t('trigger.configUpdateCompleted');
    default:
      return trigger;
  }
}

import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { ServeStatus } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
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
  return (
    <div className="serve">
      <h2>Serve</h2>
      {serve.isPending ? (
        <p aria-busy="true">Loading Serve’s status…</p>
      ) : serve.isError && !serve.data ? (
        <ErrorPanel error={serve.error} onRetry={() => void serve.refetch()} />
      ) : (
        <ServeView data={serve.data!} />
      )}
    </div>
  );
}

function ServeView({ data }: { data: ServeStatus }) {
  if (!data.running) {
    return (
      <p className="panel" data-testid="serve-not-running">
        Ray Serve is not running on this cluster. A RayService, or <code>serve run</code>, starts it; its applications
        then show here.
      </p>
    );
  }
  if (data.applications.length === 0) return <p className="muted">Serve is running with no applications.</p>;
  return (
    <>
      {data.applications.map((app) => (
        <section key={app.name} aria-labelledby={`serve-app-${app.name}`} className="serve-app">
          <h3 id={`serve-app-${app.name}`}>
            {app.name} <span className={tone(app.status)}>{app.status}</span>
          </h3>
          {app.routePrefix ? (
            <p className="muted">
              Route prefix <code>{app.routePrefix}</code>
            </p>
          ) : null}
          {app.message ? <pre className="traceback">{app.message}</pre> : null}
          <table className="table">
            <caption className="visually-hidden">Deployments of {app.name}</caption>
            <thead>
              <tr>
                <th scope="col">Deployment</th>
                <th scope="col">Status</th>
                <th scope="col">Replicas</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {app.deployments.map((d) => (
                <tr key={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <span className={tone(d.status)}>{d.status}</span>
                  </td>
                  <td>
                    {Object.entries(d.replicaStates)
                      .map(([state, n]) => `${n} ${state.toLowerCase()}`)
                      .join(', ') || 'none'}
                    {d.targetReplicas !== undefined ? ` (target ${d.targetReplicas})` : ''}
                  </td>
                  <td>{d.message || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

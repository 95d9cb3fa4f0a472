import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorPanel } from '../../components/error-panel';
import { clusterListQuery } from './api';
import { AuthModeBadge } from './auth-mode-badge';

/** The first page: every cluster the console knows, and whether this session is signed in to it. */
export function ClusterListPage() {
  const clusters = useQuery(clusterListQuery());
  return (
    <section aria-labelledby="clusters-title">
      <h1 id="clusters-title">Clusters</h1>
      {clusters.isPending ? <p aria-busy="true">Loading clusters…</p> : null}
      {clusters.isError ? <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} /> : null}
      {clusters.data?.length === 0 ? (
        <p className="panel">
          No clusters are configured. Set <code>RAY_DASHBOARD_URL</code> or list clusters in the file named by{' '}
          <code>RAY_CONSOLE_CONFIG</code>, then restart the console.
        </p>
      ) : null}
      {clusters.data && clusters.data.length > 0 ? (
        <ul className="cluster-list">
          {clusters.data.map((c) => (
            <li key={c.id} className="cluster-card">
              <Link to={`/clusters/${encodeURIComponent(c.id)}`} className="cluster-link">
                {c.displayName}
              </Link>
              <span className="muted">{c.id}</span>
              <AuthModeBadge mode={c.authMode} />
              <span className={c.signedIn ? 'badge badge-ok' : 'badge'}>
                {c.signedIn ? 'Signed in' : 'Not signed in'}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet, useParams } from 'react-router';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { clusterListQuery, useSignOut } from './api';
import { AuthModeBadge } from './auth-mode-badge';
import { permissionsOf } from './permissions';
import { RoleBadge } from './role-badge';
import { TokenPrompt } from './token-prompt';

/** Everything under `/clusters/:clusterId`: the prompt until signed in, then the cluster's pages. */
export function ClusterLayout() {
  const { clusterId = '' } = useParams();
  const clusters = useQuery(clusterListQuery());
  const signOut = useSignOut(clusterId);

  if (clusters.isPending) return <p aria-busy="true">Loading…</p>;
  if (clusters.isError) return <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} />;
  const cluster = clusters.data.find((c) => c.id === clusterId);
  if (!cluster) {
    return (
      <div className="panel" role="alert">
        There is no cluster <code>{clusterId}</code> in this console. Pick one from the cluster list.
      </div>
    );
  }
  if (cluster.misconfigured) {
    // The console builds no client for such a cluster, so there is nothing to sign in to.
    return (
      <section className="prompt" aria-labelledby="misconfigured-title">
        <h1 id="misconfigured-title">{cluster.displayName} is misconfigured</h1>
        <p className="panel panel-error" role="alert">
          {cluster.misconfigured}
        </p>
      </section>
    );
  }
  if (!cluster.signedIn) return <TokenPrompt cluster={cluster} />;

  return (
    <div className="cluster">
      <div className="cluster-header">
        <h1>{cluster.displayName}</h1>
        <AuthModeBadge mode={cluster.authMode} />
        <RoleBadge role={cluster.role} />
        <button
          type="button"
          className="button button-quiet"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out of this cluster
        </button>
      </div>
      <nav className="tabs" aria-label="Cluster">
        <NavLink end to={`/clusters/${encodeURIComponent(cluster.id)}`}>
          Overview
        </NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/jobs`}>Jobs</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/logs`}>Logs</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/serve`}>Serve</NavLink>
        {/* Only an admin may read the trail (with roles); the tab is not offered to anyone else. */}
        {permissionsOf(cluster.role, undefined).may('admin') ? (
          <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/audit`}>Audit</NavLink>
        ) : null}
      </nav>
      <ErrorBoundary>
        <Outlet />
      </ErrorBoundary>
    </div>
  );
}

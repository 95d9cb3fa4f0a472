import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet, useParams } from 'react-router';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { clusterListQuery, useSignOut } from './api';
import { AuthModeBadge } from './auth-mode-badge';
import { TokenPrompt } from './token-prompt';

/** Everything under `/clusters/:clusterId`: the prompt until signed in, then the cluster's pages. */
export function ClusterLayout() {
  const { clusterId = '' } = useParams();
  const clusters = useQuery(clusterListQuery());
  const signOut = useSignOut(clusterId);
  const { t } = useT('tokens');
  // A cluster whose token the console holds, with the prompt left on: someone holding the token may
  // still sign in with it (while the console's token file is out of date, say).
  const [ownToken, setOwnToken] = useState(false);

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
  const managed = cluster.managedToken;
  if (!cluster.signedIn && !managed) return <TokenPrompt cluster={cluster} />;
  if (!cluster.signedIn && managed?.tokenPrompt && ownToken) {
    return (
      <>
        <TokenPrompt cluster={cluster} />
        <button type="button" className="button button-quiet" onClick={() => setOwnToken(false)}>
          {t('consoleToken')}
        </button>
      </>
    );
  }

  return (
    <div className="cluster">
      <div className="cluster-header">
        <h1>{cluster.displayName}</h1>
        <AuthModeBadge mode={cluster.authMode} />
        {cluster.signedIn ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setOwnToken(false);
              signOut.mutate();
            }}
            disabled={signOut.isPending}
          >
            Sign out of this cluster
          </button>
        ) : (
          <>
            <span className="badge badge-ok" title={t('managedTitle')}>
              {t('managed')}
            </span>
            {managed?.tokenPrompt ? (
              <button type="button" className="button button-quiet" onClick={() => setOwnToken(true)}>
                {t('ownToken')}
              </button>
            ) : null}
          </>
        )}
      </div>
      <nav className="tabs" aria-label="Cluster">
        <NavLink end to={`/clusters/${encodeURIComponent(cluster.id)}`}>
          Overview
        </NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/jobs`}>Jobs</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/logs`}>Logs</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/serve`}>Serve</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/audit`}>Audit</NavLink>
      </nav>
      <ErrorBoundary>
        <Outlet />
      </ErrorBoundary>
    </div>
  );
}

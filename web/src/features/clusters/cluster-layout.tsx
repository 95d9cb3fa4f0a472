import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet, useParams } from 'react-router';
import { ErrorBoundary } from '../../components/error-boundary';
import { ErrorPanel } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
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
  const cluster = clusters.data?.find((c) => c.id === clusterId);
  // The pages inside a signed-in cluster name themselves; the frame names what it shows instead of one.
  const { t: shell } = useT('shell');
  useDocumentTitle(
    !clusters.data || cluster?.signedIn || (cluster?.managedToken && !cluster.misconfigured)
      ? undefined
      : !cluster
        ? [shell('title.unknownCluster')]
        : cluster.misconfigured
          ? [cluster.displayName]
          : [shell('title.signIn'), cluster.displayName],
  );
  const { t } = useT('clusters');
  const common = useT('common').t;
  const tokens = useT('tokens').t;
  // A cluster whose token the console holds, with the prompt left on: someone holding the token may
  // still sign in with it (while the console's token file is out of date, say).
  const [ownToken, setOwnToken] = useState(false);

  if (clusters.isPending) return <p aria-busy="true">{common('loading')}</p>;
  if (clusters.isError) return <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} />;
  if (!cluster) {
    return (
      <div className="panel" role="alert">
        <Rich ns="clusters" k="layout.noSuchCluster" values={{ id: clusterId }} components={{ code: <code /> }} />
      </div>
    );
  }
  if (cluster.misconfigured) {
    // The console builds no client for such a cluster, so there is nothing to sign in to.
    return (
      <section className="prompt" aria-labelledby="misconfigured-title">
        <h1 id="misconfigured-title">{t('layout.misconfigured', { name: cluster.displayName })}</h1>
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
          {tokens('consoleToken')}
        </button>
      </>
    );
  }

  return (
    <div className="cluster">
      <div className="cluster-header">
        <h1>{cluster.displayName}</h1>
        <AuthModeBadge mode={cluster.authMode} />
        <RoleBadge role={cluster.role} />
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
            {t('layout.signOut')}
          </button>
        ) : (
          <>
            <span className="badge badge-ok" title={tokens('managedTitle')}>
              {tokens('managed')}
            </span>
            {managed?.tokenPrompt ? (
              <button type="button" className="button button-quiet" onClick={() => setOwnToken(true)}>
                {tokens('ownToken')}
              </button>
            ) : null}
          </>
        )}
      </div>
      <nav className="tabs" aria-label={t('layout.nav')}>
        <NavLink end to={`/clusters/${encodeURIComponent(cluster.id)}`}>
          {t('layout.overview')}
        </NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/jobs`}>{t('layout.jobs')}</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/logs`}>{t('layout.logs')}</NavLink>
        <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/serve`}>{t('layout.serve')}</NavLink>
        {/* Only an admin may read the trail (with roles); the tab is not offered to anyone else. */}
        {permissionsOf(cluster.role, undefined).may('admin') ? (
          <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/audit`}>{t('layout.audit')}</NavLink>
        ) : null}
      </nav>
      <ErrorBoundary>
        <Outlet />
      </ErrorBoundary>
    </div>
  );
}

import type { ClusterSummary } from '@ray-console/shared';
import { roleAllows } from '@ray-console/shared';
import { NavLink, Outlet } from 'react-router';
import { ErrorBoundary } from '../../components/error-boundary';
import { useT } from '../../i18n/use-t';
import { rayClusterPagePath } from '../kuberay-cluster/paths';
import { useSignOut } from './api';
import { AuthModeBadge } from './auth-mode-badge';
import { RoleBadge } from './role-badge';

/**
 * A cluster the session may use: its name, how it is used (signed in, or with the token the console
 * holds), the tabs, and the page open. Only the pages inside a cluster need it, so it is not in the first
 * script but in the chunk every such page imports (use-cluster-title.ts re-exports it): a deep link
 * fetches it with the page's chunk (route-pages.tsx), and the cluster list prefetches it.
 */
export function ClusterFrame({
  cluster,
  setOwnToken,
}: {
  cluster: ClusterSummary;
  /** Shows the token prompt over the console's token (true), or hides it again. */
  setOwnToken: (own: boolean) => void;
}) {
  const signOut = useSignOut(cluster.id);
  const { t } = useT('clusters');
  const tokens = useT('tokens').t;
  const managed = cluster.managedToken;
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
        {/* Only an admin may read the trail (with roles); the tab is not offered to anyone else. As in
            permissions.ts, which stays out of the first script: only the pages inside a cluster need it. */}
        {cluster.role === undefined || roleAllows(cluster.role, 'admin') ? (
          <NavLink to={`/clusters/${encodeURIComponent(cluster.id)}/audit`}>{t('layout.audit')}</NavLink>
        ) : null}
        {/* A discovered cluster's Kubernetes page (progress, YAML, delete) is outside the cluster's pages. */}
        {cluster.kubernetes ? (
          <NavLink
            to={rayClusterPagePath(cluster.kubernetes.namespace, cluster.kubernetes.name)}
            title={t('layout.kubernetesPage')}
          >
            {t('layout.kubernetes')}
          </NavLink>
        ) : null}
      </nav>
      <ErrorBoundary>
        <Outlet />
      </ErrorBoundary>
    </div>
  );
}

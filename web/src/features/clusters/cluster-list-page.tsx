import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ClusterSummary } from '@ray-console/shared';
import { AuthModeBadge } from './auth-mode-badge';
import { RoleBadge } from './role-badge';
import { useQuery } from '@tanstack/react-query';
import { ErrorPanel } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { loadNamespaces } from '../../i18n/i18n';
import { useDocumentTitle } from '../../lib/document-title';
import { lazyPart } from '../../lib/lazy-part';
import { clusterListQuery, discoveryQuery, sessionQuery } from './api';

/**
 * The first page: every cluster the console knows and whether this session is signed in to it.
 * Clusters found through Kubernetes are grouped by namespace, and those a RayJob or RayService made
 * are shown under it; a banner says when discovery cannot work and what to do.
 */
export function ClusterListPage() {
  const { t: shell } = useT('shell');
  useDocumentTitle([shell('title.clusters')]);
  const clusters = useQuery(clusterListQuery());
  const discovery = useQuery(discoveryQuery());
  const configured = clusters.data?.filter((c) => !c.kubernetes) ?? [];
  const discoveryOn = discovery.data !== undefined && discovery.data.state !== 'disabled';
  const kubernetes = discoveredClusters.usePart(discoveryOn);
  // Issue 12: where the console acts on Kubernetes as the person (the shell reads the same session).
  const actsOnKubernetes = useQuery(sessionQuery()).data?.kubernetes !== undefined;
  const { t } = useT('clusters');
  return (
    <section aria-labelledby="clusters-title">
      <h1 id="clusters-title">{t('list.title')}</h1>
      {actsOnKubernetes ? (
        <p className="toolbar">
          <Link to="/kubernetes/new-cluster" className="button">
            {t('list.newCluster')}
          </Link>
        </p>
      ) : null}
      {discovery.data && kubernetes ? <kubernetes.DiscoveryBanner status={discovery.data} /> : null}
      {clusters.isPending || (discoveryOn && !kubernetes) ? <p aria-busy="true">{t('list.loading')}</p> : null}
      {clusters.isError ? <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} /> : null}
      {clusters.data?.length === 0 && !discoveryOn ? (
        <p className="panel">
          <Rich ns="clusters" k="list.none" components={{ code: <code /> }} />
        </p>
      ) : null}
      {configured.length > 0 ? (
        <section aria-labelledby="configured-title">
          {discoveryOn ? <h2 id="configured-title">{t('list.configured')}</h2> : null}
          <ul
            className="cluster-list"
            aria-label={discoveryOn ? undefined : t('list.title')}
            aria-labelledby={discoveryOn ? 'configured-title' : undefined}
          >
            {configured.map((c) => (
              <ClusterCard key={c.id} cluster={c} />
            ))}
          </ul>
        </section>
      ) : null}
      {discovery.data && kubernetes ? (
        <kubernetes.DiscoveredClusters
          status={discovery.data}
          discovered={clusters.data?.filter((c) => c.kubernetes)}
        />
      ) : null}
    </section>
  );
}

/**
 * One cluster on the list: its name, whether this session may use it, and the person's role. A cluster
 * found through Kubernetes shows its name in Kubernetes and `kubernetes` (its readiness, workers and
 * spec, drawn by discovered-clusters.tsx) instead of its id.
 */
export function ClusterCard({ cluster: c, kubernetes }: { cluster: ClusterSummary; kubernetes?: ReactNode }) {
  const { t } = useT('clusters');
  const tokens = useT('tokens').t;
  const k = c.kubernetes;
  return (
    <li className="cluster-card">
      <Link to={`/clusters/${encodeURIComponent(c.id)}`} className="cluster-link">
        {k ? k.name : c.displayName}
      </Link>
      {k ? kubernetes : <span className="muted">{c.id}</span>}
      {c.misconfigured ? (
        <span className="badge badge-bad">{t('card.misconfigured')}</span>
      ) : (
        <>
          <AuthModeBadge mode={c.authMode} />
          {c.signedIn ? (
            <span className="badge badge-ok">{t('card.signedIn')}</span>
          ) : c.managedToken ? (
            // Usable without a sign-in: the console holds the token.
            <span className="badge badge-ok" title={tokens('managedTitle')}>
              {tokens('managed')}
            </span>
          ) : (
            <span className="badge">{t('card.notSignedIn')}</span>
          )}
          <RoleBadge role={c.role} />
        </>
      )}
      {c.misconfigured ? <p className="cluster-problem">{c.misconfigured}</p> : null}
    </li>
  );
}

/**
 * The list's Kubernetes part (discovered-clusters.tsx), fetched once discovery says it is on; the list
 * says it is loading meanwhile. With it, the words of a not-ready cluster's progress line.
 */
const discoveredClusters = lazyPart(() =>
  Promise.all([import('./discovered-clusters'), loadNamespaces(['kuberayCluster'])]).then(([part]) => part),
);

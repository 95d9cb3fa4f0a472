import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClusterSummary, DiscoveryStatus, KubernetesClusterInfo } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { formatDateTime } from '../../i18n/format-date-time';
import { Rich, useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { clusterListQuery, discoveryQuery } from './api';
import { AuthModeBadge } from './auth-mode-badge';
import { RoleBadge } from './role-badge';

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
  const discovered = clusters.data?.filter((c) => c.kubernetes) ?? [];
  const discoveryOn = discovery.data !== undefined && discovery.data.state !== 'disabled';
  const { t } = useT('clusters');
  return (
    <section aria-labelledby="clusters-title">
      <h1 id="clusters-title">{t('list.title')}</h1>
      {discovery.data ? <DiscoveryBanner status={discovery.data} /> : null}
      {clusters.isPending ? <p aria-busy="true">{t('list.loading')}</p> : null}
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
      {discoveryOn && clusters.data && discovered.length === 0 && discovery.data?.state === 'ok' ? (
        <p className="panel">
          {discovery.data.namespaces.length === 0
            ? t('list.noneDiscoveredAny', { seconds: discovery.data.refreshSeconds ?? 10 })
            : t('list.noneDiscoveredIn', {
                seconds: discovery.data.refreshSeconds ?? 10,
                namespaces: discovery.data.namespaces.join(', '),
              })}
        </p>
      ) : null}
      {byNamespace(discovered).map(([namespace, inNamespace]) => (
        <NamespaceGroup key={namespace} namespace={namespace} clusters={inNamespace} />
      ))}
    </section>
  );
}

/** What the RayCluster's spec says about auth; the head's own answer is the AuthModeBadge beside it. */
const specAuth = {
  token: 'specAuth.token',
  'kubernetes-token': 'specAuth.kubernetesToken',
  disabled: 'specAuth.disabled',
} as const satisfies Record<KubernetesClusterInfo['auth']['mode'], string>;

const bannerTitle = {
  forbidden: 'discovery.forbidden',
  unauthorized: 'discovery.unauthorized',
  unreachable: 'discovery.unreachable',
  error: 'discovery.error',
} as const satisfies Partial<Record<DiscoveryStatus['state'], string>>;

/** Says, in one place, why discovered clusters may be missing or out of date. */
function DiscoveryBanner({ status }: { status: DiscoveryStatus }) {
  const { t } = useT('clusters');
  if (status.state === 'starting') {
    return (
      <p className="muted" aria-busy="true">
        {t('discovery.looking')}
      </p>
    );
  }
  const title = status.state in bannerTitle ? bannerTitle[status.state as keyof typeof bannerTitle] : undefined;
  if (!title) return null;
  return (
    <div className="panel panel-warning" role="alert">
      <p>
        {/* Kubernetes's own answer follows, as the API server gave it. */}
        <strong>{t(title)}</strong> <span lang="en">{status.message}</span>
      </p>
      <p className="muted">
        {status.lastSuccessAt
          ? t('discovery.shownAsOf', { time: formatDateTime(status.lastSuccessAt) })
          : t('discovery.noneYet')}{' '}
        {t('discovery.retries', { seconds: status.refreshSeconds ?? 10 })}
      </p>
    </div>
  );
}

type Owner = NonNullable<KubernetesClusterInfo['owner']>;

function byNamespace(clusters: ClusterSummary[]): [string, ClusterSummary[]][] {
  const groups = new Map<string, ClusterSummary[]>();
  for (const c of clusters) {
    const ns = c.kubernetes?.namespace ?? '';
    groups.set(ns, [...(groups.get(ns) ?? []), c]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

function NamespaceGroup({ namespace, clusters }: { namespace: string; clusters: ClusterSummary[] }) {
  const { t } = useT('clusters');
  const own = clusters.filter((c) => !c.kubernetes?.owner);
  const owners = new Map<string, { owner: Owner; clusters: ClusterSummary[] }>();
  for (const c of clusters) {
    const owner = c.kubernetes?.owner;
    if (!owner) continue;
    const key = `${owner.kind}/${owner.name}`;
    owners.set(key, { owner, clusters: [...(owners.get(key)?.clusters ?? []), c] });
  }
  const titleId = `ns-${namespace}`;
  return (
    <section aria-labelledby={titleId} className="namespace-group">
      <h2 id={titleId}>
        <span className="muted">{t('list.namespace')}</span> {namespace}
      </h2>
      {own.length > 0 ? (
        <ul className="cluster-list" aria-labelledby={titleId}>
          {own.map((c) => (
            <ClusterCard key={c.id} cluster={c} />
          ))}
        </ul>
      ) : null}
      {[...owners.values()].map(({ owner, clusters: owned }) => (
        <div key={`${owner.kind}/${owner.name}`} className="owner-group">
          <h3 id={`${titleId}-${owner.kind}-${owner.name}`}>
            <span className="muted">{owner.kind}</span> {owner.name}
          </h3>
          <ul className="cluster-list" aria-labelledby={`${titleId}-${owner.kind}-${owner.name}`}>
            {owned.map((c) => (
              <ClusterCard key={c.id} cluster={c} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ClusterCard({ cluster: c }: { cluster: ClusterSummary }) {
  const { t } = useT('clusters');
  const tokens = useT('tokens').t;
  const k = c.kubernetes;
  return (
    <li className="cluster-card">
      <Link to={`/clusters/${encodeURIComponent(c.id)}`} className="cluster-link">
        {k ? k.name : c.displayName}
      </Link>
      {k ? null : <span className="muted">{c.id}</span>}
      {k ? <Readiness info={k} /> : null}
      {k ? (
        <span className="muted" title={t('card.workersTitle')}>
          {t('card.workers', { available: k.workers.available, desired: k.workers.desired })}
        </span>
      ) : null}
      {k?.rayVersion ? <span className="muted">{t('card.rayVersion', { version: k.rayVersion })}</span> : null}
      {k ? (
        <span
          className="muted"
          title={k.auth.secret ? t('card.secret', { name: k.auth.secret.name, key: k.auth.secret.key }) : undefined}
        >
          {t(specAuth[k.auth.mode])}
        </span>
      ) : null}
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

/** Ready, suspended, or not ready with the reason the operator gives (HeadPodReady, ReplicaFailure). */
function Readiness({ info }: { info: KubernetesClusterInfo }) {
  const { t } = useT('clusters');
  const condition = (type: string) => info.conditions.find((c) => c.type === type);
  if (condition('RayClusterSuspended')?.status === 'True') return <span className="badge">{t('card.suspended')}</span>;
  if (info.ready) return <span className="badge badge-ok">{t('card.ready')}</span>;
  const failure = condition('ReplicaFailure');
  const why = failure?.status === 'True' ? failure.reason : condition('HeadPodReady')?.reason;
  const detail = failure?.status === 'True' ? failure.message : condition('HeadPodReady')?.message;
  return (
    <span className="badge badge-bad" title={detail || undefined}>
      {why && why !== 'Unknown' ? t('card.notReadyBecause', { reason: why }) : t('card.notReady')}
    </span>
  );
}

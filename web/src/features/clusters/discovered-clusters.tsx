import { Link } from 'react-router';
import type { ClusterSummary, DiscoveryStatus, KubernetesClusterInfo } from '@ray-console/shared';
import { formatDateTime } from '../../i18n/format-date-time';
import { useT } from '../../i18n/use-t';
import { ProgressLine } from '../kuberay-cluster/progress-line';
import { rayClusterPagePath } from '../kuberay-cluster/paths';
import { ClusterCard } from './cluster-list-page';

/**
 * The cluster list's Kubernetes part: the discovery banner and the clusters found through Kubernetes,
 * grouped by namespace and by the RayJob or RayService that made them. A chunk of its own, fetched by
 * the list only when discovery is on (cluster-list-page.tsx): most consoles list configured clusters
 * only, and the first script stays small (docs/benchmarks.md, "Initial load").
 */

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
export function DiscoveryBanner({ status }: { status: DiscoveryStatus }) {
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

/**
 * The clusters found through Kubernetes (`discovered`, from the list the page has, `undefined` while it
 * loads), or, once discovery works, a line saying none were found and where it looked.
 */
export function DiscoveredClusters({
  status,
  discovered,
}: {
  status: DiscoveryStatus;
  discovered: ClusterSummary[] | undefined;
}) {
  const { t } = useT('clusters');
  return (
    <>
      <p>
        <Link to="/kubernetes/rayservices">{t('list.rayServices')}</Link>
      </p>
      {discovered && discovered.length === 0 && status.state === 'ok' ? (
        <p className="panel">
          {status.namespaces.length === 0
            ? t('list.noneDiscoveredAny', { seconds: status.refreshSeconds ?? 10 })
            : t('list.noneDiscoveredIn', {
                seconds: status.refreshSeconds ?? 10,
                namespaces: status.namespaces.join(', '),
              })}
        </p>
      ) : null}
      {byNamespace(discovered ?? []).map(([namespace, inNamespace]) => (
        <NamespaceGroup key={namespace} namespace={namespace} clusters={inNamespace} />
      ))}
    </>
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
            <DiscoveredCard key={c.id} cluster={c} />
          ))}
        </ul>
      ) : null}
      {[...owners.values()].map(({ owner, clusters: owned }) => (
        <div key={`${owner.kind}/${owner.name}`} className="owner-group">
          <h3 id={`${titleId}-${owner.kind}-${owner.name}`}>
            <span className="muted">{owner.kind}</span>{' '}
            {owner.kind === 'RayService' ? (
              <Link to={`/kubernetes/rayservices/${encodeURIComponent(namespace)}/${encodeURIComponent(owner.name)}`}>
                {owner.name}
              </Link>
            ) : (
              owner.name
            )}
          </h3>
          <ul className="cluster-list" aria-labelledby={`${titleId}-${owner.kind}-${owner.name}`}>
            {owned.map((c) => (
              <DiscoveredCard key={c.id} cluster={c} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function DiscoveredCard({ cluster }: { cluster: ClusterSummary }) {
  return (
    <ClusterCard
      cluster={cluster}
      kubernetes={cluster.kubernetes ? <KubernetesFields info={cluster.kubernetes} /> : null}
    />
  );
}

/**
 * A discovered cluster's readiness, workers, Ray version and what its spec says about auth, a link to
 * its Kubernetes page, and while it is not ready, what it waits for.
 */
function KubernetesFields({ info: k }: { info: KubernetesClusterInfo }) {
  const { t } = useT('clusters');
  const kuberay = useT('kuberayCluster').t;
  return (
    <>
      <Readiness info={k} />
      <span className="muted" title={t('card.workersTitle')}>
        {t('card.workers', { available: k.workers.available, desired: k.workers.desired })}
      </span>
      {k.rayVersion ? <span className="muted">{t('card.rayVersion', { version: k.rayVersion })}</span> : null}
      <span
        className="muted"
        title={k.auth.secret ? t('card.secret', { name: k.auth.secret.name, key: k.auth.secret.key }) : undefined}
      >
        {t(specAuth[k.auth.mode])}
      </span>
      <Link to={rayClusterPagePath(k.namespace, k.name)} title={kuberay('list.kubernetesTitle')}>
        {kuberay('list.kubernetes')}
      </Link>
      {k.ready ? null : <ProgressLine namespace={k.namespace} name={k.name} />}
    </>
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

import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClusterSummary, DiscoveryStatus, KubernetesClusterInfo } from '@ray-console/shared';
import { ErrorPanel } from '../../components/error-panel';
import { clusterListQuery, discoveryQuery } from './api';
import { AuthModeBadge } from './auth-mode-badge';
import { RoleBadge } from './role-badge';

/**
 * The first page: every cluster the console knows and whether this session is signed in to it.
 * Clusters found through Kubernetes are grouped by namespace, and those a RayJob or RayService made
 * are shown under it; a banner says when discovery cannot work and what to do.
 */
export function ClusterListPage() {
  const clusters = useQuery(clusterListQuery());
  const discovery = useQuery(discoveryQuery());
  const configured = clusters.data?.filter((c) => !c.kubernetes) ?? [];
  const discovered = clusters.data?.filter((c) => c.kubernetes) ?? [];
  const discoveryOn = discovery.data !== undefined && discovery.data.state !== 'disabled';
  return (
    <section aria-labelledby="clusters-title">
      <h1 id="clusters-title">Clusters</h1>
      {discovery.data ? <DiscoveryBanner status={discovery.data} /> : null}
      {clusters.isPending ? <p aria-busy="true">Loading clusters…</p> : null}
      {clusters.isError ? <ErrorPanel error={clusters.error} onRetry={() => void clusters.refetch()} /> : null}
      {clusters.data?.length === 0 && !discoveryOn ? (
        <p className="panel">
          No clusters are configured. Set <code>RAY_DASHBOARD_URL</code> or list clusters in the file named by{' '}
          <code>RAY_CONSOLE_CONFIG</code>, or switch on Kubernetes discovery (<code>KUBERNETES_DISCOVERY=true</code>),
          then restart the console.
        </p>
      ) : null}
      {configured.length > 0 ? (
        <section aria-labelledby="configured-title">
          {discoveryOn ? <h2 id="configured-title">Configured clusters</h2> : null}
          <ul
            className="cluster-list"
            aria-label={discoveryOn ? undefined : 'Clusters'}
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
          No RayClusters found in {namespacesText(discovery.data)}. Clusters created there appear here within{' '}
          {seconds(discovery.data.refreshSeconds ?? 10)}.
        </p>
      ) : null}
      {byNamespace(discovered).map(([namespace, inNamespace]) => (
        <NamespaceGroup key={namespace} namespace={namespace} clusters={inNamespace} />
      ))}
    </section>
  );
}

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** What the RayCluster's spec says about auth; the head's own answer is the AuthModeBadge beside it. */
const specAuth: Record<KubernetesClusterInfo['auth']['mode'], string> = {
  token: 'Ray token',
  'kubernetes-token': 'Kubernetes token',
  disabled: 'No auth in spec',
};

function namespacesText(status: DiscoveryStatus): string {
  return status.namespaces.length === 0 ? 'any namespace' : `the namespaces ${status.namespaces.join(', ')}`;
}

const bannerTitle: Partial<Record<DiscoveryStatus['state'], string>> = {
  forbidden: 'Kubernetes discovery is not permitted',
  unauthorized: 'Kubernetes rejected the console’s credentials',
  unreachable: 'The Kubernetes API server cannot be reached',
  error: 'Kubernetes discovery fails',
};

/** Says, in one place, why discovered clusters may be missing or out of date. */
function DiscoveryBanner({ status }: { status: DiscoveryStatus }) {
  if (status.state === 'starting') {
    return (
      <p className="muted" aria-busy="true">
        Looking for RayClusters in Kubernetes…
      </p>
    );
  }
  const title = bannerTitle[status.state];
  if (!title) return null;
  return (
    <div className="panel panel-warning" role="alert">
      <p>
        <strong>{title}.</strong> {status.message}
      </p>
      <p className="muted">
        {status.lastSuccessAt
          ? `Discovered clusters are shown as of ${new Date(status.lastSuccessAt).toLocaleString()}.`
          : 'No RayCluster has been discovered yet.'}{' '}
        The console retries every {seconds(status.refreshSeconds ?? 10)} by itself.
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
        <span className="muted">Namespace</span> {namespace}
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
  const k = c.kubernetes;
  return (
    <li className="cluster-card">
      <Link to={`/clusters/${encodeURIComponent(c.id)}`} className="cluster-link">
        {k ? k.name : c.displayName}
      </Link>
      {k ? null : <span className="muted">{c.id}</span>}
      {k ? <Readiness info={k} /> : null}
      {k ? (
        <span className="muted" title="Available worker replicas of those desired (status.availableWorkerReplicas)">
          Workers {k.workers.available}/{k.workers.desired}
        </span>
      ) : null}
      {k?.rayVersion ? <span className="muted">Ray {k.rayVersion}</span> : null}
      {k ? (
        <span
          className="muted"
          title={k.auth.secret ? `Secret ${k.auth.secret.name}, key ${k.auth.secret.key}` : undefined}
        >
          {specAuth[k.auth.mode]}
        </span>
      ) : null}
      {c.misconfigured ? (
        <span className="badge badge-bad">Misconfigured</span>
      ) : (
        <>
          <AuthModeBadge mode={c.authMode} />
          <span className={c.signedIn ? 'badge badge-ok' : 'badge'}>{c.signedIn ? 'Signed in' : 'Not signed in'}</span>
          <RoleBadge role={c.role} />
        </>
      )}
      {c.misconfigured ? <p className="cluster-problem">{c.misconfigured}</p> : null}
    </li>
  );
}

/** Ready, suspended, or not ready with the reason the operator gives (HeadPodReady, ReplicaFailure). */
function Readiness({ info }: { info: KubernetesClusterInfo }) {
  const condition = (type: string) => info.conditions.find((c) => c.type === type);
  if (condition('RayClusterSuspended')?.status === 'True') return <span className="badge">Suspended</span>;
  if (info.ready) return <span className="badge badge-ok">Ready</span>;
  const failure = condition('ReplicaFailure');
  const why = failure?.status === 'True' ? failure.reason : condition('HeadPodReady')?.reason;
  const detail = failure?.status === 'True' ? failure.message : condition('HeadPodReady')?.message;
  return (
    <span className="badge badge-bad" title={detail || undefined}>
      Not ready{why && why !== 'Unknown' ? `: ${why}` : ''}
    </span>
  );
}

import type { Logger } from 'pino';
import type { DiscoveryState, DiscoveryStatus } from '@ray-console/shared';
import type { KubernetesConfig } from '../../config.js';
import { KubernetesError, createKubernetesClient, type KubernetesClient } from '../../kubernetes/kube-client.js';
import type { RayClusterObject, ServiceObject } from '../../kubernetes/kube-objects.js';
import type { RayEndpoint } from '../../ray/ray-dashboard-client.js';
import type { ClusterRecord, ClusterSource } from '../clusters/cluster-registry.js';
import { serviceUrlOf } from './kube-names.js';
import { clusterIdOf, dashboardPortOf, headServiceNameOf, viewOf } from './raycluster-view.js';

/** What the discovery router needs: the state of discovery, for a banner. */
export interface DiscoveryStatusSource {
  status(): DiscoveryStatus;
}

export type DiscoveryOptions = Pick<KubernetesConfig, 'namespaces' | 'connect' | 'refreshMs' | 'dashboardUrls'>;

/** One namespace (or all of them) and what its last list gave. */
interface Scope {
  namespace: string | undefined;
  records: ClusterRecord[];
  failure: KubernetesError | undefined;
}

/** The order failures are reported in when scopes fail differently: the one to fix first comes first. */
const SEVERITY: Record<KubernetesError['failure'], number> = {
  unauthorized: 0,
  forbidden: 1,
  not_found: 2,
  error: 3,
  unreachable: 4,
  // A person's writes only (issue 12); a list never fails so.
  invalid: 3,
  conflict: 3,
};

const HINT_CONFIGURED = 'Clusters configured by hand keep working.';

/**
 * Finds RayClusters through the Kubernetes API and offers them beside the configured clusters.
 *
 * It polls (list RayClusters and head Services every `refreshMs`) rather than watching. A list is a
 * complete answer, so there is no watch state to lose (expired resource versions, silently dropped
 * connections, bookmarks), every round says plainly whether discovery works, and recovery after a
 * 403 or an API-server outage is simply the next round. A console follows tens of clusters, so two
 * LISTs every few seconds cost the API server little (they are served from its watch cache).
 *
 * A failed round never takes configured clusters down. Clusters found before are kept while the API
 * server is unreachable (their heads may well be up, and signed-in users keep working), and dropped
 * when the console is no longer allowed to see them.
 */
export class KubernetesDiscovery implements ClusterSource, DiscoveryStatusSource {
  private readonly scopes: Scope[];
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastSuccessAt: Date | undefined;
  private lastAttemptAt: Date | undefined;
  private lastState: DiscoveryState = 'starting';
  private records: readonly ClusterRecord[] = [];

  constructor(
    private readonly client: KubernetesClient,
    private readonly options: DiscoveryOptions,
    private readonly logger: Logger,
  ) {
    const namespaces = options.namespaces.length > 0 ? options.namespaces : [undefined];
    this.scopes = namespaces.map((namespace) => ({ namespace, records: [], failure: undefined }));
  }

  /** Starts polling: a round now, then one `refreshMs` after each round ends (rounds never overlap). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops polling and waits for a round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  list(): readonly ClusterRecord[] {
    return this.records;
  }

  /** One round: list every scope, rebuild the records, update the state. Exposed for the first round and tests. */
  refresh(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  status(): DiscoveryStatus {
    const failure = this.worstFailure();
    const state: DiscoveryState = !this.lastAttemptAt ? 'starting' : failure ? stateOf(failure) : 'ok';
    const failing = this.scopes.filter((s) => s.failure);
    return {
      state,
      ...(failure
        ? {
            message:
              this.scopes.length > 1
                ? `${failure.message} (${failing.length} of ${this.scopes.length} namespaces fail.) ${HINT_CONFIGURED}`
                : `${failure.message} ${HINT_CONFIGURED}`,
          }
        : {}),
      namespaces: [...this.options.namespaces],
      connect: this.options.connect,
      refreshSeconds: this.options.refreshMs / 1000,
      clusterCount: this.records.length,
      ...(this.lastSuccessAt ? { lastSuccessAt: this.lastSuccessAt.toISOString() } : {}),
      ...(this.lastAttemptAt ? { lastAttemptAt: this.lastAttemptAt.toISOString() } : {}),
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule(this.options.refreshMs));
    }, delayMs);
    // Discovery alone must not keep the process alive (tests, a draining server).
    this.timer.unref();
  }

  private async round(): Promise<void> {
    await Promise.all(this.scopes.map((scope) => this.refreshScope(scope)));
    this.lastAttemptAt = new Date();
    if (this.scopes.every((s) => !s.failure)) this.lastSuccessAt = this.lastAttemptAt;
    this.records = this.scopes.flatMap((s) => s.records).sort((a, b) => a.id.localeCompare(b.id));
    this.logTransition();
  }

  private async refreshScope(scope: Scope): Promise<void> {
    try {
      const [clustersResult, servicesResult] = await Promise.allSettled([
        this.client.listRayClusters(scope.namespace),
        this.client.listHeadServices(scope.namespace),
      ]);
      // Both lists run at once; when both fail, the RayClusters' failure is the one reported, whichever came first.
      if (clustersResult.status === 'rejected') throw clustersResult.reason;
      if (servicesResult.status === 'rejected') throw servicesResult.reason;
      const [clusters, services] = [clustersResult.value, servicesResult.value];
      if (clusters.skipped > 0) {
        this.logger.warn(
          { skipped: clusters.skipped, namespace: scope.namespace },
          'RayClusters not understood were left out',
        );
      }
      scope.records = clusters.items
        .filter((rc) => !rc.metadata.deletionTimestamp)
        .map((rc) => this.recordOf(rc, services));
      scope.failure = undefined;
    } catch (err) {
      const failure =
        err instanceof KubernetesError
          ? err
          : new KubernetesError('error', 'Kubernetes discovery failed unexpectedly; see the console log.', {
              cause: err,
            });
      if (!(err instanceof KubernetesError)) this.logger.error({ err }, 'Kubernetes discovery failed');
      scope.failure = failure;
      // Without permission there is nothing the console may show; an outage keeps what was known.
      if (failure.failure === 'forbidden' || failure.failure === 'unauthorized' || failure.failure === 'not_found') {
        scope.records = [];
      }
    }
  }

  private recordOf(rc: RayClusterObject, services: readonly ServiceObject[]): ClusterRecord {
    const { tokenHint, ...view } = viewOf(rc);
    const { namespace, name } = rc.metadata;
    const serviceName = headServiceNameOf(rc, services);
    const service = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === serviceName.name);
    const port = dashboardPortOf(rc, service);
    // The address a user's own `ray job submit` would use from inside the cluster, whatever the console uses.
    const inCluster = serviceUrlOf(namespace, serviceName, port);
    const reached = this.endpointOf(namespace, name, serviceName, service, port, inCluster);
    // `literalEnv` only shapes the hint; the shared contract does not carry it.
    const { literalEnv: _literal, ...auth } = view.auth;
    return {
      id: clusterIdOf(namespace, name),
      displayName: `${namespace}/${name}`,
      ...('problem' in reached
        ? {
            misconfigured:
              `${reached.problem} The console will not connect to this cluster until the RayCluster is fixed ` +
              `(or its URL is configured in kubernetes.dashboardUrls["${namespace}/${name}"]).`,
          }
        : { endpoint: reached.endpoint }),
      ...(tokenHint ? { tokenHint } : {}),
      ...('url' in inCluster ? { dashboardAddress: { url: inCluster.url, inClusterOnly: true } } : {}),
      source: 'kubernetes',
      kubernetes: { ...view, auth, ...('connection' in reached ? { connection: reached.connection } : {}) },
    };
  }

  /**
   * How the console reaches the head. Every part taken from Kubernetes is checked first (see
   * kube-names.ts): an address built from a hostile name could send users' tokens anywhere.
   */
  private endpointOf(
    namespace: string,
    name: string,
    serviceName: { name: string; from: string },
    service: ServiceObject | undefined,
    port: number,
    inCluster: { url: string } | { problem: string },
  ):
    | { endpoint: RayEndpoint; connection: { via: 'service' | 'proxy' | 'override'; url: string } }
    | { problem: string } {
    // The configuration's own URL needs nothing from the RayCluster.
    const override = this.options.dashboardUrls[`${namespace}/${name}`];
    if (override) {
      return {
        endpoint: { baseUrl: override, tokenHeader: 'authorization' },
        connection: { via: 'override', url: override },
      };
    }
    if ('problem' in inCluster) return inCluster;
    if (this.options.connect === 'service') {
      const url = inCluster.url;
      return { endpoint: { baseUrl: url, tokenHeader: 'authorization' }, connection: { via: 'service', url } };
    }
    // The proxy addresses the port by name when the Service has one called `dashboard` (KubeRay's always does).
    const named = service === undefined || service.spec.ports?.some((p) => p.name === 'dashboard');
    const endpoint = this.client.serviceProxyEndpoint(namespace, serviceName.name, named ? 'dashboard' : String(port));
    return { endpoint, connection: { via: 'proxy', url: endpoint.baseUrl } };
  }

  private worstFailure(): KubernetesError | undefined {
    return this.scopes
      .map((s) => s.failure)
      .filter((f): f is KubernetesError => f !== undefined)
      .sort((a, b) => SEVERITY[a.failure] - SEVERITY[b.failure])[0];
  }

  /** Logs when the state changes, not every round. */
  private logTransition(): void {
    const { state, message, clusterCount } = this.status();
    if (state === this.lastState) return;
    this.lastState = state;
    if (state === 'ok') this.logger.info({ clusters: clusterCount }, 'Kubernetes discovery works');
    else this.logger.warn({ state }, message ?? 'Kubernetes discovery fails');
  }
}

function stateOf(failure: KubernetesError): DiscoveryState {
  switch (failure.failure) {
    case 'forbidden':
      return 'forbidden';
    case 'unauthorized':
      return 'unauthorized';
    case 'unreachable':
      return 'unreachable';
    default:
      return 'error';
  }
}

/**
 * Builds discovery from the configuration (index.ts and the tests boot it the same way). The caller
 * starts and stops it. Throws when the credentials cannot be loaded.
 */
export function createKubernetesDiscovery(config: KubernetesConfig, logger: Logger): KubernetesDiscovery {
  // A list that takes longer than a round is as good as no answer; keep it within 10 s either way.
  const timeoutMs = Math.min(10_000, Math.max(2_000, config.refreshMs));
  const client = createKubernetesClient(config.source, { timeoutMs });
  return new KubernetesDiscovery(client, config, logger.child({ component: 'kubernetes-discovery' }));
}

import type { AuthMode, KubernetesClusterInfo, TokenHint } from '@ray-console/shared';
import { unknownCluster } from '../../access/role-gate.js';
import { AppError } from '../../lib/app-error.js';
import {
  RayDashboardClient,
  endpointAddress,
  type RayClientOptions,
  type RayEndpoint,
} from '../../ray/ray-dashboard-client.js';

/**
 * A cluster the console knows, wherever it was found. Exactly one of `endpoint` and `misconfigured` is
 * set: a cluster whose address could not be built safely is listed with the reason, but the console
 * never builds a Ray client for it, so nobody can sign in to it and no token goes anywhere.
 */
export interface ClusterRecord {
  id: string;
  displayName: string;
  endpoint?: RayEndpoint;
  /** What is wrong with the cluster's address, and what to change; set instead of `endpoint`. */
  misconfigured?: string;
  tokenHint?: TokenHint;
  /** The dashboard address a user's own `ray job submit --address` would use (never a proxy URL). */
  dashboardAddress?: { url: string; inClusterOnly: boolean };
  source: 'config' | 'kubernetes';
  /**
   * Set for a configured cluster with a token file: the console's token is used for every session
   * (see ManagedTokens); `tokenPrompt` false refuses sign-ins with a token of one's own.
   */
  managedToken?: { tokenPrompt: boolean };
  /** What the RayCluster object says, for clusters found through Kubernetes discovery. */
  kubernetes?: KubernetesClusterInfo;
}

/** Something that knows clusters: the configuration, Kubernetes discovery. */
export interface ClusterSource {
  list(): readonly ClusterRecord[];
}

const AUTH_MODE_TTL_MS = 30_000;
/** An unreachable head is asked again soon, but not on every list request (each probe may wait 5 s). */
const UNKNOWN_MODE_TTL_MS = 5_000;

/**
 * All clusters the console knows, from every source, and one Ray client per cluster. It also remembers
 * each head's auth mode for a short while so the cluster list does not probe every head on each call.
 */
export class ClusterRegistry {
  private readonly clients = new Map<string, { address: string; client: RayDashboardClient }>();
  private readonly authModes = new Map<string, { mode: AuthMode; at: number; address: string }>();

  constructor(
    private readonly sources: readonly ClusterSource[],
    private readonly rayOptions: RayClientOptions,
  ) {}

  list(): ClusterRecord[] {
    return this.sources.flatMap((s) => s.list());
  }

  get(id: string): ClusterRecord {
    const cluster = this.list().find((c) => c.id === id);
    if (!cluster) throw unknownCluster(id);
    return cluster;
  }

  /** The cluster's Ray client, rebuilt when its endpoint changes; a misconfigured cluster gets none. */
  client(cluster: ClusterRecord): RayDashboardClient {
    const { endpoint } = cluster;
    if (!endpoint) {
      this.clients.get(cluster.id)?.client.close();
      this.clients.delete(cluster.id);
      throw new AppError(
        'conflict',
        `The console does not connect to the cluster "${cluster.displayName}": ${cluster.misconfigured ?? 'it has no address.'}`,
      );
    }
    const address = endpointAddress(endpoint);
    const cached = this.clients.get(cluster.id);
    if (cached && cached.address === address) return cached.client;
    // The old address's pooled connections are not used again.
    cached?.client.close();
    const client = new RayDashboardClient(endpoint, this.rayOptions);
    this.clients.set(cluster.id, { address, client });
    return client;
  }

  /** The head's auth mode, probed at most every 30 s; `unknown` while it cannot be reached. */
  async authMode(cluster: ClusterRecord): Promise<AuthMode> {
    if (!cluster.endpoint) return 'unknown';
    const address = endpointAddress(cluster.endpoint);
    const cached = this.authModes.get(cluster.id);
    const ttl = cached?.mode === 'unknown' ? UNKNOWN_MODE_TTL_MS : AUTH_MODE_TTL_MS;
    // What the old address said is no answer for a new one.
    if (cached && cached.address === address && Date.now() - cached.at < ttl) return cached.mode;
    const mode = await this.client(cluster)
      .authenticationMode()
      .catch((): AuthMode => 'unknown');
    this.authModes.set(cluster.id, { mode, at: Date.now(), address });
    return mode;
  }

  /** Called when a sign-in (or a call) learned the mode first-hand. */
  rememberAuthMode(cluster: ClusterRecord, mode: AuthMode): void {
    if (!cluster.endpoint) return;
    this.authModes.set(cluster.id, { mode, at: Date.now(), address: endpointAddress(cluster.endpoint) });
  }
}

/** Clusters from `RAY_DASHBOARD_URL` and the YAML configuration file. */
export class ConfiguredClusters implements ClusterSource {
  private readonly records: readonly ClusterRecord[];

  constructor(
    clusters: readonly {
      id: string;
      displayName: string;
      dashboardUrl: string;
      tokenHint?: TokenHint | undefined;
      tokenFile?: string | undefined;
      tokenPrompt?: boolean | undefined;
    }[],
  ) {
    this.records = clusters.map((c) => ({
      id: c.id,
      displayName: c.displayName,
      endpoint: { baseUrl: c.dashboardUrl, tokenHeader: 'authorization' },
      ...(c.tokenHint ? { tokenHint: c.tokenHint } : {}),
      ...(c.tokenFile ? { managedToken: { tokenPrompt: c.tokenPrompt ?? true } } : {}),
      dashboardAddress: { url: c.dashboardUrl, inClusterOnly: false },
      source: 'config',
    }));
  }

  list(): readonly ClusterRecord[] {
    return this.records;
  }
}

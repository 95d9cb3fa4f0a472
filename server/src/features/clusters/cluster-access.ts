import type { Request } from 'express';
import { z } from 'zod';
import { ClusterId, type SignOutReason, type TokenSource } from '@ray-console/shared';
import { unknownCluster, type RoleGate } from '../../access/role-gate.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterCredentials, OpenCredential } from '../../session/cluster-credentials.js';
import type { ManagedTokens } from '../../session/managed-tokens.js';
import { endpointAddress, type RayDashboardClient } from '../../ray/ray-dashboard-client.js';
import type { ClusterRecord, ClusterRegistry } from './cluster-registry.js';

const ClusterIdParams = z.object({ clusterId: ClusterId });

/** What a service needs to act on a signed-in cluster: the client and the token, nothing of HTTP. */
export interface SignedInCluster {
  cluster: ClusterRecord;
  ray: RayDashboardClient;
  credential: OpenCredential;
  /** Whose token the credential is: the session's own, or the console's token file (a managed cluster). */
  tokenSource?: TokenSource;
}

/** How long a managed token's Ray version is kept before the head is asked again (an upgrade changes it). */
const MANAGED_VERSION_TTL_MS = 60_000;

/**
 * Opens a signed-in cluster for one request and runs `fn` with it. When the head rejects the stored
 * token (cluster re-created, token rotated), that cluster alone is signed out, with the reason kept for
 * the prompt; other clusters in the session stay signed in.
 *
 * A managed cluster (configured with a token file) needs no sign-in: a session without a token of its
 * own uses the console's. When the head rejects that one, nobody is signed out; the answer says the
 * console's token file is out of date, and the next request after the file changed works again.
 */
export class ClusterAccess {
  /** The Ray version seen with each managed token, per cluster (the session keeps it for its own tokens). */
  private readonly managedVersions = new Map<string, { key: string; rayVersion: string; at: number }>();

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly credentials: ClusterCredentials,
    private readonly audit?: AuditRecorder,
    private readonly managed?: ManagedTokens,
    private readonly gate?: Pick<RoleGate, 'roleOn'>,
  ) {}

  /**
   * Parses the `clusterId` route parameter and finds the cluster (404 when unknown). With per-cluster
   * roles, a cluster the person has no role on is unknown too, whichever route asks: the gate in front
   * of each route decides the role it needs, and this keeps a route that forgot it from showing anything.
   * `clusterId`, already checked: the cluster of a request that is not an API route's (a web page's).
   */
  cluster(req: Request, clusterId = parseInput(ClusterIdParams, req.params, 'cluster id').clusterId): ClusterRecord {
    const cluster = this.registry.get(clusterId);
    if (this.gate && this.gate.roleOn(req, cluster) === undefined) throw unknownCluster(clusterId);
    return cluster;
  }

  /** Which token a call to the request's cluster would use now; undefined when there is none (or no such cluster). */
  tokenSource(req: Request): TokenSource | undefined {
    let cluster: ClusterRecord;
    try {
      cluster = this.cluster(req);
    } catch {
      return undefined;
    }
    if (this.ownCredential(req, cluster)) return 'session';
    return this.managedToken(cluster) !== undefined ? 'token-file' : undefined;
  }

  async run<T>(req: Request, fn: (c: SignedInCluster) => Promise<T>, clusterId?: string): Promise<T> {
    const cluster = this.cluster(req, clusterId);
    // A token bound to another address is forgotten before anything is sent (see ClusterCredentials).
    const dropped = await this.credentials.dropUnusable(req, cluster);
    if (dropped) {
      await this.audit?.record(req, { clusterId: cluster.id, action: 'sign-out', outcome: 'success', reason: dropped });
    }
    const credential = this.ownCredential(req, cluster);
    if (!credential) {
      const token = this.managedToken(cluster);
      if (token !== undefined) return this.runManaged(cluster, token, fn);
      throw new AppError('signed_out', signedOutMessage(cluster, this.credentials.signOutReason(req, cluster)));
    }
    try {
      return await fn({ cluster, ray: this.registry.client(cluster), credential, tokenSource: 'session' });
    } catch (err) {
      if (isAppError(err, 'token_rejected', 'token_missing')) {
        // Ray answers 401/403 only with auth on: the list must not go on saying "disabled" from a cached probe.
        this.registry.rememberAuthMode(cluster, 'token');
        await this.credentials.signOut(req, cluster.id, err.code as 'token_rejected' | 'token_missing');
        // The console forgot the token on its own; the trail says so, and why.
        await this.audit?.record(req, {
          clusterId: cluster.id,
          action: 'sign-out',
          outcome: 'success',
          reason: err.code,
        });
      }
      throw err;
    }
  }

  /** The session's own token, unless the cluster takes only the console's (`tokenPrompt: false`). */
  ownCredential(req: Request, cluster: ClusterRecord): OpenCredential | undefined {
    if (cluster.managedToken?.tokenPrompt === false) return undefined;
    return this.credentials.get(req, cluster);
  }

  private managedToken(cluster: ClusterRecord): string | undefined {
    return cluster.managedToken ? this.managed?.token(cluster.id) : undefined;
  }

  private async runManaged<T>(
    cluster: ClusterRecord,
    token: string,
    fn: (c: SignedInCluster) => Promise<T>,
  ): Promise<T> {
    const ray = this.registry.client(cluster);
    try {
      const credential = await this.managedCredential(cluster, ray, token);
      return await fn({ cluster, ray, credential, tokenSource: 'token-file' });
    } catch (err) {
      if (!isAppError(err, 'token_rejected', 'token_missing')) throw err;
      this.registry.rememberAuthMode(cluster, 'token');
      this.managedVersions.delete(cluster.id);
      // The file may have changed with no event seen yet (a file system without them): look now.
      void this.managed?.reload(cluster.id);
      throw new AppError('token_file_outdated', tokenFileOutdatedMessage(cluster), undefined, {
        cause: err,
        params: { cluster: cluster.displayName, tokenPrompt: cluster.managedToken?.tokenPrompt === false ? 0 : 1 },
      });
    }
  }

  /**
   * The console's token as a credential, checked with the head (`/api/version`, which also gives the Ray
   * version submits and log reads depend on) once a minute, and at once after the token or the address
   * changed. The file's current token is tried first; while the head still refuses it, the token before it
   * (the Secret was edited, the head not restarted yet). Only a refusal (401/403) moves on to the next.
   */
  private async managedCredential(
    cluster: ClusterRecord,
    ray: RayDashboardClient,
    current: string,
  ): Promise<OpenCredential> {
    const address = endpointAddress(ray.endpoint);
    const known = this.managedVersions.get(cluster.id);
    // Only the current token is remembered as good: while the head takes only the one before it, every
    // call asks again, so the moment the head has the new token (restarted) the next call uses it.
    if (known && known.key === `${address}\n${current}` && Date.now() - known.at < MANAGED_VERSION_TTL_MS) {
      return { token: current, authMode: 'token', rayVersion: known.rayVersion };
    }
    let refused: unknown;
    for (const token of this.managed?.candidates(cluster.id) ?? [current]) {
      try {
        const version = await ray.version(token);
        if (token === current) {
          this.managedVersions.set(cluster.id, {
            key: `${address}\n${token}`,
            rayVersion: version.ray_version,
            at: Date.now(),
          });
          this.managed?.accepted(cluster.id, token);
        }
        return { token, authMode: 'token', rayVersion: version.ray_version };
      } catch (err) {
        if (!isAppError(err, 'token_rejected', 'token_missing')) throw err;
        refused = err;
      }
    }
    throw refused;
  }
}

/** What a user is told when the head rejects the console's own token. */
function tokenFileOutdatedMessage(cluster: ClusterRecord): string {
  const name = cluster.displayName;
  const own =
    cluster.managedToken?.tokenPrompt === false
      ? ''
      : ' Meanwhile, whoever holds the current token can sign in with it.';
  return (
    `The cluster "${name}" rejected the token in the console's token file: the file is out of date (the token was changed on the cluster first). ` +
    `Ask the console's operator to update it (the Kubernetes Secret it is mounted from); the console uses the new token as soon as the file changes, without a restart.${own}`
  );
}

/** What the user is told when a call needs a sign-in, by why the session has none. */
export function signedOutMessage(cluster: ClusterRecord, reason: SignOutReason | undefined): string {
  const name = cluster.displayName;
  switch (reason) {
    case 'token_rejected':
      return `The cluster "${name}" rejected the token this session held; sign in again with its current token.`;
    case 'endpoint_changed':
      return `This cluster's address changed; sign in again. The console signed this session out of "${name}" and did not send its token to the new address.`;
    case 'endpoint_unbound':
      return `Sign in to the cluster "${name}" again: this session's token was stored before the console tied tokens to the address they were checked at, so it is not used.`;
    default:
      return `Sign in to the cluster "${name}" first.`;
  }
}

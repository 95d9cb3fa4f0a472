import type { Request } from 'express';
import { z } from 'zod';
import { ClusterId, type SignOutReason } from '@ray-console/shared';
import { unknownCluster, type RoleGate } from '../../access/role-gate.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { parseInput } from '../../lib/parse.js';
import type { ClusterCredentials, OpenCredential } from '../../session/cluster-credentials.js';
import type { RayDashboardClient } from '../../ray/ray-dashboard-client.js';
import type { ClusterRecord, ClusterRegistry } from './cluster-registry.js';

const ClusterIdParams = z.object({ clusterId: ClusterId });

/** What a service needs to act on a signed-in cluster: the client and the token, nothing of HTTP. */
export interface SignedInCluster {
  cluster: ClusterRecord;
  ray: RayDashboardClient;
  credential: OpenCredential;
}

/**
 * Opens a signed-in cluster for one request and runs `fn` with it. When the head rejects the stored
 * token (cluster re-created, token rotated), that cluster alone is signed out, with the reason kept for
 * the prompt; other clusters in the session stay signed in.
 */
export class ClusterAccess {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly credentials: ClusterCredentials,
    private readonly audit?: AuditRecorder,
    private readonly gate?: Pick<RoleGate, 'roleOn'>,
  ) {}

  /**
   * Parses the `clusterId` route parameter and finds the cluster (404 when unknown). With per-cluster
   * roles, a cluster the person has no role on is unknown too, whichever route asks: the gate in front
   * of each route decides the role it needs, and this keeps a route that forgot it from showing anything.
   */
  cluster(req: Request): ClusterRecord {
    const { clusterId } = parseInput(ClusterIdParams, req.params, 'cluster id');
    const cluster = this.registry.get(clusterId);
    if (this.gate && this.gate.roleOn(req, cluster) === undefined) throw unknownCluster(clusterId);
    return cluster;
  }

  /** Whether this session is signed in to the request's cluster; false for an unknown cluster too. */
  isSignedIn(req: Request): boolean {
    try {
      return this.credentials.get(req, this.cluster(req)) !== undefined;
    } catch {
      return false;
    }
  }

  async run<T>(req: Request, fn: (c: SignedInCluster) => Promise<T>): Promise<T> {
    const cluster = this.cluster(req);
    // A token bound to another address is forgotten before anything is sent (see ClusterCredentials).
    const dropped = await this.credentials.dropUnusable(req, cluster);
    if (dropped) {
      await this.audit?.record(req, { clusterId: cluster.id, action: 'sign-out', outcome: 'success', reason: dropped });
    }
    const credential = this.credentials.get(req, cluster);
    if (!credential) {
      throw new AppError('signed_out', signedOutMessage(cluster, this.credentials.signOutReason(req, cluster)));
    }
    try {
      return await fn({ cluster, ray: this.registry.client(cluster), credential });
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

import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { ClusterId, roleAllows, type AuditAction, type Person, type Role } from '@ray-console/shared';
import { AppError } from '../lib/app-error.js';
import type { AuditRecorder } from '../lib/audit.js';
import { parseInput } from '../lib/parse.js';
import '../session/session-data.js';
import type { PolicyCluster, RolePolicy } from './role-policy.js';

const ClusterIdParams = z.object({ clusterId: ClusterId });

/** A cluster as the gate needs it: what the policy reads, and a name for messages. */
export type GateCluster = PolicyCluster & { displayName: string };

/** Finds a cluster by id, throwing `unknown_cluster` when there is none (the registry). */
export interface ClusterLookup {
  get(id: string): GateCluster;
}

/** What the gate found for a request that passed it; `undefined` role: no roles apply (anonymous mode). */
interface Passed {
  cluster: GateCluster;
  role: Role | undefined;
}

/**
 * Enforces per-cluster roles in front of every cluster route: each route declares the role it needs
 * (`gate.needs('operator', 'job.submit')`), and the gate alone asks the policy, answers 403 `forbidden`
 * (with the role needed in `params.role`), and records the refused attempt in the audit trail. A person
 * with no role on a cluster is told what anybody is told about a cluster that does not exist.
 *
 * Without a policy (anonymous mode, or OIDC without an `access` section) it lets everything through
 * and nothing changes.
 */
export class RoleGate {
  private readonly passed = new WeakMap<Request, Passed>();

  constructor(
    private readonly clusters: ClusterLookup,
    private readonly policy: RolePolicy | undefined,
    private readonly audit: Pick<AuditRecorder, 'record'>,
  ) {}

  /** Whether roles apply at all. */
  get enforcing(): boolean {
    return this.policy !== undefined;
  }

  /**
   * The request's person's role on a cluster: `undefined` when they have none (they must not see it).
   * Without a policy, `'unrestricted'`.
   */
  roleOn(req: Request, cluster: PolicyCluster): Role | 'unrestricted' | undefined {
    return this.personRoleOn(req.session?.person, cluster);
  }

  /** The same, for a person read from the store (a live tail's heartbeat). */
  personRoleOn(person: Person | undefined, cluster: PolicyCluster): Role | 'unrestricted' | undefined {
    if (!this.policy) return 'unrestricted';
    return person ? this.policy.roleOf(person, cluster) : undefined;
  }

  /** For a live tail's heartbeat: whether a person (as the session store has them now) may still read the cluster. */
  mayRead(cluster: PolicyCluster): (person: Person | undefined) => boolean {
    return (person) => this.personRoleOn(person, cluster) !== undefined;
  }

  /** Middleware: the route needs at least `role` on the `:clusterId` cluster; `action` names a refused attempt in the trail. */
  needs(role: Role, action?: AuditAction): RequestHandler {
    return async (req, _res, next) => {
      if (!this.policy) return next();
      const { clusterId } = parseInput(ClusterIdParams, req.params, 'cluster id');
      const person = req.session?.person;
      if (!person) {
        throw new AppError('sign_in_required', 'Sign in first: this console gives roles to signed-in people.');
      }
      const cluster = this.clusters.get(clusterId);
      const held = this.policy.roleOf(person, cluster);
      if (!held) throw unknownCluster(clusterId);
      this.passed.set(req, { cluster, role: held });
      if (!roleAllows(held, role)) await this.refuse(req, role, held, action);
      next();
    };
  }

  /** The role the gate found for this request (after `needs`); `undefined` without a policy. */
  roleOf(req: Request): Role | undefined {
    return this.passed.get(req)?.role;
  }

  /** Records a refused attempt and throws the 403 that names the role needed. */
  async refuse(req: Request, needed: Role, held: Role, action?: AuditAction, what?: string): Promise<never> {
    const cluster = this.passed.get(req)?.cluster;
    const clusterId = cluster?.id ?? String(req.params.clusterId ?? '');
    if (action) {
      const jobId = typeof req.params.jobId === 'string' ? req.params.jobId : undefined;
      await this.audit.record(req, {
        clusterId,
        action,
        outcome: 'failure',
        reason: 'forbidden',
        ...(jobId ? { jobId } : {}),
      });
    }
    const name = cluster?.displayName ?? clusterId;
    throw new AppError(
      'forbidden',
      `${what ?? (action ? WHAT[action] : 'This')} needs the ${needed} role on the cluster "${name}"; you have the ${held} role there. Ask whoever runs this console for the ${needed} role.`,
      undefined,
      { params: { role: needed, held, cluster: name } },
    );
  }
}

/** The answer for a cluster a person has no role on: the same as for one that does not exist. */
export function unknownCluster(id: string): AppError {
  return new AppError(
    'unknown_cluster',
    `There is no cluster "${id}" in this console; pick one from the cluster list.`,
  );
}

/** How a refused action is named in the message. */
const WHAT: Record<AuditAction, string> = {
  'sign-in': 'Signing in to this cluster',
  'sign-out': 'Signing out of this cluster',
  'job.submit': 'Submitting a job',
  'job.stop': 'Stopping a job',
  'job.delete': 'Deleting a job',
  'package.upload': 'Uploading a package',
  'audit.read': 'Reading the audit trail',
  'raycluster.create': 'Creating a RayCluster',
  'raycluster.delete': 'Deleting a RayCluster',
};

/** A gate without roles, as in anonymous mode: for routers built on their own in tests. */
export const OPEN_GATE = new RoleGate(
  {
    get: () => {
      throw new Error('an open gate looks up no cluster');
    },
  },
  undefined,
  { record: () => Promise.resolve() },
);

import { Role, roleAllows, type Person } from '@ray-console/shared';
import type { AccessConfig, Grant } from '../config.js';

/** What the policy needs to know of a cluster: its id, and for a discovered one its namespace. */
export interface PolicyCluster {
  id: string;
  source: 'config' | 'kubernetes';
  kubernetes?: { namespace: string } | undefined;
}

/**
 * The one place that says what a person may do on a cluster, from the grants of the configuration
 * file's `access` section. It knows nothing of HTTP; the gate (role-gate.ts) asks it for every route.
 */
export class RolePolicy {
  constructor(private readonly access: AccessConfig) {}

  /** The highest role of every grant that names the person or one of their groups; undefined: none. */
  roleOf(person: Person, cluster: PolicyCluster): Role | undefined {
    let best: Role | undefined;
    for (const grant of this.grantsFor(cluster)) {
      if (!matches(grant, person)) continue;
      if (best === undefined || !roleAllows(best, grant.role)) best = grant.role;
    }
    return best;
  }

  private grantsFor(cluster: PolicyCluster): readonly Grant[] {
    if (cluster.source === 'config') return this.access.clusters[cluster.id] ?? [];
    const ns = cluster.kubernetes?.namespace;
    return [...this.access.discovered.all, ...((ns !== undefined && this.access.discovered.namespaces[ns]) || [])];
  }
}

/** By subject (stable, never reassigned), or by a group the provider put in the person's groups claim. */
function matches(grant: Grant, person: Person): boolean {
  return grant.users.includes(person.subject) || grant.groups.some((g) => person.groups.includes(g));
}

// The job rule lives in shared/ (the web app disables what the BFF would refuse by the same rule).
export { mayActOnJob } from '@ray-console/shared';

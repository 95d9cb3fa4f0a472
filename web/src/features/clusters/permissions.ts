import { useQuery } from '@tanstack/react-query';
import {
  mayActOnJob,
  roleAllows,
  type ClusterSummary,
  type Person,
  type Role,
  type SubmittedBy,
} from '@ray-console/shared';
import { clusterListQuery, sessionQuery } from './api';

/**
 * What the signed-in person may do on one cluster, from `ClusterSummary.role` (OIDC with roles). Without
 * a role (anonymous mode, or OIDC without roles) everything is allowed: the BFF decides anyway, and a
 * 403 it answers is shown as such. `why` says what a disabled action needs.
 */
export interface Permissions {
  person: Person | undefined;
  /** Whether the role includes `needed`. */
  may(needed: Role): boolean;
  /** Whether the person may stop or delete this job: an admin any, an operator their own (by issuer and subject). */
  mayActOn(job: { submittedBy?: SubmittedBy | undefined }): boolean;
}

export function permissionsOf(role: Role | undefined, person: Person | undefined): Permissions {
  const may = (needed: Role) => role === undefined || roleAllows(role, needed);
  return {
    person,
    may,
    mayActOn: (job) => role === undefined || mayActOnJob(role, person, job.submittedBy),
  };
}

/** The permissions on a cluster from the cached cluster list and session (no request of its own). */
export function useClusterPermissions(clusterId: string): Permissions {
  const clusters = useQuery(clusterListQuery());
  const session = useQuery(sessionQuery());
  const cluster: ClusterSummary | undefined = clusters.data?.find((c) => c.id === clusterId);
  return permissionsOf(cluster?.role, session.data?.person);
}

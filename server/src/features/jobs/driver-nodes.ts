import { LRUCache } from 'lru-cache';
import { endpointAddress } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';

/** Where a job's driver ran: what Ray's `/api/v0/logs/file` needs beside the submission id. */
export interface DriverNode {
  nodeId: string;
  submissionId: string;
}

/**
 * The driver node of each job whose log was read, so the next read of that log can start at once instead
 * of after a call that asks Ray for the job (docs/benchmarks.md, "Why 760 ms"). A job's driver node never
 * changes, but the job behind an id can: a head restarted at the same address numbers its nodes anew, and
 * a deleted job's submission id may be submitted again and run elsewhere. So an entry is only a guess to
 * start with; openJobLog confirms it with the job's details before it sends a byte (job-logs.ts).
 *
 * Keyed by cluster, the head's address (and the header the token goes in) and the job id; bounded, the
 * least recently read forgotten first. Node ids are not secrets, and every read is still made with the
 * reader's own token.
 */
export class DriverNodes {
  private readonly entries: LRUCache<string, DriverNode>;

  constructor(max = 2000) {
    this.entries = new LRUCache({ max });
  }

  get(c: Pick<SignedInCluster, 'cluster' | 'ray'>, jobId: string): DriverNode | undefined {
    return this.entries.get(keyOf(c, jobId));
  }

  set(c: Pick<SignedInCluster, 'cluster' | 'ray'>, jobId: string, node: DriverNode): void {
    this.entries.set(keyOf(c, jobId), node);
  }

  forget(c: Pick<SignedInCluster, 'cluster' | 'ray'>, jobId: string): void {
    this.entries.delete(keyOf(c, jobId));
  }

  get size(): number {
    return this.entries.size;
  }
}

// Cluster ids and job ids hold no newline (shared/src/clusters.ts, jobs.ts), so the parts cannot run together.
const keyOf = ({ cluster, ray }: Pick<SignedInCluster, 'cluster' | 'ray'>, jobId: string) =>
  `${cluster.id}\n${endpointAddress(ray.endpoint)}\n${jobId}`;

import type { StatePage } from '../../ray/ray-dashboard-client.js';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { tokenScopedKey } from '../../lib/token-scoped-key.js';

/** Retried attempts read per job at most (retry figures are lower bounds beyond, and say so). */
export const RETRY_ROWS_LIMIT = 2000;

/**
 * A job's task attempts beyond the first (`attempt_number != 0`), shared for a moment between the calls
 * a page makes at once (its progress and its failures both need them). Ray filters attempt numbers only
 * after reading every task of the job from the GCS, so each read costs as much as the summary itself
 * on a job with 10,000 tasks; reading it once per refresh instead of twice halves that. Keyed by cluster,
 * job and a hash of the token, so one user's read is never answered from another's.
 */
export class RetryRows {
  private readonly entries = new Map<string, { at: number; rows: Promise<StatePage<RayTask>> }>();

  constructor(
    private readonly ttlMs = 2000,
    private readonly maxEntries = 200,
    private readonly now: () => number = Date.now,
  ) {}

  get(c: SignedInCluster, rayJobId: string): Promise<StatePage<RayTask>> {
    const key = tokenScopedKey(c.cluster.id, c.credential.token, rayJobId);
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.rows;
    const rows = c.ray.listTasks(c.credential.token, {
      filters: [
        ['job_id', '=', rayJobId],
        ['attempt_number', '!=', '0'],
      ],
      limit: RETRY_ROWS_LIMIT,
    });
    this.entries.delete(key);
    this.entries.set(key, { at: t, rows });
    // A failed read is not kept.
    rows.catch(() => this.entries.get(key)?.rows === rows && this.entries.delete(key));
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && t - e.at < this.ttlMs) break;
      this.entries.delete(k);
    }
    return rows;
  }
}

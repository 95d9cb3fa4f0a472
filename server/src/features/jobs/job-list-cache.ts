import { createHash } from 'node:crypto';
import type { JobSnapshot } from './job-list.js';

interface Entry {
  clusterId: string;
  /** When the read finished; the entry lives `ttlMs` from then (a read under way never expires). */
  readyAt?: number;
  snapshot: Promise<JobSnapshot>;
}

/**
 * A short-lived copy of each cluster's job list, so paging, filtering and searching through 10,000 jobs
 * does not make Ray serialise all of them on every request. Concurrent readers share one read. Entries
 * are keyed by cluster and by a hash of the token, so a session whose token the head would refuse never
 * reads what another session fetched. Writes (submit, stop, delete) invalidate the cluster's entries.
 */
export class JobListCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  get(clusterId: string, token: string | null, load: () => Promise<JobSnapshot>): Promise<JobSnapshot> {
    this.sweep();
    const key = `${clusterId}\u0000${createHash('sha256')
      .update(token ?? '')
      .digest('base64url')}`;
    const cached = this.entries.get(key);
    if (cached) return cached.snapshot;
    const entry: Entry = { clusterId, snapshot: load() };
    this.entries.set(key, entry);
    entry.snapshot.then(
      () => {
        entry.readyAt = this.now();
      },
      () => {
        // A failed read is not kept: the next request asks Ray again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.snapshot;
  }

  /** Forgets the cluster's list; a read already under way still answers those waiting for it. */
  invalidate(clusterId: string): void {
    for (const [key, entry] of this.entries) if (entry.clusterId === clusterId) this.entries.delete(key);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.readyAt !== undefined && now - entry.readyAt >= this.ttlMs) this.entries.delete(key);
    }
  }
}

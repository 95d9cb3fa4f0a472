import { tokenScopedKey } from '../../lib/token-scoped-key.js';
import type { JobSnapshot } from './job-list.js';

interface Entry {
  clusterId: string;
  /** When the current snapshot was read; unset while the first read is under way. */
  readyAt?: number;
  snapshot: Promise<JobSnapshot>;
  /** A background refresh under way, so a burst of requests starts only one. */
  refreshing: boolean;
}

/**
 * A short-lived copy of each cluster's job list, so paging, filtering and searching through 10,000 jobs
 * does not make Ray serialise all of them on every request (Ray takes seconds for that). A copy younger
 * than `ttlMs` is served as it is; an older one, up to `staleMs`, is still served at once while one
 * background read replaces it, so a filter change never waits for Ray; past `staleMs` the request
 * waits for a fresh read. Concurrent readers share one read. Entries are keyed by cluster and by a
 * hash of the token, so a session whose token the head would refuse never reads what another session
 * fetched. Writes (submit, stop, delete) drop the cluster's entries, so their effect shows at once.
 */
export class JobListCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 2000,
    private readonly staleMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(clusterId: string, token: string | null, load: () => Promise<JobSnapshot>): Promise<JobSnapshot> {
    this.sweep();
    const key = tokenScopedKey(clusterId, token);
    const cached = this.entries.get(key);
    if (cached) {
      if (cached.readyAt !== undefined && this.now() - cached.readyAt >= this.ttlMs) this.refresh(key, cached, load);
      return cached.snapshot;
    }
    const entry: Entry = { clusterId, snapshot: load(), refreshing: false };
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

  private refresh(key: string, entry: Entry, load: () => Promise<JobSnapshot>): void {
    if (entry.refreshing) return;
    entry.refreshing = true;
    load().then(
      (snapshot) => {
        entry.refreshing = false;
        // An invalidation meanwhile wins: its entry is gone, and this read may predate the write.
        if (this.entries.get(key) !== entry) return;
        entry.snapshot = Promise.resolve(snapshot);
        entry.readyAt = this.now();
      },
      () => {
        // Keep serving the older copy until it is too old; the next request tries again.
        entry.refreshing = false;
      },
    );
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.readyAt !== undefined && now - entry.readyAt >= Math.max(this.staleMs, this.ttlMs)) {
        this.entries.delete(key);
      }
    }
  }
}

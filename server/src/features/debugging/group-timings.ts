import type { TaskGroup, TaskGroupTiming } from '@ray-console/shared';
import type { StatePage } from '../../ray/ray-dashboard-client.js';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { tokenScopedKey } from '../../lib/token-scoped-key.js';

/** Attempts of one group read to time it: exact up to this many, a lower bound beyond. */
export const TIMING_ATTEMPTS = 200;
/** Groups timed per summary, the largest first: a job with hundreds of functions costs no more. */
export const TIMED_GROUPS = 12;

/** Whether every task of the group has ended (finished or failed): its times no longer change. */
export const groupEnded = (g: Pick<TaskGroup, 'counts'>): boolean =>
  g.counts.total > 0 && g.counts.finished + g.counts.failed === g.counts.total;

/**
 * The earliest start and (once the group has ended) the latest end among the attempts read. Ray leaves
 * `start_time_ms` unset for an attempt that never ran and `end_time_ms` for one still running.
 */
export function timingOf(page: StatePage<RayTask>, ended: boolean): TaskGroupTiming {
  const starts = page.items.map((t) => t.start_time_ms).filter((v): v is number => typeof v === 'number' && v > 0);
  const ends = page.items.map((t) => t.end_time_ms).filter((v): v is number => typeof v === 'number' && v > 0);
  return {
    ...(starts.length ? { firstStartMs: Math.min(...starts) } : {}),
    ...(ended && ends.length ? { lastEndMs: Math.max(...ends) } : {}),
    exact: !page.truncated,
    attemptsRead: page.items.length,
  };
}

interface Entry {
  at: number;
  /** The group's task count and whether it had ended when last read: an ended group's times are final. */
  total: number;
  ended: boolean;
  timing?: TaskGroupTiming;
  /** The read in flight, if any. */
  reading?: Promise<void>;
}

/** What {@link GroupTimings.timeAll} hands back: the groups with the timings known so far. */
export interface TimedGroups {
  groups: TaskGroup[];
  /** Whether a read for one of these groups is still in flight (ask again for its figures). */
  pending: boolean;
}

/**
 * Times task groups for the progress table, bounded and cached. One read per group: Ray's task list
 * filtered by job and name (both applied in the GCS) with `detail` for the times and a limit. Ray's
 * dashboard still decodes every task of the group for it (as long as the summary itself on a
 * 10,000-task group), so a summary never waits for one: it answers with the timings known, starts the
 * reads that are missing, and says `pending`; the page asks again. A group is read again only when what
 * it shows can have changed: once when it ends (for its last end), while it has no start yet (every
 * `ttlMs`), and when an ended group gains tasks. A started group's first start is fixed, and Ray lists a
 * group's attempts by task id, so a re-read of a running group would read the same sample.
 * Keyed by a hash of the token like RetryRows, so one user's read never answers another's.
 */
export class GroupTimings {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 15_000,
    private readonly maxEntries = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The largest TIMED_GROUPS groups with their timings as known now (the others are left without). */
  timeAll(c: SignedInCluster, rayJobId: string, groups: readonly TaskGroup[]): TimedGroups {
    let pending = false;
    const timed = groups.map((g, i) => {
      if (i >= TIMED_GROUPS) return g;
      const entry = this.entry(c, tokenScopedKey(c.cluster.id, c.credential.token, rayJobId, g.name), rayJobId, g);
      if (entry.reading) pending = true;
      return entry.timing ? { ...g, timing: entry.timing } : g;
    });
    return { groups: timed, pending };
  }

  /** Resolves once every read in flight has ended (for tests and an orderly shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      const reads = [...this.entries.values()].flatMap((e) => (e.reading ? [e.reading] : []));
      if (reads.length === 0) return;
      await Promise.all(reads);
    }
  }

  private entry(c: SignedInCluster, key: string, rayJobId: string, group: TaskGroup): Entry {
    const t = this.now();
    const ended = groupEnded(group);
    const hit = this.entries.get(key);
    if (hit && (hit.reading || !stale(hit, group, ended, t - hit.at >= this.ttlMs))) return hit;
    const entry: Entry = { at: t, total: group.counts.total, ended, ...(hit?.timing ? { timing: hit.timing } : {}) };
    entry.reading = readTiming(c, rayJobId, group.name, ended).then(
      (timing) => {
        if (timing) entry.timing = timing;
        delete entry.reading;
      },
      // A read that failed (or found nothing) is tried again after the TTL.
      () => {
        delete entry.reading;
      },
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
    return entry;
  }
}

/** Whether what a group shows can have changed since its last read. */
function stale(hit: Entry, group: TaskGroup, ended: boolean, expired: boolean): boolean {
  if (!hit.timing) return expired;
  if (hit.ended) return !ended || hit.total !== group.counts.total;
  if (ended) return true;
  return hit.timing.firstStartMs === undefined && expired;
}

/**
 * Ray 2.60 names a group by the task's `name`, 2.52 by its `func_or_class_name` (they differ only for
 * tasks given `.options(name=…)`): `name` first, filtered in the GCS; `func_or_class_name` when that finds
 * nothing.
 */
async function readTiming(
  c: SignedInCluster,
  rayJobId: string,
  name: string,
  ended: boolean,
): Promise<TaskGroupTiming | undefined> {
  for (const key of ['name', 'func_or_class_name'] as const) {
    const page = await c.ray.listTasks(c.credential.token, {
      filters: [
        ['job_id', '=', rayJobId],
        [key, '=', name],
      ],
      detail: true,
      limit: TIMING_ATTEMPTS,
    });
    // Ray's own filter compares strings without case; a group is its exact name.
    const items = page.items.filter((t) => (key === 'name' ? t.name : t.func_or_class_name) === name);
    if (items.length > 0) return timingOf({ ...page, items }, ended);
  }
  return undefined;
}

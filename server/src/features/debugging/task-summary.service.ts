import type { JobTaskSummary, TaskGroup } from '@ray-console/shared';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import type { GroupTimings } from './group-timings.js';
import { findJob } from './job-ref.js';
import type { RetryRows } from './retry-rows.js';
import { addCount, bucketOf, emptyCounts } from './task-states.js';

interface RaySummaryGroup {
  type: string;
  state_counts: Record<string, number>;
}

/**
 * Folds Ray's per-attempt summary into per-task counts. Ray counts every attempt: a task that failed
 * twice and then succeeded shows as 2 FAILED + 1 FINISHED. The attempts beyond the first are read
 * (`attempt_number != 0`, bounded) and every attempt but each task's latest is taken back out of its
 * group's counts: the earlier attempts 1..k-1 by the state Ray reports for them, attempt 0 as FAILED
 * (Ray starts another attempt only after one failed, and records that attempt as FAILED).
 */
export function foldRetries(summary: Record<string, RaySummaryGroup>, retryRows: readonly RayTask[]): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const [name, g] of Object.entries(summary)) {
    const counts = emptyCounts();
    for (const [state, n] of Object.entries(g.state_counts)) addCount(counts, state, n);
    groups.set(name, {
      name,
      type: g.type,
      counts,
      attemptStateCounts: { ...g.state_counts },
      retriedTasks: 0,
      extraAttempts: 0,
    });
  }
  const byTask = new Map<string, RayTask[]>();
  for (const row of retryRows) {
    const rows = byTask.get(row.task_id) ?? [];
    rows.push(row);
    byTask.set(row.task_id, rows);
  }
  for (const rows of byTask.values()) {
    const first = rows[0]!;
    // Ray 2.60 groups by the task's `name` (which `.options(name=…)` sets), 2.52 by `func_or_class_name`.
    const group =
      groups.get(first.name) ?? (first.func_or_class_name ? groups.get(first.func_or_class_name) : undefined);
    if (!group) continue;
    const latest = Math.max(...rows.map((r) => r.attempt_number));
    const earlier = rows.filter((r) => r.attempt_number !== latest).map((r) => r.state);
    earlier.push('FAILED'); // attempt 0
    for (const state of earlier) {
      const bucket = bucketOf(state);
      if (group.counts[bucket] > 0) {
        group.counts[bucket] -= 1;
        group.counts.total -= 1;
      }
    }
    group.retriedTasks += 1;
    group.extraAttempts += latest;
  }
  return [...groups.values()].sort((a, b) => b.counts.total - a.counts.total || a.name.localeCompare(b.name));
}

/**
 * The job's tasks by function or class name, each counted once (see foldRetries), the largest groups
 * timed (see GroupTimings).
 */
export async function getJobTaskSummary(
  c: SignedInCluster,
  id: string,
  retryRows: RetryRows,
  timings: GroupTimings,
  now = Date.now,
): Promise<JobTaskSummary> {
  const job = await findJob(c, id);
  const base = {
    id,
    ...(job.rayJobId ? { rayJobId: job.rayJobId } : {}),
    status: job.status,
    terminal: job.terminal,
  };
  if (!job.rayJobId) {
    return {
      ...base,
      groups: [],
      totals: emptyCounts(),
      truncated: false,
      retriesTruncated: false,
      timingPending: false,
      fetchedAt: now(),
    };
  }
  const summary = await c.ray.summarizeTasks(c.credential.token, job.rayJobId);
  const byName = summary.result.node_id_to_summary.cluster.summary;
  // Ray starts another attempt only after one failed: a job with no FAILED attempt has no retries, and
  // the (costly) read of its later attempts is skipped.
  const anyFailed = Object.values(byName).some((g) => (g.state_counts.FAILED ?? 0) > 0);
  const retries = anyFailed ? await retryRows.get(c, job.rayJobId) : { items: [], total: 0, truncated: false };
  const timed = timings.timeAll(c, job.rayJobId, foldRetries(byName, retries.items));
  const groups = timed.groups;
  const totals = emptyCounts();
  for (const g of groups) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += g.counts[key];
  }
  const kept = summary.num_after_truncation ?? summary.total;
  return {
    ...base,
    groups,
    totals,
    truncated: kept < summary.total,
    retriesTruncated: retries.truncated,
    timingPending: timed.pending,
    fetchedAt: now(),
  };
}

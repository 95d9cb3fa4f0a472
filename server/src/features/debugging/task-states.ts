import type { TaskStateCounts } from '@ray-console/shared';

export type StateBucket = Exclude<keyof TaskStateCounts, 'total'>;

/**
 * Ray's task states (protobuf TaskStatus) folded into what a user asks about. Ray adds states now and
 * then; an unknown one counts as `other` rather than being dropped.
 */
const BUCKETS: Record<string, StateBucket> = {
  PENDING_NODE_ASSIGNMENT: 'pendingResources',
  PENDING_OBJ_STORE_MEM_AVAIL: 'pendingResources',
  PENDING_ARGS_AVAIL: 'pendingArgs',
  PENDING_ARGS_FETCH: 'pendingArgs',
  GETTING_AND_PINNING_ARGS: 'pendingArgs',
  PENDING_ACTOR_TASK_ARGS_FETCH: 'pendingArgs',
  PENDING_ACTOR_TASK_ORDERING_OR_CONCURRENCY: 'pendingArgs',
  SUBMITTED_TO_WORKER: 'running',
  RUNNING: 'running',
  RUNNING_IN_RAY_GET: 'running',
  RUNNING_IN_RAY_WAIT: 'running',
  FINISHED: 'finished',
  FAILED: 'failed',
};

export const bucketOf = (state: string): StateBucket => BUCKETS[state] ?? 'other';

export const emptyCounts = (): TaskStateCounts => ({
  pendingResources: 0,
  pendingArgs: 0,
  running: 0,
  finished: 0,
  failed: 0,
  other: 0,
  total: 0,
});

export function addCount(counts: TaskStateCounts, state: string, n: number): void {
  counts[bucketOf(state)] += n;
  counts.total += n;
}

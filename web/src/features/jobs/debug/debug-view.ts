import type { FirstFailure, TaskGroup, TaskStateCounts } from '@ray-console/shared';
import type { StateBarSegment } from '../../../components/state-bar';
import type { T } from '../../../i18n/catalogs';
import { formatDuration } from '../../../i18n/format';

/** The states a task can be in, in the order a reader scans a progress bar: done, broken, busy, waiting. */
export const TASK_STATES = [
  { key: 'finished', label: 'Finished', tone: 'tone-ok' },
  { key: 'failed', label: 'Failed', tone: 'tone-bad' },
  { key: 'running', label: 'Running', tone: 'tone-run' },
  { key: 'pendingArgs', label: 'Waiting for arguments', tone: 'tone-wait' },
  { key: 'pendingResources', label: 'Waiting for resources', tone: 'tone-stuck' },
  { key: 'other', label: 'Other', tone: 'tone-other' },
] as const satisfies readonly { key: keyof TaskStateCounts; label: string; tone: string }[];

export function progressSegments(counts: TaskStateCounts): StateBarSegment[] {
  return TASK_STATES.map((s) => ({ key: s.key, label: s.label, tone: s.tone, count: counts[s.key] }));
}

/** Share of tasks that have ended (finished or failed), 0..1; a job with no tasks yet has none. */
export function doneShare(counts: TaskStateCounts): number {
  return counts.total === 0 ? 0 : (counts.finished + counts.failed) / counts.total;
}

/**
 * Retries said once per task, not once per attempt (Ray's own page counts a task that failed twice and
 * then succeeded as three tasks, and shows whichever attempt it fetched last).
 */
export function retriesText(group: Pick<TaskGroup, 'retriedTasks' | 'extraAttempts'>, lowerBound = false): string {
  if (group.retriedTasks === 0) return 'No retries';
  const more = lowerBound ? 'at least ' : '';
  const tasks = group.retriedTasks === 1 ? '1 task' : `${group.retriedTasks.toLocaleString('en-US')} tasks`;
  const attempts =
    group.extraAttempts === 1 ? '1 extra attempt' : `${group.extraAttempts.toLocaleString('en-US')} extra attempts`;
  return `${more}${tasks} retried (${attempts})`;
}

/**
 * How long a task group has run, in words: "took 12s" from its first task's start to its last task's end
 * once all have ended, "running for 3m 20s" since its first task started while some still run. "At least"
 * when the console read only part of the group's attempts (the figure is then a lower bound).
 */
export function groupTimeText(
  group: Pick<TaskGroup, 'timing' | 'counts'>,
  jobEnded: boolean,
  now: number,
  t: T<'taskTiming'>,
): string {
  const timing = group.timing;
  if (!timing) return '—';
  // Ray 2.60 records no start for some actor tasks that did run (only their end).
  if (timing.firstStartMs === undefined && timing.lastEndMs !== undefined) return t('noStart');
  if (timing.firstStartMs === undefined) return jobEnded ? t('neverStarted') : t('notStarted');
  if (timing.lastEndMs !== undefined) {
    const duration = formatDuration(Math.max(0, timing.lastEndMs - timing.firstStartMs));
    return timing.exact ? t('took', { duration }) : t('tookAtLeast', { duration });
  }
  // The job ended with some of the group's tasks unfinished: there is no end to measure to.
  if (jobEnded) return t('didNotFinish');
  const duration = formatDuration(Math.max(0, now - timing.firstStartMs));
  return timing.exact ? t('runningFor', { duration }) : t('runningForAtLeast', { duration });
}

/** A task group's kind, for a reader who does not know Ray's TaskType enum. */
export function taskTypeText(type: string): string {
  switch (type) {
    case 'NORMAL_TASK':
      return 'Task';
    case 'ACTOR_CREATION_TASK':
      return 'Actor creation';
    case 'ACTOR_TASK':
      return 'Actor method';
    case 'DRIVER_TASK':
      return 'Driver';
    default:
      return type;
  }
}

/** What kind of failure it was, and what usually fixes it, in plain words. */
export function failureExplanation(kind: FirstFailure['kind']): { what: string; next: string } {
  switch (kind) {
    case 'task_exception':
      return {
        what: 'A task raised an exception.',
        next: 'Read the traceback below and the worker’s log at the exception; fix the code or the input it got.',
      };
    case 'oom':
      return {
        what: 'Ray killed a worker because its node ran out of memory.',
        next: 'Ask for more memory per task (memory=…), run fewer tasks at once, or add a node with more memory.',
      };
    case 'worker_died':
      return {
        what: 'A worker process died while running a task (a crash, a signal, or it was killed).',
        next: 'Open the worker’s log for its last lines, and the node’s raylet log for why it exited.',
      };
    case 'node_died':
      return {
        what: 'A node of the cluster died while it ran part of this job.',
        next: 'See the node’s death reason on the cluster overview; the work on it must run again.',
      };
    case 'runtime_env':
      return {
        what: 'Ray could not build the job’s runtime environment (packages, working_dir or env vars).',
        next: 'Check the runtime_env of the job: the message below names the step that failed.',
      };
    case 'actor_died':
      return {
        what: 'An actor the job used died.',
        next: 'The actor list below says why; an exception in __init__ shows its traceback there.',
      };
    case 'driver_exit':
      return {
        what: 'The job’s driver (its entrypoint) exited with an error.',
        next: 'Read the end of the job’s log below for the error it printed.',
      };
    case 'job_error':
      return {
        what: 'Ray marked the job as failed.',
        next: 'Ray’s message below says why; the job’s log may say more.',
      };
  }
}

/** A resource request as a person reads it: `1 × GPU, 4 × CPU, 2 GiB memory`. */
export function demandText(resources: Record<string, number>, formatBytes: (n: number) => string): string {
  const bytes = new Set(['memory', 'object_store_memory']);
  return Object.entries(resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, amount]) => (bytes.has(name) ? `${formatBytes(amount)} ${name}` : `${amount} × ${name}`))
    .join(', ');
}

/**
 * The line of a traceback that names the exception (`ValueError: bad input`), Python's last line, so a log
 * opens at the exception itself and not at the `raise` in the source shown above it. Undefined when the
 * text does not end that way (then the exception's type alone is searched).
 */
export function exceptionLine(traceback: string | undefined, exceptionType: string | undefined): string | undefined {
  if (!traceback || !exceptionType) return undefined;
  const last = traceback
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(-1);
  if (!last) return undefined;
  // Python may qualify the type with its module (`mylib.errors.ParseError: ...`).
  const named = last.startsWith(`${exceptionType}:`) || last.includes(`.${exceptionType}:`) || last === exceptionType;
  // A log line is searched as it is; a very long message is cut to what identifies it.
  return named ? last.slice(0, 200) : undefined;
}

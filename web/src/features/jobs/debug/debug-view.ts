import type { FirstFailure, TaskGroup, TaskStateCounts } from '@ray-console/shared';
import type { StateBarSegment } from '../../../components/state-bar';
import type { T } from '../../../i18n/catalogs';
import { formatDuration } from '../../../i18n/format';
import { isByteResource } from '../../resources/format';

/** The states a task can be in, in the order a reader scans a progress bar: done, broken, busy, waiting. */
export const TASK_STATES = [
  { key: 'finished', tone: 'tone-ok' },
  { key: 'failed', tone: 'tone-bad' },
  { key: 'running', tone: 'tone-run' },
  { key: 'pendingArgs', tone: 'tone-wait' },
  { key: 'pendingResources', tone: 'tone-stuck' },
  { key: 'other', tone: 'tone-other' },
] as const satisfies readonly { key: keyof Omit<TaskStateCounts, 'total'>; tone: string }[];

export function progressSegments(counts: TaskStateCounts, t: T<'debug'>): StateBarSegment[] {
  return TASK_STATES.map((s) => ({ key: s.key, label: t(`states.${s.key}`), tone: s.tone, count: counts[s.key] }));
}

/** Share of tasks that have ended (finished or failed), 0..1; a job with no tasks yet has none. */
export function doneShare(counts: TaskStateCounts): number {
  return counts.total === 0 ? 0 : (counts.finished + counts.failed) / counts.total;
}

/**
 * Retries said once per task, not once per attempt (Ray's own page counts a task that failed twice and
 * then succeeded as three tasks, and shows whichever attempt it fetched last).
 */
export function retriesText(
  group: Pick<TaskGroup, 'retriedTasks' | 'extraAttempts'>,
  t: T<'debug'>,
  lowerBound = false,
): string {
  if (group.retriedTasks === 0) return t('retries.none');
  return t(lowerBound ? 'retries.atLeast' : 'retries.text', {
    tasks: group.retriedTasks,
    attempts: group.extraAttempts,
  });
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
export function taskTypeText(type: string, t: T<'debug'>): string {
  switch (type) {
    case 'NORMAL_TASK':
    case 'ACTOR_CREATION_TASK':
    case 'ACTOR_TASK':
    case 'DRIVER_TASK':
      return t(`taskTypes.${type}`);
    default:
      return type;
  }
}

/** What kind of failure it was, and what usually fixes it, in plain words. */
export function failureExplanation(kind: FirstFailure['kind'], t: T<'debug'>): { what: string; next: string } {
  return { what: t(`failureKinds.${kind}.what`), next: t(`failureKinds.${kind}.next`) };
}

/** A resource request as a person reads it: `1 × GPU, 4 × CPU, 2 GiB memory`. */
export function demandText(
  resources: Record<string, number>,
  formatBytes: (n: number) => string,
  t: T<'debug'>,
): string {
  return Object.entries(resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, amount]) =>
      isByteResource(name)
        ? t('demand.bytes', { amount: formatBytes(amount), name })
        : t('demand.count', { amount: String(amount), name }),
    )
    .join(t('demand.separator'));
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

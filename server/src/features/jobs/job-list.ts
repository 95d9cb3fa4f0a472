import {
  JobStatus,
  samePerson,
  submittedByOf,
  type JobDetails,
  type JobList,
  type JobSort,
  type JobSummary,
  type JobType,
} from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';

/** Ray's nulls become absent fields, and a DRIVER job's `end_time: 0` (still running) becomes no end time. */
export function toJobSummary(job: RayJobDetails, now: number): JobSummary {
  const id = job.submission_id ?? job.job_id ?? '';
  const startTime = job.start_time ? job.start_time : undefined;
  const endTime = job.end_time ? job.end_time : undefined;
  const submittedBy = submittedByOf(job.metadata ?? undefined);
  const durationMs =
    startTime === undefined
      ? undefined
      : endTime !== undefined
        ? Math.max(0, endTime - startTime)
        : isLive(job.status)
          ? Math.max(0, now - startTime)
          : undefined;
  return {
    id,
    type: job.type,
    ...(job.submission_id ? { submissionId: job.submission_id } : {}),
    ...(job.job_id ? { jobId: job.job_id } : {}),
    status: job.status,
    entrypoint: job.entrypoint,
    ...(job.message ? { message: job.message } : {}),
    ...(job.error_type ? { errorType: job.error_type } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(job.driver_exit_code !== null && job.driver_exit_code !== undefined
      ? { driverExitCode: job.driver_exit_code }
      : {}),
    ...(job.metadata && Object.keys(job.metadata).length > 0 ? { metadata: job.metadata } : {}),
    ...(submittedBy ? { submittedBy } : {}),
  };
}

const isLive = (status: JobStatus) => status === 'PENDING' || status === 'RUNNING';

/** Every field of Ray's JobDetails, camelCased. */
export function toJobDetails(job: RayJobDetails, now: number): JobDetails {
  const present = <K extends string, V>(key: K, value: V | null | undefined) =>
    (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    ...toJobSummary(job, now),
    ...(job.driver_info
      ? {
          driverInfo: {
            id: job.driver_info.id,
            nodeIpAddress: job.driver_info.node_ip_address,
            pid: job.driver_info.pid,
          },
        }
      : {}),
    ...present('runtimeEnv', job.runtime_env),
    ...present('driverAgentHttpAddress', job.driver_agent_http_address),
    ...present('driverNodeId', job.driver_node_id),
    ...present('entrypointNumCpus', job.entrypoint_num_cpus),
    ...present('entrypointNumGpus', job.entrypoint_num_gpus),
    ...present('entrypointMemory', job.entrypoint_memory),
    ...present('entrypointResources', job.entrypoint_resources),
    ...present('entrypointLabelSelector', job.entrypoint_label_selector),
  };
}

interface Entry {
  job: JobSummary;
  /** Lower-cased ids, entrypoint and metadata, searched by `q`. */
  haystack: string;
}

/**
 * One read of a cluster's job list, ready to be queried many times: the search text is built once, and
 * each sort order is computed once, on first use.
 */
export class JobSnapshot {
  private readonly entries: readonly Entry[];
  private readonly sorted = new Map<JobSort, readonly Entry[]>();

  constructor(
    jobs: readonly JobSummary[],
    readonly fetchedAt: number,
  ) {
    this.entries = jobs.map((job) => ({
      job,
      haystack: [
        job.id,
        job.submissionId ?? '',
        job.jobId ?? '',
        job.entrypoint,
        ...Object.entries(job.metadata ?? {}).flat(),
      ]
        .join('\u0000')
        .toLowerCase(),
    }));
  }

  static fromRay(jobs: readonly RayJobDetails[], now: number): JobSnapshot {
    return new JobSnapshot(
      jobs.map((j) => toJobSummary(j, now)),
      now,
    );
  }

  get size(): number {
    return this.entries.length;
  }

  inOrder(sort: JobSort): readonly Entry[] {
    let list = this.sorted.get(sort);
    if (!list) {
      const cmp = comparator(sort);
      list = [...this.entries].sort((a, b) => cmp(a.job, b.job));
      this.sorted.set(sort, list);
    }
    return list;
  }
}

export interface JobListParams {
  status?: readonly JobStatus[] | undefined;
  type?: readonly JobType[] | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  sort: JobSort;
  /** Only the jobs whose console-written metadata name this person ("my jobs"). */
  owner?: { issuer: string; subject: string } | undefined;
}

/**
 * Filters, searches, sorts and pages a snapshot. The cursor is a position in the sort order (the last
 * item's sort value and id), not an offset, so jobs that appear or go between two pages do not make the
 * next page skip or repeat a job.
 */
export function queryJobs(snapshot: JobSnapshot, params: JobListParams): JobList {
  const ordered = snapshot.inOrder(params.sort);
  const cmp = comparator(params.sort);
  const after = params.cursor === undefined ? undefined : decodeCursor(params.cursor, params.sort);
  const start = after === undefined ? 0 : firstAfter(ordered, (job) => cmp(job, after) > 0);
  const statuses = params.status && params.status.length > 0 ? new Set(params.status) : undefined;
  const types = params.type && params.type.length > 0 ? new Set(params.type) : undefined;
  const needle = params.q?.trim().toLowerCase() || undefined;
  const { owner } = params;

  const statusCounts = Object.fromEntries(JobStatus.options.map((s) => [s, 0])) as Record<JobStatus, number>;
  const items: JobSummary[] = [];
  let total = 0;
  let more = false;
  ordered.forEach(({ job, haystack }, index) => {
    if (types && !types.has(job.type)) return;
    if (owner && !samePerson(job.submittedBy, owner)) return;
    if (needle && !haystack.includes(needle)) return;
    statusCounts[job.status] += 1;
    if (statuses && !statuses.has(job.status)) return;
    total += 1;
    if (index < start) return;
    if (items.length < params.limit) items.push(job);
    else more = true;
  });
  const last = items.at(-1);
  return {
    items,
    total,
    ...(more && last ? { nextCursor: encodeCursor(params.sort, last) } : {}),
    statusCounts,
    fetchedAt: snapshot.fetchedAt,
  };
}

type SortValue = number | string | undefined;

const STATUS_RANK: Record<JobStatus, number> = { PENDING: 0, RUNNING: 1, STOPPED: 2, SUCCEEDED: 3, FAILED: 4 };

function sortValue(
  job: Pick<JobSummary, 'startTime' | 'endTime' | 'durationMs' | 'status' | 'id' | 'entrypoint'>,
  key: string,
): SortValue {
  switch (key) {
    case 'startTime':
      return job.startTime;
    case 'endTime':
      return job.endTime;
    case 'durationMs':
      return job.durationMs;
    case 'status':
      return STATUS_RANK[job.status];
    case 'entrypoint':
      return job.entrypoint;
    default:
      return job.id;
  }
}

interface CursorPoint {
  value: SortValue;
  id: string;
  type: JobType;
}

type Sortable = Pick<JobSummary, 'startTime' | 'endTime' | 'durationMs' | 'status' | 'id' | 'entrypoint' | 'type'>;

/** A total order: the sort key (missing values last, whichever the direction), then id, then type. */
export function comparator(sort: JobSort): (a: Sortable | CursorPoint, b: Sortable | CursorPoint) => number {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const valueOf = (x: Sortable | CursorPoint): SortValue => ('value' in x ? x.value : sortValue(x, key));
  return (a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va !== vb) {
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const order = va < vb ? -1 : 1;
      return descending ? -order : order;
    }
    if (a.id !== b.id) return a.id < b.id ? -1 : 1;
    return a.type === b.type ? 0 : a.type < b.type ? -1 : 1;
  };
}

function firstAfter<T extends { job: JobSummary }>(list: readonly T[], isAfter: (job: JobSummary) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAfter(list[mid]!.job)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function encodeCursor(sort: JobSort, job: Sortable): string {
  const key = sort.replace(/^-/, '');
  return Buffer.from(JSON.stringify([sort, sortValue(job, key) ?? null, job.id, job.type])).toString('base64url');
}

function decodeCursor(cursor: string, sort: JobSort): CursorPoint {
  const invalid = (why: string) => new AppError('validation', `The cursor is not valid: ${why}`, { cursor: why });
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('use the nextCursor of the previous page.');
  }
  if (
    !Array.isArray(raw) ||
    raw.length !== 4 ||
    typeof raw[0] !== 'string' ||
    !(raw[1] === null || typeof raw[1] === 'number' || typeof raw[1] === 'string') ||
    typeof raw[2] !== 'string' ||
    (raw[3] !== 'SUBMISSION' && raw[3] !== 'DRIVER')
  ) {
    throw invalid('use the nextCursor of the previous page.');
  }
  if (raw[0] !== sort) throw invalid('it belongs to another sort order; start again from the first page.');
  return { value: (raw[1] as number | string | null) ?? undefined, id: raw[2], type: raw[3] };
}

import type { ActorSummary, FailedTask, FirstFailure, JobFailures } from '@ray-console/shared';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { cut, lastExceptionType, toActorSummary } from './actor-view.js';
import { findJob, type JobRef } from './job-ref.js';
import { nodeIps } from './node-ips.js';
import type { RetryRows } from './retry-rows.js';

const basename = (path: string) => path.split('/').at(-1) ?? path;

export function toFailedTask(t: RayTask, retried: boolean, ipOf: (id: string) => string | undefined): FailedTask {
  const exceptionType = lastExceptionType(t.error_message ?? undefined);
  const nodeIp = (t.node_id ? ipOf(t.node_id) : undefined) ?? t.profiling_data?.node_ip_address ?? undefined;
  const highlight = exceptionType ? { highlight: exceptionType } : {};
  const errFile = t.task_log_info?.stderr_file;
  return {
    taskId: t.task_id,
    attemptNumber: t.attempt_number,
    name: t.name,
    ...(t.func_or_class_name ? { funcOrClassName: t.func_or_class_name } : {}),
    type: t.type,
    ...(t.error_type ? { errorType: t.error_type } : {}),
    ...(exceptionType ? { exceptionType } : {}),
    ...(t.error_message ? { errorMessage: cut(t.error_message) } : {}),
    retried,
    ...(t.node_id ? { nodeId: t.node_id } : {}),
    ...(nodeIp ? { nodeIp } : {}),
    ...(t.worker_id ? { workerId: t.worker_id } : {}),
    ...(typeof t.worker_pid === 'number' ? { workerPid: t.worker_pid } : {}),
    ...(t.actor_id ? { actorId: t.actor_id } : {}),
    ...(t.start_time_ms ? { startTimeMs: t.start_time_ms } : {}),
    ...(t.end_time_ms ? { endTimeMs: t.end_time_ms } : {}),
    // A task that never reached a worker has no log. Its `err` part: where a traceback it printed went
    // (Ray itself writes a task's exception to no worker log; see docs/ray-debugging-behaviour.md).
    ...(t.worker_id
      ? { taskLog: { taskId: t.task_id, attemptNumber: t.attempt_number, suffix: 'err' as const, ...highlight } }
      : {}),
    ...(t.node_id && errFile ? { workerLog: { nodeId: t.node_id, filename: basename(errFile), ...highlight } } : {}),
  };
}

/**
 * The figures in Ray's OOM message, for the first failure's title. Ray 2.52 writes "Memory on the node
 * (IP: …) where the task (…, memory used=3.05GB) was running was 22.15GB / 23.54GB (0.94), which exceeds
 * the memory usage threshold of 0.93"; 2.60 "Memory on the node (IP: …) was 22.15GB used / 23.54GB
 * limit (0.94)" and "(…, pid=…, actual memory used=3.05GB, worker ID=…)".
 */
export function oomFigures(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const node = /Memory on the node[^)]*\)[^]*?was ([\d.]+) ?GB(?: used)? \/ ([\d.]+) ?GB/.exec(message);
  const task = /memory used=([\d.]+) ?GB/.exec(message);
  const parts = [
    ...(node ? [`the node used ${node[1]} of ${node[2]} GB`] : []),
    ...(task ? [`this task’s worker ${task[1]} GB`] : []),
  ];
  return parts.length ? parts.join(', ') : undefined;
}

const TASK_KINDS: Record<string, FirstFailure['kind']> = {
  OUT_OF_MEMORY: 'oom',
  WORKER_DIED: 'worker_died',
  NODE_DIED: 'node_died',
  RUNTIME_ENV_SETUP_FAILED: 'runtime_env',
  ACTOR_DIED: 'actor_died',
};

/** Actor deaths a user did not ask for (a `ray.kill` or a handle going out of scope is not a failure). */
const FAILED_ACTOR_KINDS = new Set(['creation_failed', 'oom', 'runtime_env', 'node_died', 'worker_died', 'other']);

/**
 * What the job page leads with, in plain words: a runtime_env the job could not build, else the earliest
 * failed task attempt, else an actor that died by itself, else the driver's exit code or Ray's message.
 */
export function firstFailure(
  job: JobRef,
  tasks: readonly FailedTask[],
  actors: readonly ActorSummary[],
): FirstFailure | undefined {
  const j = job.job;
  if (j.error_type === 'RUNTIME_ENV_SETUP_FAILURE') {
    return {
      kind: 'runtime_env',
      title: 'The job’s runtime_env could not be set up, so its driver never started.',
      detail: cut(j.message ?? 'Ray gave no message.'),
    };
  }
  const task = [...tasks].sort((a, b) => (a.endTimeMs ?? Infinity) - (b.endTimeMs ?? Infinity))[0];
  if (task) {
    const kind = (task.errorType ? TASK_KINDS[task.errorType] : undefined) ?? 'task_exception';
    const where = task.nodeIp ? ` on node ${task.nodeIp}` : '';
    const pid = task.workerPid ? ` (worker pid ${task.workerPid})` : '';
    const what =
      kind === 'oom'
        ? `was killed because its node ran out of memory`
        : kind === 'worker_died'
          ? 'lost its worker process (it crashed or was killed)'
          : kind === 'node_died'
            ? 'lost the node it ran on'
            : kind === 'runtime_env'
              ? 'could not start: its runtime_env could not be set up'
              : kind === 'actor_died'
                ? 'failed because its actor died'
                : `raised ${task.exceptionType ?? 'an exception'}`;
    const figures = kind === 'oom' ? oomFigures(task.errorMessage) : undefined;
    return {
      kind,
      title: `Task ${task.name} ${what}${where}${pid}${figures ? ` (${figures})` : ''}.`,
      detail: task.errorMessage ?? task.errorType ?? 'Ray gave no message.',
      taskId: task.taskId,
      ...(task.taskLog ? { log: task.taskLog } : {}),
    };
  }
  const actor = actors.find((a) => a.death && FAILED_ACTOR_KINDS.has(a.death.kind));
  if (actor?.death) {
    const why =
      actor.death.kind === 'creation_failed'
        ? `raised ${lastExceptionType(actor.death.message) ?? 'an exception'} in __init__`
        : actor.death.kind === 'oom'
          ? 'was killed because its node ran out of memory'
          : actor.death.kind === 'node_died'
            ? 'lost the node it ran on'
            : actor.death.kind === 'runtime_env'
              ? 'could not start: its runtime_env could not be set up'
              : 'died';
    return {
      kind: actor.death.kind === 'oom' ? 'oom' : actor.death.kind === 'runtime_env' ? 'runtime_env' : 'actor_died',
      title: `Actor ${actor.className} ${why}.`,
      detail: actor.death.message,
      actorId: actor.actorId,
      ...(actor.log ? { log: actor.log } : {}),
    };
  }
  if (j.status !== 'FAILED') return undefined;
  if (typeof j.driver_exit_code === 'number') {
    return {
      kind: 'driver_exit',
      title: `The job’s driver exited with code ${j.driver_exit_code}.`,
      detail: cut(j.message ?? 'Ray gave no message; read the job’s log.'),
    };
  }
  return {
    kind: 'job_error',
    title: j.error_type ? `The job failed (${j.error_type}).` : 'The job failed.',
    detail: cut(j.message ?? 'Ray gave no message.'),
  };
}

/** Failed task attempts and dead actors of the job, each list bounded by `limit`. */
export async function getJobFailures(
  c: SignedInCluster,
  id: string,
  limit: number,
  retryRows: RetryRows,
  now = Date.now,
): Promise<JobFailures> {
  const job = await findJob(c, id);
  const base = { id, ...(job.rayJobId ? { rayJobId: job.rayJobId } : {}), status: job.status, terminal: job.terminal };
  const empty = { items: [], total: 0, truncated: false, limit };
  if (!job.rayJobId) {
    const first = firstFailure(job, [], []);
    return {
      ...base,
      ...(first ? { firstFailure: first } : {}),
      failedTasks: empty,
      deadActors: empty,
      fetchedAt: now(),
    };
  }
  const token = c.credential.token;
  const byJob = ['job_id', '=', job.rayJobId] as const;
  const [tasks, actors, ipOf] = await Promise.all([
    c.ray.listTasks(token, { filters: [byJob, ['state', '=', 'FAILED']], limit, detail: true }),
    c.ray.listActors(token, { filters: [byJob, ['state', '=', 'DEAD']], limit }),
    nodeIps(c),
  ]);
  // Whether a failed attempt was retried needs the later attempts; none failed, none to look for.
  const retries = tasks.items.length ? await retryRows.get(c, job.rayJobId) : { items: [] };
  const latest = new Map<string, number>();
  for (const r of retries.items) latest.set(r.task_id, Math.max(latest.get(r.task_id) ?? 0, r.attempt_number));
  const failedTasks = tasks.items
    .map((t) => toFailedTask(t, (latest.get(t.task_id) ?? 0) > t.attempt_number, ipOf))
    .sort((a, b) => (a.endTimeMs ?? 0) - (b.endTimeMs ?? 0));
  const deadActors = actors.items.map((a) => toActorSummary(a, ipOf));
  const first = firstFailure(job, failedTasks, deadActors);
  return {
    ...base,
    ...(first ? { firstFailure: first } : {}),
    failedTasks: { items: failedTasks, total: tasks.total, truncated: tasks.truncated, limit },
    deadActors: { items: deadActors, total: actors.total, truncated: actors.truncated, limit },
    fetchedAt: now(),
  };
}

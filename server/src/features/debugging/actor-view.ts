import type { ActorDeath, ActorSummary } from '@ray-console/shared';
import type { RayActor } from '../../ray/ray-state-schemas.js';

const MESSAGE_MAX = 64 * 1024;

/** Ray's messages can hold a whole traceback; cut them so one actor cannot make an answer huge. */
export const cut = (text: string, max = MESSAGE_MAX): string =>
  text.length > max ? `${text.slice(0, max)}\n… (cut at ${max} characters)` : text;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** `ActorDiedErrorContext.reason` to a kind. */
const REASONS: Record<string, ActorDeath['kind']> = {
  RAY_KILL: 'killed',
  OUT_OF_SCOPE: 'out_of_scope',
  REF_DELETED: 'out_of_scope',
  NODE_DIED: 'node_died',
  WORKER_DIED: 'worker_died',
  OUT_OF_MEMORY: 'oom',
  USER_ERROR: 'creation_failed',
  INTENDED_USER_EXIT: 'other',
};

/**
 * Ray's `death_cause` is a protobuf oneof rendered as a dict with one key: `creation_task_failure_context`
 * (an exception in `__init__`; `formatted_exception_string` holds the traceback), `actor_died_error_context`
 * (with a `reason` such as `RAY_KILL`), `runtime_env_failed_context`, `oom_context`, `node_death_info`.
 */
export function actorDeath(cause: Record<string, unknown> | null | undefined): ActorDeath | undefined {
  if (!cause) return undefined;
  const [key, raw] = Object.entries(cause)[0] ?? [];
  if (!key) return undefined;
  const ctx = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const message = str(ctx.formatted_exception_string) ?? str(ctx.error_message) ?? str(ctx.reason_message);
  switch (key) {
    case 'creation_task_failure_context':
      return { kind: 'creation_failed', message: cut(message ?? 'The actor’s __init__ raised an exception.') };
    case 'runtime_env_failed_context':
      return { kind: 'runtime_env', message: cut(message ?? 'The actor’s runtime_env could not be set up.') };
    case 'oom_context':
      return {
        kind: 'oom',
        message: cut(message ?? 'The actor’s worker was killed because its node ran out of memory.'),
      };
    case 'node_death_info':
      return { kind: 'node_died', message: cut(message ?? 'The node the actor ran on died.') };
    case 'actor_died_error_context': {
      const reason = str(ctx.reason);
      const kind = (reason ? REASONS[reason] : undefined) ?? 'other';
      return { kind, message: cut(message ?? 'The actor died.'), ...(reason ? { reason } : {}) };
    }
    default:
      return { kind: 'other', message: cut(message ?? `The actor died (${key}).`) };
  }
}

export function toActorSummary(a: RayActor, ipOf: (nodeId: string) => string | undefined): ActorSummary {
  const death = a.state === 'DEAD' ? actorDeath(a.death_cause) : undefined;
  const nodeIp = a.node_id ? ipOf(a.node_id) : undefined;
  const restarts = Number(a.num_restarts ?? 0);
  const highlight = death?.kind === 'creation_failed' ? lastExceptionType(death.message) : undefined;
  return {
    actorId: a.actor_id,
    className: a.class_name,
    ...(a.name ? { name: a.name } : {}),
    ...(a.repr_name ? { reprName: a.repr_name } : {}),
    state: a.state,
    jobId: a.job_id,
    ...(a.node_id ? { nodeId: a.node_id } : {}),
    ...(nodeIp ? { nodeIp } : {}),
    ...(typeof a.pid === 'number' && a.pid > 0 ? { pid: a.pid } : {}),
    numRestarts: Number.isFinite(restarts) ? restarts : 0,
    ...(a.required_resources ? { requiredResources: a.required_resources } : {}),
    ...(a.placement_group_id ? { placementGroupId: a.placement_group_id } : {}),
    ...(death ? { death } : {}),
    // Ray finds an actor's worker log by its id once the actor has had a worker.
    ...(a.pid ? { log: { actorId: a.actor_id, suffix: 'err' as const, ...(highlight ? { highlight } : {}) } } : {}),
  };
}

/**
 * The exception's class from a Python traceback: the last line of the form `Name: message` or `Name`
 * (`ValueError: bad`, `ray.exceptions.ActorDiedError: …`, `KeyError: 'x'`).
 */
export function lastExceptionType(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^([A-Za-z_][\w.]*)(?::\s|:$|$)/.exec(lines[i]!);
    if (m && /(Error|Exception|Exit|Interrupt|Warning|Failure)$/.test(m[1]!)) return m[1]!.split('.').at(-1);
  }
  return undefined;
}

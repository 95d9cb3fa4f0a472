import { LogGroupName, type LogFileQuery, type NodeLogList } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError, type RayLogTarget } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';

/** Files listed per group at most (a long-lived node can hold thousands of worker logs). */
export const FILES_PER_GROUP = 500;

/** Ray's log categories (`/api/v0/logs`) to the groups a user looks for. */
const GROUPS: Record<string, LogGroupName> = {
  worker_out: 'workers',
  worker_err: 'workers',
  core_worker: 'workers',
  driver: 'drivers',
  raylet: 'raylet',
  gcs_server: 'gcs',
  dashboard: 'dashboard',
  internal: 'dashboard',
  autoscaler: 'autoscaler',
  agent: 'runtime_env',
  runtime_env: 'runtime_env',
};

/** The groups in the order the page shows them: the schema's own order. */
const ORDER: readonly LogGroupName[] = LogGroupName.options;

/** Files the console would refuse to open (outside its filename alphabet) are left out of the list. */
const OPENABLE = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._\-/]{1,255}$/;

export function groupLogFiles(categories: Record<string, string[]>): NodeLogList['groups'] {
  const groups = new Map<LogGroupName, Set<string>>();
  for (const [category, files] of Object.entries(categories)) {
    const group = GROUPS[category] ?? 'other';
    const set = groups.get(group) ?? new Set<string>();
    for (const f of files) if (OPENABLE.test(f)) set.add(f);
    groups.set(group, set);
  }
  return ORDER.filter((g) => groups.get(g)?.size).map((group) => {
    const files = [...groups.get(group)!].sort();
    return { group, files: files.slice(0, FILES_PER_GROUP), truncated: files.length > FILES_PER_GROUP };
  });
}

export async function listNodeLogs(
  { ray, credential }: SignedInCluster,
  nodeId: string,
  glob: string | undefined,
  now = Date.now,
): Promise<NodeLogList> {
  // Ray's list answers an unknown node id with a bare 500 ("Server got itself in trouble"), and a dead
  // node's agent is gone with it: both are said plainly before Ray is asked.
  const node = (await ray.nodes(credential.token)).find((n) => n.node_id === nodeId);
  if (!node) throw new AppError('not_found', 'This cluster has no node with that id; it may have left the cluster.');
  if (node.state !== 'ALIVE') {
    throw new AppError(
      'not_found',
      `The node ${node.node_ip} is ${node.state.toLowerCase()}: Ray lists the logs of live nodes only.`,
    );
  }
  const categories = await ray.listLogs(credential.token, nodeId, glob).catch((err: unknown) => {
    throw logError(err, credential.rayVersion);
  });
  return { nodeId, groups: groupLogFiles(categories), fetchedAt: now() };
}

export function logTarget(
  q: Pick<LogFileQuery, 'nodeId' | 'filename' | 'taskId' | 'attemptNumber' | 'actorId' | 'suffix'>,
): RayLogTarget {
  const suffix = q.suffix ?? 'out';
  if (q.filename && q.nodeId) return { kind: 'file', nodeId: q.nodeId, filename: q.filename };
  if (q.taskId) return { kind: 'task', taskId: q.taskId, attemptNumber: q.attemptNumber ?? 0, suffix };
  if (q.actorId) return { kind: 'actor', actorId: q.actorId, suffix };
  throw new AppError('validation', 'Give exactly one of filename (with nodeId), taskId or actorId.');
}

/** Opens a log (its last `lines` lines, and with `follow` what is written next). */
export async function openLog(
  { ray, credential }: SignedInCluster,
  target: RayLogTarget,
  options: { lines: number; follow: boolean },
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  try {
    return await ray.readLog(credential.token, target, options, signal);
  } catch (err) {
    throw logError(err, credential.rayVersion);
  }
}

/**
 * Ray's refusals to read a log, in the console's words. Ray 2.52's State API calls the node's agent over
 * gRPC without the cluster's token, so on a token-protected 2.52 head every log read answers 500
 * `UNAUTHENTICATED`: that is the version's limit, not the user's token, and is said so. Ray answers an
 * unknown file, task or node with 500 and a sentence; those become `not_found`.
 */
export function logError(err: unknown, rayVersion: string | undefined): unknown {
  if (!(err instanceof RayHttpError)) return err;
  if (/UNAUTHENTICATED/.test(err.rayMessage)) {
    return new AppError(
      'unsupported_by_ray_version',
      `Ray ${rayVersion ?? 'on this cluster'} cannot read worker and node logs on a cluster with token authentication (its State API calls the node's agent without the token). Ray 2.60 can; upgrade the cluster to read these logs here. The job's driver log still works.`,
      undefined,
      { params: { fixedIn: '2.60' } },
    );
  }
  if (/not found|could not find|doesn't exist|does not exist|no such/i.test(err.rayMessage)) {
    return new AppError(
      'not_found',
      'Ray has no such log: the file, task attempt or actor may never have written one, or its node is gone.',
    );
  }
  return err;
}

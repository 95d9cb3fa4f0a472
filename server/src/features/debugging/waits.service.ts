import type { JobWaits, ResourceMap, WaitingTask } from '@ray-console/shared';
import type { RayPlacementGroup, RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { findJob } from './job-ref.js';
import { bucketOf } from './task-states.js';

/** Task states that are not waiting (running or ended); everything else waits for something. */
const NOT_WAITING = [
  'FINISHED',
  'FAILED',
  'RUNNING',
  'SUBMITTED_TO_WORKER',
  'RUNNING_IN_RAY_GET',
  'RUNNING_IN_RAY_WAIT',
];

/** Resources a placement group's tasks ask for are the group's own (`CPU_group_<id>`), not a node's. */
const isGroupResource = (name: string) => /_group_/.test(name) || name.startsWith('bundle_group_');

export const formatResources = (r: ResourceMap): string =>
  Object.entries(r)
    .map(([k, v]) => `${k}: ${Number.isInteger(v) ? v : Number(v.toFixed(3))}`)
    .join(', ');

/**
 * Names of resources in `demand` that no single ALIVE node has enough of: a task is placed on one node,
 * so a cluster whose nodes have 2 CPUs each cannot run a task asking for 4, whatever the total.
 */
export function missingOnEveryNode(demand: ResourceMap, nodes: readonly ResourceMap[]): string[] {
  const wanted = Object.entries(demand).filter(([k, v]) => v > 0 && !isGroupResource(k));
  if (wanted.length === 0) return [];
  if (nodes.some((n) => wanted.every(([k, v]) => (n[k] ?? 0) >= v))) return [];
  // Name the resources that no node has enough of by itself; if each fits somewhere but not together, all.
  const alone = wanted.filter(([k, v]) => !nodes.some((n) => (n[k] ?? 0) >= v)).map(([k]) => k);
  return alone.length ? alone : wanted.map(([k]) => k);
}

export function toWaitingTask(t: RayTask, nodes: readonly ResourceMap[]): WaitingTask {
  const bucket = bucketOf(t.state);
  const waitsFor: WaitingTask['waitsFor'] =
    t.state === 'PENDING_OBJ_STORE_MEM_AVAIL'
      ? 'object_store'
      : bucket === 'pendingResources'
        ? 'resources'
        : bucket === 'pendingArgs'
          ? 'arguments'
          : 'other';
  const required = t.required_resources ?? {};
  const missing = waitsFor === 'resources' ? missingOnEveryNode(required, nodes) : [];
  let explanation: string;
  if (waitsFor === 'resources') {
    explanation = missing.length
      ? `Needs ${formatResources(required)}; no node of this cluster has ${missing.join(', ')} to give, so it waits until such a node joins (infeasible).`
      : t.placement_group_id
        ? `Waits for its placement group's bundle to be placed and for ${formatResources(required)} in it.`
        : `Waits for ${formatResources(required) || 'resources'} to free up: other tasks and actors hold them now.`;
  } else if (waitsFor === 'arguments') {
    explanation = 'Waits for its arguments: objects that other tasks have not produced yet, or that are being fetched.';
  } else if (waitsFor === 'object_store') {
    explanation = 'Waits for room in the object store of its node.';
  } else {
    explanation = `Ray reports it as ${t.state}.`;
  }
  return {
    taskId: t.task_id,
    attemptNumber: t.attempt_number,
    name: t.name,
    state: t.state,
    waitsFor,
    ...(t.required_resources ? { requiredResources: t.required_resources } : {}),
    missingResources: missing,
    explanation,
    ...(t.placement_group_id ? { placementGroupId: t.placement_group_id } : {}),
  };
}

export function toPendingGroup(
  pg: RayPlacementGroup,
  nodes: readonly ResourceMap[],
): JobWaits['placementGroups'][number] {
  const bundles = (pg.bundles ?? []).map((b) => b.unit_resources ?? {});
  const unplaceable = bundles.filter((b) => missingOnEveryNode(b, nodes).length > 0);
  const explanation = unplaceable.length
    ? `${unplaceable.length === 1 ? 'A bundle' : `${unplaceable.length} bundles`} (${unplaceable.map(formatResources).join('; ')}) fit no node of this cluster, so the group cannot be placed until such a node joins.`
    : `Waits for its ${bundles.length} bundle${bundles.length === 1 ? '' : 's'} to be placed as resources free up${pg.strategy ? ` (strategy ${pg.strategy})` : ''}.`;
  return {
    placementGroupId: pg.placement_group_id,
    ...(pg.name ? { name: pg.name } : {}),
    state: pg.state,
    ...(pg.strategy ? { strategy: pg.strategy } : {}),
    bundles,
    explanation,
  };
}

/** The autoscaler's `[{resources}, count]` demands, split into those some node could fit and those none can. */
export function splitDemands(
  demands: readonly (readonly [ResourceMap, number])[],
  nodes: readonly ResourceMap[],
): { pending: JobWaits['pending']; infeasible: JobWaits['infeasible'] } {
  const pending: JobWaits['pending'] = [];
  const infeasible: JobWaits['infeasible'] = [];
  for (const [resources, count] of demands) {
    (missingOnEveryNode(resources, nodes).length ? infeasible : pending).push({ resources, count });
  }
  return { pending, infeasible };
}

/** What the job's waiting tasks and placement groups wait for, with the cluster's unmet demands. */
export async function getJobWaits(c: SignedInCluster, id: string, limit: number, now = Date.now): Promise<JobWaits> {
  const job = await findJob(c, id);
  const token = c.credential.token;
  const [nodes, status, tasks, groups] = await Promise.all([
    c.ray.nodes(token),
    // A head without an autoscaler report still explains tasks from their own requests.
    c.ray.clusterStatusDetail(token).catch(() => null),
    job.rayJobId
      ? c.ray.listTasks(token, {
          filters: [['job_id', '=', job.rayJobId], ...NOT_WAITING.map((s) => ['state', '!=', s] as const)],
          limit,
          detail: true,
        })
      : undefined,
    job.rayJobId
      ? c.ray.listPlacementGroups(token, {
          filters: [
            ['creator_job_id', '=', job.rayJobId],
            ['state', '!=', 'CREATED'],
            ['state', '!=', 'REMOVED'],
          ],
          limit,
        })
      : undefined,
  ]);
  const alive = nodes.filter((n) => n.state === 'ALIVE').map((n) => n.resources_total);
  const clusterTotals: ResourceMap = {};
  for (const n of alive) for (const [k, v] of Object.entries(n)) clusterTotals[k] = (clusterTotals[k] ?? 0) + v;
  const report = status?.loadMetricsReport;
  const { pending, infeasible } = splitDemands(
    [...(report?.resourceDemand ?? []), ...(report?.requestDemand ?? [])],
    alive,
  );
  return {
    id,
    ...(job.rayJobId ? { rayJobId: job.rayJobId } : {}),
    status: job.status,
    terminal: job.terminal,
    waitingTasks: {
      items: (tasks?.items ?? []).map((t) => toWaitingTask(t, alive)),
      total: tasks?.total ?? 0,
      truncated: tasks?.truncated ?? false,
      limit,
    },
    infeasible,
    pending,
    placementGroups: (groups?.items ?? []).map((pg) => toPendingGroup(pg, alive)),
    clusterTotals,
    autoscalerReport: Boolean(report),
    fetchedAt: now(),
  };
}

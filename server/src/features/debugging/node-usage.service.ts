import type { ClusterNodesUsage, NodeUsage, NodeUsageSample } from '@ray-console/shared';
import type { RayNodeState } from '../../ray/ray-schemas.js';
import type { RayNodeSummary } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import type { UsageHistory } from './usage-history.js';
import { splitDemands } from './waits.service.js';

const fraction = (used: number | undefined, total: number | undefined) =>
  used !== undefined && total ? Math.min(1, Math.max(0, used / total)) : undefined;

/** The figures of one node, from its `/nodes?view=summary` entry (absent for a DEAD node). */
export function usageOf(
  s: RayNodeSummary | undefined,
  resourcesTotal: Record<string, number> = {},
): Omit<NodeUsage, 'nodeId' | 'ip' | 'isHead' | 'state' | 'history'> {
  if (!s) return { gpus: [] };
  const mem = s.mem ?? [];
  const memory = mem.length >= 4 ? { used: mem[3]!, total: mem[0]! } : undefined;
  const diskEntry = s.disk ? (s.disk['/'] ?? Object.values(s.disk)[0]) : undefined;
  // The node's object store size is its `object_store_memory` resource; the raylet's used/available
  // figures read 0/0 until the dashboard's first poll of the node's stats, a few seconds after it joined.
  const used = s.raylet?.objectStoreUsedMemory ?? undefined;
  const avail = s.raylet?.objectStoreAvailableMemory ?? undefined;
  const storeTotal =
    resourcesTotal.object_store_memory ?? (used !== undefined && avail !== undefined ? used + avail : 0);
  return {
    ...(s.hostname ? { hostname: s.hostname } : {}),
    ...(typeof s.cpu === 'number' ? { cpuPercent: s.cpu } : {}),
    ...(s.cpus?.[0] !== undefined ? { cpus: s.cpus[0] } : {}),
    ...(memory ? { memory } : {}),
    ...(diskEntry ? { disk: { used: diskEntry.used, total: diskEntry.total } } : {}),
    ...(storeTotal > 0 ? { objectStore: { used: used ?? 0, total: storeTotal } } : {}),
    gpus: (s.gpus ?? []).map((g, i) => ({
      index: g.index ?? i,
      ...(g.name ? { name: g.name } : {}),
      ...(typeof g.utilizationGpu === 'number' ? { utilizationPercent: g.utilizationGpu } : {}),
      // Ray reports GPU memory in MiB.
      ...(typeof g.memoryUsed === 'number' && typeof g.memoryTotal === 'number'
        ? { memory: { used: g.memoryUsed * 1024 * 1024, total: g.memoryTotal * 1024 * 1024 } }
        : {}),
    })),
  };
}

export function sampleOf(u: ReturnType<typeof usageOf>, t: number): NodeUsageSample {
  const gpu = u.gpus.filter((g) => g.utilizationPercent !== undefined);
  const memoryFraction = fraction(u.memory?.used, u.memory?.total);
  const objectStoreFraction = fraction(u.objectStore?.used, u.objectStore?.total);
  const diskFraction = fraction(u.disk?.used, u.disk?.total);
  return {
    t,
    ...(u.cpuPercent !== undefined ? { cpuPercent: u.cpuPercent } : {}),
    ...(memoryFraction !== undefined ? { memoryFraction } : {}),
    ...(objectStoreFraction !== undefined ? { objectStoreFraction } : {}),
    ...(diskFraction !== undefined ? { diskFraction } : {}),
    ...(gpu.length ? { gpuPercent: gpu.reduce((a, g) => a + g.utilizationPercent!, 0) / gpu.length } : {}),
  };
}

/** Every node with its usage and history; each read by a signed-in user may add one sample (see UsageHistory). */
export async function getNodesUsage(
  c: SignedInCluster,
  history: UsageHistory,
  now = Date.now,
): Promise<ClusterNodesUsage> {
  const token = c.credential.token;
  const [nodes, summaries, status, grafana] = await Promise.all([
    c.ray.nodes(token),
    c.ray.nodeSummaries(token),
    c.ray.clusterStatusDetail(token).catch(() => null),
    c.ray.grafanaHost(token).catch(() => undefined),
  ]);
  const t = now();
  const byId = new Map(summaries.filter((s) => s.raylet?.nodeId).map((s) => [s.raylet!.nodeId, s]));
  const usages = new Map(
    nodes.map((n) => [n.node_id, usageOf(n.state === 'ALIVE' ? byId.get(n.node_id) : undefined, n.resources_total)]),
  );
  const samples = new Map<string, NodeUsageSample>();
  for (const n of nodes) if (n.state === 'ALIVE') samples.set(n.node_id, sampleOf(usages.get(n.node_id)!, t));
  history.record(c.cluster.id, samples, t);
  const alive = nodes.filter((n) => n.state === 'ALIVE').map((n) => n.resources_total);
  const report = status?.loadMetricsReport;
  const auto = status?.autoscalerReport;
  const demands = splitDemands([...(report?.resourceDemand ?? []), ...(report?.requestDemand ?? [])], alive);
  return {
    nodes: nodes.map((n: RayNodeState) => ({
      nodeId: n.node_id,
      ip: n.node_ip,
      isHead: n.is_head_node,
      state: n.state,
      ...(n.state !== 'ALIVE' && n.state_message ? { deathReason: n.state_message } : {}),
      ...usages.get(n.node_id)!,
      history: history.of(c.cluster.id, n.node_id, t),
    })),
    sampling: { intervalMs: history.intervalMs, windowMs: history.windowMs },
    ...(status
      ? {
          autoscaler: {
            ...demands,
            pendingLaunches: auto?.pendingLaunches ?? {},
            failedNodes: (auto?.failedNodes ?? []).map((f) => (typeof f === 'string' ? f : JSON.stringify(f))),
          },
        }
      : {}),
    ...(grafana && /^https?:\/\//.test(grafana) ? { grafanaUrl: grafana } : {}),
    fetchedAt: t,
  };
}

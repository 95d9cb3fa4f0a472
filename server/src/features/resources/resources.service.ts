import type { ClusterResources, ResourceMap } from '@ray-console/shared';
import type { RayNodeState } from '../../ray/ray-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';

/** Sum of `resources_total` over ALIVE nodes: the same figures `ray.cluster_resources()` returns. */
export function sumAliveResources(nodes: readonly RayNodeState[]): ResourceMap {
  const totals: ResourceMap = {};
  for (const node of nodes) {
    if (node.state !== 'ALIVE') continue;
    for (const [name, amount] of Object.entries(node.resources_total)) totals[name] = (totals[name] ?? 0) + amount;
  }
  return totals;
}

/** Ray's `to_camel_case`: split on `_`, capitalise every part after the first. */
export function rayCamelCase(name: string): string {
  const [first = '', ...rest] = name.split('_');
  return first + rest.map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : '')).join('');
}

/**
 * The autoscaler's usage report camelCases resource names (`object_store_memory` → `objectStoreMemory`,
 * `node:__internal_head__` → `node:InternalHead`), so each name is matched back to the totals' own names.
 */
export function usedByResource(
  totals: ResourceMap,
  usage: Record<string, readonly [number, number]> | undefined,
): ResourceMap | undefined {
  if (!usage) return undefined;
  const used: ResourceMap = {};
  for (const name of Object.keys(totals)) {
    const entry = usage[name] ?? usage[rayCamelCase(name)];
    used[name] = entry ? entry[0] : 0;
  }
  return used;
}

/** Ray version, nodes, totals, and used/available where the head reports usage. */
export async function getClusterResources({ ray, credential }: SignedInCluster): Promise<ClusterResources> {
  const { token } = credential;
  const [version, nodes, status] = await Promise.all([
    ray.version(token),
    ray.nodes(token),
    // Usage is a nice-to-have: an older or busy head without a load report still shows totals.
    ray.clusterStatus(token).catch(() => null),
  ]);
  const totals = sumAliveResources(nodes);
  const used = usedByResource(totals, status?.loadMetricsReport?.usage);
  const available = used
    ? Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.max(0, v - (used[k] ?? 0))]))
    : undefined;
  return {
    rayVersion: version.ray_version,
    totals,
    ...(used ? { used, available } : {}),
    nodes: nodes.map((n) => ({
      nodeId: n.node_id,
      ip: n.node_ip,
      ...(n.node_name ? { nodeName: n.node_name } : {}),
      isHead: n.is_head_node,
      state: n.state,
      ...(n.state_message ? { stateMessage: n.state_message } : {}),
      resourcesTotal: n.resources_total,
    })),
    fetchedAt: Date.now(),
  };
}

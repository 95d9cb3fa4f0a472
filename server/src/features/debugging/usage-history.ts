import type { NodeUsageSample } from '@ray-console/shared';

export interface UsageHistoryOptions {
  /** A new sample is kept only this long after the last one (reads in between reuse it). */
  intervalMs: number;
  /** Samples older than this are dropped. */
  windowMs: number;
  /** Nodes remembered per cluster at most (the oldest-seen are forgotten first). */
  maxNodes: number;
}

export const DEFAULT_USAGE_HISTORY: UsageHistoryOptions = { intervalMs: 10_000, windowMs: 60 * 60_000, maxNodes: 256 };

/**
 * The console's own record of each node's usage over the last hour, per cluster, in memory. It is fed
 * only by reads of a signed-in user (with that user's token, as every other call): the console never
 * polls a cluster on its own, so a cluster nobody looks at has no history, and one looked at for five
 * minutes has five minutes of it. Bounded: at most windowMs / intervalMs samples per node, maxNodes
 * nodes per cluster; a replica restart forgets it (each replica keeps its own).
 */
export class UsageHistory {
  private readonly clusters = new Map<string, { last: number; nodes: Map<string, NodeUsageSample[]> }>();

  constructor(private readonly options: UsageHistoryOptions = DEFAULT_USAGE_HISTORY) {}

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }

  /** Records one sample per node when the last one is at least `intervalMs` old; returns whether it did. */
  record(clusterId: string, samples: ReadonlyMap<string, NodeUsageSample>, now: number): boolean {
    let entry = this.clusters.get(clusterId);
    if (entry && now - entry.last < this.options.intervalMs) return false;
    entry ??= { last: 0, nodes: new Map() };
    this.clusters.set(clusterId, entry);
    entry.last = now;
    const oldest = now - this.options.windowMs;
    for (const [nodeId, sample] of samples) {
      const list = entry.nodes.get(nodeId) ?? [];
      list.push(sample);
      while (list.length && list[0]!.t < oldest) list.shift();
      // Re-inserted so the map's order is by last sighting: the first key is the one to forget.
      entry.nodes.delete(nodeId);
      entry.nodes.set(nodeId, list);
    }
    for (const [nodeId, list] of entry.nodes) {
      while (list.length && list[0]!.t < oldest) list.shift();
      if (!list.length) entry.nodes.delete(nodeId);
    }
    while (entry.nodes.size > this.options.maxNodes) entry.nodes.delete(entry.nodes.keys().next().value!);
    return true;
  }

  /** The samples of one node, oldest first (a copy). */
  of(clusterId: string, nodeId: string, now: number): NodeUsageSample[] {
    const oldest = now - this.options.windowMs;
    return (this.clusters.get(clusterId)?.nodes.get(nodeId) ?? []).filter((s) => s.t >= oldest);
  }

  /** Forgets a cluster (removed from the registry). */
  forget(clusterId: string): void {
    this.clusters.delete(clusterId);
  }
}

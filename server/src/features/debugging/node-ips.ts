import type { SignedInCluster } from '../clusters/cluster-access.js';

/** Node id to IP, for showing where a task or actor ran (an unknown node gives undefined). */
export async function nodeIps({ ray, credential }: SignedInCluster): Promise<(nodeId: string) => string | undefined> {
  const nodes = await ray.nodes(credential.token).catch(() => []);
  const ips = new Map(nodes.map((n) => [n.node_id, n.node_ip]));
  return (nodeId) => ips.get(nodeId);
}

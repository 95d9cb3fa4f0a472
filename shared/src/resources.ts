import { z } from 'zod';

export const NodeState = z.enum(['ALIVE', 'DEAD']);

/** Resource name to amount, as `ray.cluster_resources()` names them (`CPU`, `memory`, `object_store_memory`, ...). */
export const ResourceMap = z.record(z.string(), z.number()).meta({ id: 'ResourceMap' });
export type ResourceMap = z.infer<typeof ResourceMap>;

export const ClusterNode = z
  .object({
    nodeId: z.string(),
    ip: z.string(),
    nodeName: z.string().optional(),
    isHead: z.boolean(),
    state: z.string(),
    stateMessage: z.string().optional(),
    resourcesTotal: ResourceMap,
  })
  .meta({ id: 'ClusterNode' });
export type ClusterNode = z.infer<typeof ClusterNode>;

export const ClusterResources = z
  .object({
    rayVersion: z.string(),
    /** Sum of `resources_total` over ALIVE nodes: what `ray.cluster_resources()` returns. */
    totals: ResourceMap,
    /** In use, from the autoscaler's load report, where the head has one. */
    used: ResourceMap.optional(),
    /** `totals - used`, where `used` is known. */
    available: ResourceMap.optional(),
    nodes: z.array(ClusterNode),
    /** When the BFF read these figures (ms since epoch). */
    fetchedAt: z.number(),
  })
  .meta({ id: 'ClusterResources' });
export type ClusterResources = z.infer<typeof ClusterResources>;

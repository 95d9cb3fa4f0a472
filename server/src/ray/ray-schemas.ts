import { z } from 'zod';

// Shapes of what the Ray dashboard answers, parsed at the edge so a renamed field fails loudly here
// rather than as `undefined` in the browser. Objects are loose: Ray adds fields between versions.

export const RayAuthenticationMode = z.looseObject({ authentication_mode: z.string() });

export const RayVersion = z.looseObject({
  version: z.string(),
  ray_version: z.string(),
  ray_commit: z.string().optional(),
  session_name: z.string().optional(),
});
export type RayVersion = z.infer<typeof RayVersion>;

export const RayNodeState = z.looseObject({
  node_id: z.string(),
  node_ip: z.string(),
  is_head_node: z.boolean(),
  state: z.string(),
  state_message: z.string().nullish(),
  node_name: z.string().nullish(),
  resources_total: z.record(z.string(), z.number()).default({}),
});
export type RayNodeState = z.infer<typeof RayNodeState>;

/** State API envelope (`/api/v0/*`): snake_case keys are kept. */
export const RayListNodes = z.looseObject({
  result: z.boolean(),
  msg: z.string().nullish(),
  data: z.looseObject({
    result: z.looseObject({
      total: z.number(),
      result: z.array(RayNodeState),
    }),
  }),
});

/**
 * `/api/cluster_status` uses `rest_response`, which camelCases every key, resource names included
 * (`object_store_memory` becomes `objectStoreMemory`). `usage` maps resource to `[used, total]`.
 */
export const RayClusterStatus = z.looseObject({
  result: z.boolean(),
  data: z.looseObject({
    clusterStatus: z
      .looseObject({
        loadMetricsReport: z
          .looseObject({
            usage: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
          })
          .optional(),
      })
      .nullish(),
  }),
});
export type RayClusterStatus = z.infer<typeof RayClusterStatus>;

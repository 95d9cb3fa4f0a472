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

// ---- Jobs API (`/api/jobs/*`) ---------------------------------------------------------------------

/**
 * Ray's `JobDetails` (pydantic, beta). `end_time` is 0 rather than null for a DRIVER job still running;
 * `driver_info.pid` is a string; the `entrypoint_*` requests are not returned by Ray 2.52–2.60.
 */
export const RayJobDetails = z.looseObject({
  type: z.enum(['SUBMISSION', 'DRIVER']),
  job_id: z.string().nullish(),
  submission_id: z.string().nullish(),
  driver_info: z
    .looseObject({
      id: z.string(),
      node_ip_address: z.string(),
      pid: z.union([z.string(), z.number()]).transform(String),
    })
    .nullish(),
  status: z.enum(['PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED']),
  entrypoint: z.string(),
  message: z.string().nullish(),
  error_type: z.string().nullish(),
  start_time: z.number().nullish(),
  end_time: z.number().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  runtime_env: z.record(z.string(), z.unknown()).nullish(),
  driver_agent_http_address: z.string().nullish(),
  driver_node_id: z.string().nullish(),
  driver_exit_code: z.number().int().nullish(),
  entrypoint_num_cpus: z.number().nullish(),
  entrypoint_num_gpus: z.number().nullish(),
  entrypoint_memory: z.number().nullish(),
  entrypoint_resources: z.record(z.string(), z.number()).nullish(),
  entrypoint_label_selector: z.record(z.string(), z.string()).nullish(),
});
export type RayJobDetails = z.infer<typeof RayJobDetails>;

export const RayJobList = z.array(RayJobDetails);

export const RayJobSubmitResponse = z.looseObject({ submission_id: z.string(), job_id: z.string().nullish() });
export const RayJobStopResponse = z.looseObject({ stopped: z.boolean() });
export const RayJobDeleteResponse = z.looseObject({ deleted: z.boolean() });

/** The body Ray's job server takes (`JobSubmitRequest`); optional fields are left out, never null. */
export interface RayJobSubmitBody {
  entrypoint: string;
  submission_id?: string;
  runtime_env?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  entrypoint_memory?: number;
  entrypoint_resources?: Record<string, number>;
  entrypoint_label_selector?: Record<string, string>;
}

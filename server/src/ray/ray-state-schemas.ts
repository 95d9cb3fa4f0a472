import { z } from 'zod';

// Ray's State API answers (`/api/v0/*`) and the dashboard's node, Serve and Grafana routes used by the
// debugging pages, parsed at the edge. Objects are loose (Ray adds fields between versions); fields the
// console reads are listed, nullish where Ray leaves them out or says null.

/** The State API's list envelope: `data.result` holds the page and how many Ray had before its limit. */
const stateList = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    result: z.boolean(),
    msg: z.string().nullish(),
    data: z.looseObject({
      result: z.looseObject({
        /** Entries the data source had (after the filters Ray applies at the source). */
        total: z.number(),
        num_after_truncation: z.number().nullish(),
        /** Entries left after every filter, before the limit. */
        num_filtered: z.number().nullish(),
        result: z.array(item),
        partial_failure_warning: z.string().nullish(),
      }),
    }),
  });

const nullishString = z.string().nullish();
const nullishInt = z.number().int().nullish();

export const RayTask = z.looseObject({
  task_id: z.string(),
  attempt_number: z.number().int(),
  name: z.string(),
  state: z.string(),
  job_id: z.string().nullish(),
  actor_id: nullishString,
  type: z.string(),
  func_or_class_name: nullishString,
  node_id: nullishString,
  worker_id: nullishString,
  worker_pid: nullishInt,
  error_type: nullishString,
  // detail=true only:
  required_resources: z.record(z.string(), z.number()).nullish(),
  placement_group_id: nullishString,
  start_time_ms: z.number().nullish(),
  end_time_ms: z.number().nullish(),
  error_message: nullishString,
  task_log_info: z
    .looseObject({
      stdout_file: nullishString,
      stderr_file: nullishString,
    })
    .nullish(),
  profiling_data: z.looseObject({ node_ip_address: nullishString }).nullish(),
});
export type RayTask = z.infer<typeof RayTask>;
export const RayTaskList = stateList(RayTask);

export const RayActor = z.looseObject({
  actor_id: z.string(),
  class_name: z.string(),
  state: z.string(),
  job_id: z.string(),
  name: nullishString,
  node_id: nullishString,
  pid: nullishInt,
  required_resources: z.record(z.string(), z.number()).nullish(),
  death_cause: z.record(z.string(), z.unknown()).nullish(),
  placement_group_id: nullishString,
  repr_name: nullishString,
  num_restarts: z.union([z.number(), z.string()]).nullish(),
});
export type RayActor = z.infer<typeof RayActor>;
export const RayActorList = stateList(RayActor);

export const RayPlacementGroup = z.looseObject({
  placement_group_id: z.string(),
  name: nullishString,
  creator_job_id: nullishString,
  state: z.string(),
  strategy: nullishString,
  bundles: z.array(z.looseObject({ unit_resources: z.record(z.string(), z.number()).nullish() })).nullish(),
  stats: z.looseObject({ scheduling_state: nullishString }).nullish(),
});
export type RayPlacementGroup = z.infer<typeof RayPlacementGroup>;
export const RayPlacementGroupList = stateList(RayPlacementGroup);

const TaskSummaryEntry = z.looseObject({
  func_or_class_name: z.string(),
  type: z.string(),
  state_counts: z.record(z.string(), z.number().int()),
});

/** `/api/v0/tasks/summarize` (summary_by=func_name): per-group counts of task ATTEMPTS. */
export const RayTaskSummary = z.looseObject({
  result: z.boolean(),
  data: z.looseObject({
    result: z.looseObject({
      total: z.number(),
      num_after_truncation: z.number().nullish(),
      num_filtered: z.number().nullish(),
      result: z.looseObject({
        node_id_to_summary: z.looseObject({
          cluster: z.looseObject({ summary: z.record(z.string(), TaskSummaryEntry) }),
        }),
      }),
    }),
  }),
});
export type RayTaskSummary = z.infer<typeof RayTaskSummary>;

/** `/api/v0/logs?node_id=`: category (`worker_out`, `raylet`, `gcs_server`, ...) to file names. */
export const RayLogList = z.looseObject({
  result: z.boolean(),
  msg: z.string().nullish(),
  data: z.looseObject({ result: z.record(z.string(), z.array(z.string())).nullish() }),
});

const usedTotal = z.tuple([z.number(), z.number()]);
/** A demand: `[{resource: amount}, count]` (resource names NOT camelCased, unlike `usage`). */
const demand = z.tuple([z.record(z.string(), z.number()), z.number()]);

/** `/api/cluster_status` with the parts the debugging pages read. */
export const RayClusterStatusDetail = z.looseObject({
  result: z.boolean(),
  data: z.looseObject({
    clusterStatus: z
      .looseObject({
        loadMetricsReport: z
          .looseObject({
            usage: z.record(z.string(), usedTotal).nullish(),
            resourceDemand: z.array(demand).nullish(),
            pgDemand: z.array(z.tuple([z.unknown(), z.number()])).nullish(),
            requestDemand: z.array(demand).nullish(),
            nodeTypes: z.array(demand).nullish(),
          })
          .nullish(),
        autoscalerReport: z
          .looseObject({
            pendingLaunches: z.record(z.string(), z.number()).nullish(),
            failedNodes: z.array(z.unknown()).nullish(),
            infeasibleRequests: z.unknown().optional(),
          })
          .nullish(),
      })
      .nullish(),
  }),
});
export type RayClusterStatusDetail = z.infer<typeof RayClusterStatusDetail>;

/** One node of `/nodes?view=summary` (camelCased by the dashboard's `rest_response`). */
export const RayNodeSummary = z.looseObject({
  hostname: nullishString,
  ip: nullishString,
  cpu: z.number().nullish(),
  cpus: z.array(z.number()).nullish(),
  /** `[total, available, percent, used]` in bytes. */
  mem: z.array(z.number()).nullish(),
  disk: z.record(z.string(), z.looseObject({ total: z.number(), used: z.number() })).nullish(),
  gpus: z
    .array(
      z.looseObject({
        index: z.number().int().nullish(),
        name: nullishString,
        utilizationGpu: z.number().nullish(),
        memoryUsed: z.number().nullish(),
        memoryTotal: z.number().nullish(),
      }),
    )
    .nullish(),
  raylet: z
    .looseObject({
      nodeId: z.string(),
      state: nullishString,
      isHeadNode: z.boolean().nullish(),
      nodeManagerAddress: nullishString,
      objectStoreUsedMemory: z.number().nullish(),
      objectStoreAvailableMemory: z.number().nullish(),
      stateMessage: nullishString,
    })
    .nullish(),
});
export type RayNodeSummary = z.infer<typeof RayNodeSummary>;

export const RayNodeSummaryList = z.looseObject({
  result: z.boolean(),
  data: z.looseObject({ summary: z.array(RayNodeSummary) }),
});

/** `/api/grafana_health`: `result` true only when the head reached its Grafana. */
export const RayGrafanaHealth = z.looseObject({
  result: z.boolean(),
  data: z.looseObject({ grafanaHost: z.string().nullish() }).nullish(),
});

const ServeReplicaRaw = z.looseObject({
  state: z.string(),
  replica_id: nullishString,
  node_id: nullishString,
  node_ip: nullishString,
  pid: nullishInt,
  actor_id: nullishString,
  start_time_s: z.number().nullish(),
  log_file_path: nullishString,
});

const ServeDeploymentRaw = z.looseObject({
  name: z.string(),
  status: z.string(),
  status_trigger: nullishString,
  message: nullishString,
  replicas: z.array(ServeReplicaRaw).nullish(),
  /** Ray 2.60: replicas stopped lately (a failed constructor's attempts among them). */
  recent_dead_replicas: z.array(ServeReplicaRaw).nullish(),
  target_num_replicas: nullishInt,
});

/** `/api/serve/applications/` (Serve's ServeInstanceDetails). */
export const RayServeDetails = z.looseObject({
  proxy_location: nullishString,
  applications: z
    .record(
      z.string(),
      z.looseObject({
        name: z.string(),
        status: z.string(),
        message: nullishString,
        route_prefix: nullishString,
        last_deployed_time_s: z.number().nullish(),
        deployments: z.record(z.string(), ServeDeploymentRaw).nullish(),
      }),
    )
    .nullish(),
});
export type RayServeDetails = z.infer<typeof RayServeDetails>;

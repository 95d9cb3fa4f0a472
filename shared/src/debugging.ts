import { z } from 'zod';
import { ClusterId } from './clusters.js';
import { JobId, JobStatus } from './jobs.js';
import { ResourceMap } from './resources.js';

/*
 * The debugging contract (issue 9): a job's tasks, failures and waits, actors, node and worker logs,
 * per-node usage with the console's own history, and Ray Serve. Every list is bounded: Ray is asked with
 * a `limit` and filtered by job, and an answer says when it holds fewer items than Ray has (`truncated`).
 * Field names are camelCase; Ray's own enums (task and actor states, error types) pass through as Ray
 * spells them, because they are an open set that grows between versions.
 */

/**
 * Ray's ids are hex of fixed sizes (Ray 2.x): node and worker ids 28 bytes (56 hex digits), task ids 24
 * (48), actor ids 16 (32). Ray answers 500 to an id of another length, so it is refused here first.
 */
const hexId = (what: string, digits: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[0-9a-f]{${digits}}$`, 'i'),
      `A ${what} is ${digits} hexadecimal digits (0-9, a-f), as Ray prints it.`,
    );

export const NodeId = hexId('node id', 56).meta({ id: 'NodeId' });
export const TaskId = hexId('task id', 48).meta({ id: 'TaskId' });
export const ActorId = hexId('actor id', 32).meta({ id: 'ActorId' });

/**
 * A log file as Ray's `/api/v0/logs` lists it: a path relative to the node's log folder (`raylet.out`,
 * `worker-<id>-<job>-<pid>.err`, `events/event_GCS.log`). No `..`, no leading `/`, no backslash.
 */
export const LogFilename = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._\-/]+$/,
    'A log file name holds letters, digits, ".", "_", "-" and "/" (for a subfolder), without ".." parts.',
  )
  .meta({ id: 'LogFilename' });

/** A bounded list: `total` is how many Ray has (where it says), `truncated` whether `items` holds fewer. */
const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** How many Ray reported before the limit (may itself be a lower bound when Ray truncated). */
    total: z.number().int(),
    truncated: z.boolean(),
    limit: z.number().int(),
  });

/** `?limit=` on list routes: 1..1000, 100 by default. */
export const DebugListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type DebugListQuery = z.infer<typeof DebugListQuery>;

export const JobDebugParams = z.object({ clusterId: ClusterId, jobId: JobId });
export const NodeParams = z.object({ clusterId: ClusterId, nodeId: NodeId });

// ---- where a log is, for "open this worker's log" ----------------------------------------------

/**
 * What to pass to `GET …/logs/file` (and `…/logs/stream`) to open a log: either a file on a node, or the
 * part of a worker's log one task attempt wrote, or an actor's worker log. `highlight` is the text of the
 * line to scroll to (the exception's type), when the console knows one.
 */
export const LogRef = z
  .object({
    nodeId: NodeId.optional(),
    filename: LogFilename.optional(),
    taskId: TaskId.optional(),
    attemptNumber: z.number().int().min(0).optional(),
    actorId: ActorId.optional(),
    /** For a task or actor: the worker's stdout (`out`, the default) or stderr (`err`) part. */
    suffix: z.enum(['out', 'err']).optional(),
    highlight: z.string().optional(),
  })
  .meta({ id: 'LogRef' });
export type LogRef = z.infer<typeof LogRef>;

// ---- 1. job progress -------------------------------------------------------------------------------

/**
 * Ray's task states folded into what a user asks: waiting for resources (`PENDING_NODE_ASSIGNMENT`,
 * `PENDING_OBJ_STORE_MEM_AVAIL`), waiting for arguments (`PENDING_ARGS_AVAIL`, `PENDING_ARGS_FETCH`,
 * `GETTING_AND_PINNING_ARGS`, actor-task ordering), running (`SUBMITTED_TO_WORKER`, `RUNNING*`),
 * finished, failed. `other` counts states this console does not know yet (`NIL`, new ones).
 */
export const TaskStateCounts = z
  .object({
    pendingResources: z.number().int(),
    pendingArgs: z.number().int(),
    running: z.number().int(),
    finished: z.number().int(),
    failed: z.number().int(),
    other: z.number().int(),
    /** The sum of the above: tasks, each counted once however many attempts it took. */
    total: z.number().int(),
  })
  .meta({ id: 'TaskStateCounts' });
export type TaskStateCounts = z.infer<typeof TaskStateCounts>;

/**
 * How long a task group has run, from the start and end times Ray records per task attempt. The State API
 * can neither sort nor filter by time, so the console reads a bounded number of the group's attempts
 * (Ray lists them by task id, which is a hash: a sample spread over the group) and takes the earliest
 * start and, once every task of the group has ended, the latest end. When the group has more attempts
 * than were read (`exact: false`), the true first start is no later and the true last end no earlier:
 * the figure is a lower bound ("at least").
 */
export const TaskGroupTiming = z
  .object({
    /** The earliest start (ms since the epoch) among the attempts read; absent while none has started. */
    firstStartMs: z.number().optional(),
    /** The latest end among the attempts read; only once every task of the group has ended. */
    lastEndMs: z.number().optional(),
    /** Whether every attempt of the group was read, so the figures are Ray's own first start and last end. */
    exact: z.boolean(),
    /** How many of the group's attempts were read. */
    attemptsRead: z.number().int(),
  })
  .meta({ id: 'TaskGroupTiming' });
export type TaskGroupTiming = z.infer<typeof TaskGroupTiming>;

export const TaskGroup = z
  .object({
    /** The function or class name (`module.fn`, `Actor.method`, `Actor.__init__`), as Ray groups it. */
    name: z.string(),
    /** `NORMAL_TASK`, `ACTOR_CREATION_TASK`, `ACTOR_TASK`, `DRIVER_TASK` (Ray's TaskType). */
    type: z.string(),
    counts: TaskStateCounts,
    /** Ray's own per-state counts of task ATTEMPTS, unfolded (`FAILED`, `PENDING_NODE_ASSIGNMENT`, ...). */
    attemptStateCounts: z.record(z.string(), z.number().int()),
    /** Tasks of this group that took more than one attempt, and the attempts beyond their first. */
    retriedTasks: z.number().int(),
    extraAttempts: z.number().int(),
    /** How long the group has run; absent for groups beyond the largest few, or when Ray's read failed. */
    timing: TaskGroupTiming.optional(),
  })
  .meta({ id: 'TaskGroup' });
export type TaskGroup = z.infer<typeof TaskGroup>;

export const JobTaskSummary = z
  .object({
    /** The id in the URL (submission id or hex job id). */
    id: z.string(),
    /** Ray's hex job id; absent while the driver has not started (then there are no tasks yet). */
    rayJobId: z.string().optional(),
    status: JobStatus,
    /** Whether the job has ended: the page stops polling. */
    terminal: z.boolean(),
    /** Groups, most tasks first. */
    groups: z.array(TaskGroup),
    totals: TaskStateCounts,
    /**
     * True when Ray's summary covers fewer task attempts than the job has (Ray summarizes at most
     * 10,000 attempts by default; the GCS keeps at most 100,000 task events per cluster).
     */
    truncated: z.boolean(),
    /** True when more retried attempts exist than the console read (retry counts are then lower bounds). */
    retriesTruncated: z.boolean(),
    /**
     * True while the console is still reading some groups' times (a summary never waits for them: on a
     * large group that read costs Ray as much as the summary). Ask again, even for an ended job.
     */
    timingPending: z.boolean(),
    fetchedAt: z.number(),
  })
  .meta({ id: 'JobTaskSummary' });
export type JobTaskSummary = z.infer<typeof JobTaskSummary>;

// ---- 2. why it failed ------------------------------------------------------------------------------

export const FailedTask = z
  .object({
    taskId: z.string(),
    attemptNumber: z.number().int(),
    name: z.string(),
    funcOrClassName: z.string().optional(),
    type: z.string(),
    /** Ray's error type: `TASK_EXECUTION_EXCEPTION`, `WORKER_DIED`, `OUT_OF_MEMORY`, `RUNTIME_ENV_SETUP_FAILED`, .... */
    errorType: z.string().optional(),
    /** The exception's class (`ValueError`) when the message names one. */
    exceptionType: z.string().optional(),
    /** Ray's whole error message: for an exception, the traceback. Cut at 64 KiB. */
    errorMessage: z.string().optional(),
    /** Whether a later attempt of the same task exists (then this failure was retried). */
    retried: z.boolean(),
    nodeId: z.string().optional(),
    nodeIp: z.string().optional(),
    workerId: z.string().optional(),
    workerPid: z.number().int().optional(),
    actorId: z.string().optional(),
    startTimeMs: z.number().optional(),
    endTimeMs: z.number().optional(),
    /** The part of the worker's log this attempt wrote, and the worker's whole `.err` file. */
    taskLog: LogRef.optional(),
    workerLog: LogRef.optional(),
  })
  .meta({ id: 'FailedTask' });
export type FailedTask = z.infer<typeof FailedTask>;

/** Why an actor died, from Ray's `death_cause`, folded into one kind and a message. */
export const ActorDeath = z
  .object({
    /** `creation_failed` (exception in `__init__`), `killed` (`ray.kill`), `oom`, `runtime_env`, `node_died`, `worker_died`, `out_of_scope`, `other`. */
    kind: z.enum([
      'creation_failed',
      'killed',
      'oom',
      'runtime_env',
      'node_died',
      'worker_died',
      'out_of_scope',
      'other',
    ]),
    message: z.string(),
    /** Ray's own reason enum where it gives one (`RAY_KILL`, `OUT_OF_SCOPE`, `NODE_DIED`, ...). */
    reason: z.string().optional(),
  })
  .meta({ id: 'ActorDeath' });
export type ActorDeath = z.infer<typeof ActorDeath>;

export const ActorSummary = z
  .object({
    actorId: z.string(),
    className: z.string(),
    name: z.string().optional(),
    reprName: z.string().optional(),
    /** `DEPENDENCIES_UNREADY`, `PENDING_CREATION`, `ALIVE`, `RESTARTING`, `DEAD`. */
    state: z.string(),
    jobId: z.string(),
    nodeId: z.string().optional(),
    nodeIp: z.string().optional(),
    pid: z.number().int().optional(),
    numRestarts: z.number().int(),
    requiredResources: ResourceMap.optional(),
    placementGroupId: z.string().optional(),
    death: ActorDeath.optional(),
    /** The actor's worker log (Ray finds it by actor id). */
    log: LogRef.optional(),
  })
  .meta({ id: 'ActorSummary' });
export type ActorSummary = z.infer<typeof ActorSummary>;

export const FirstFailureKind = z.enum([
  'task_exception',
  'oom',
  'worker_died',
  'node_died',
  'runtime_env',
  'actor_died',
  'driver_exit',
  'job_error',
]);

/** What the job page leads with: the first failure, in plain words. */
export const FirstFailure = z
  .object({
    kind: FirstFailureKind,
    /** One sentence for a person: "Task fail_task raised ValueError on node 10.0.0.1." */
    title: z.string(),
    /** The detail: exception message, Ray's job message, the death cause. */
    detail: z.string(),
    taskId: z.string().optional(),
    actorId: z.string().optional(),
    log: LogRef.optional(),
  })
  .meta({ id: 'FirstFailure' });
export type FirstFailure = z.infer<typeof FirstFailure>;

export const JobFailures = z
  .object({
    id: z.string(),
    rayJobId: z.string().optional(),
    status: JobStatus,
    terminal: z.boolean(),
    firstFailure: FirstFailure.optional(),
    /** Failed task attempts, newest last (Ray's order is by time of the event). */
    failedTasks: page(FailedTask),
    deadActors: page(ActorSummary),
    fetchedAt: z.number(),
  })
  .meta({ id: 'JobFailures' });
export type JobFailures = z.infer<typeof JobFailures>;

// ---- 3. why it is stuck ----------------------------------------------------------------------------

/** A shape of resources the autoscaler has requests for, and how many. */
export const ResourceDemand = z
  .object({ resources: ResourceMap, count: z.number().int() })
  .meta({ id: 'ResourceDemand' });

export const WaitingTask = z
  .object({
    taskId: z.string(),
    attemptNumber: z.number().int(),
    name: z.string(),
    /** Ray's state, e.g. `PENDING_NODE_ASSIGNMENT`, `PENDING_ARGS_AVAIL`. */
    state: z.string(),
    waitsFor: z.enum(['resources', 'arguments', 'object_store', 'other']),
    requiredResources: ResourceMap.optional(),
    /** Resources it asks for that no ALIVE node has at all (so it is infeasible until such a node joins). */
    missingResources: z.array(z.string()),
    /** In plain words: "Needs 1 × GPU; no node of this cluster has GPU." */
    explanation: z.string(),
    placementGroupId: z.string().optional(),
  })
  .meta({ id: 'WaitingTask' });
export type WaitingTask = z.infer<typeof WaitingTask>;

export const PendingPlacementGroup = z
  .object({
    placementGroupId: z.string(),
    name: z.string().optional(),
    /** `PENDING`, `RESCHEDULING`, ... */
    state: z.string(),
    strategy: z.string().optional(),
    bundles: z.array(ResourceMap),
    explanation: z.string(),
  })
  .meta({ id: 'PendingPlacementGroup' });

export const JobWaits = z
  .object({
    id: z.string(),
    rayJobId: z.string().optional(),
    status: JobStatus,
    terminal: z.boolean(),
    /** Tasks not yet running, with what each waits for (bounded). */
    waitingTasks: page(WaitingTask),
    /** The autoscaler's demands no node type can satisfy (cluster-wide: Ray does not split them by job). */
    infeasible: z.array(ResourceDemand),
    /** Demands waiting for resources to free up or nodes to start (cluster-wide). */
    pending: z.array(ResourceDemand),
    placementGroups: z.array(PendingPlacementGroup),
    /** Totals over ALIVE nodes, to compare a demand with. */
    clusterTotals: ResourceMap,
    /** Whether the head answered `/api/cluster_status` with a load report (else `infeasible`/`pending` are empty). */
    autoscalerReport: z.boolean(),
    fetchedAt: z.number(),
  })
  .meta({ id: 'JobWaits' });
export type JobWaits = z.infer<typeof JobWaits>;

// ---- 4. actors -------------------------------------------------------------------------------------

export const ActorList = page(ActorSummary).extend({ fetchedAt: z.number() }).meta({ id: 'ActorList' });
export type ActorList = z.infer<typeof ActorList>;

// ---- 5. logs ---------------------------------------------------------------------------------------

export const LogGroupName = z.enum([
  'workers',
  'drivers',
  'raylet',
  'gcs',
  'dashboard',
  'runtime_env',
  'autoscaler',
  'other',
]);
export type LogGroupName = z.infer<typeof LogGroupName>;

export const NodeLogGroup = z
  .object({
    group: LogGroupName,
    files: z.array(LogFilename),
    /** Files beyond the first 500 of the group were left out. */
    truncated: z.boolean(),
  })
  .meta({ id: 'NodeLogGroup' });

export const NodeLogList = z
  .object({ nodeId: z.string(), groups: z.array(NodeLogGroup), fetchedAt: z.number() })
  .meta({ id: 'NodeLogList' });
export type NodeLogList = z.infer<typeof NodeLogList>;

/** `?glob=` on a node's log list (Ray's own filter, e.g. `worker-*`). */
export const NodeLogListQuery = z.object({
  glob: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9._\-*?/]+$/, 'A glob holds letters, digits, ".", "_", "-", "/", "*" and "?".')
    .optional(),
});

/**
 * Which log to read: `nodeId` + `filename`, or `taskId` (+ `attemptNumber`), or `actorId`. `lines` is
 * how many lines from the end (1..50,000, 5,000 by default); `suffix` picks a worker's `out` or `err`.
 */
const LogFileQueryFields = z.object({
  nodeId: NodeId.optional(),
  filename: LogFilename.optional(),
  taskId: TaskId.optional(),
  attemptNumber: z.coerce.number().int().min(0).max(1000).optional(),
  actorId: ActorId.optional(),
  suffix: z.enum(['out', 'err']).optional(),
  lines: z.coerce.number().int().min(1).max(50_000).default(5000),
  download: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});

type LogTargetFields = { nodeId?: string; filename?: string; taskId?: string; actorId?: string };
const oneLogTarget = <T extends z.ZodType<LogTargetFields>>(schema: T) =>
  schema
    .refine((q) => (q.filename ? q.nodeId !== undefined : true), {
      message: 'A filename needs the nodeId of the node it is on.',
      path: ['nodeId'],
    })
    .refine((q) => [q.filename, q.taskId, q.actorId].filter((v) => v !== undefined).length === 1, {
      message: 'Give exactly one of filename (with nodeId), taskId or actorId.',
      path: ['filename'],
    });

export const LogFileQuery = oneLogTarget(LogFileQueryFields);
export type LogFileQuery = z.infer<typeof LogFileQuery>;

// ---- 6. cluster: per-node usage --------------------------------------------------------------------

const UsedTotal = z.object({ used: z.number(), total: z.number() });

export const GpuUsage = z
  .object({
    index: z.number().int(),
    name: z.string().optional(),
    utilizationPercent: z.number().optional(),
    memory: UsedTotal.optional(),
  })
  .meta({ id: 'GpuUsage' });

/** One sample of a node's usage; fractions are 0..1, CPU is 0..100 like Ray's. */
export const NodeUsageSample = z
  .object({
    t: z.number(),
    cpuPercent: z.number().optional(),
    memoryFraction: z.number().optional(),
    objectStoreFraction: z.number().optional(),
    diskFraction: z.number().optional(),
    gpuPercent: z.number().optional(),
  })
  .meta({ id: 'NodeUsageSample' });
export type NodeUsageSample = z.infer<typeof NodeUsageSample>;

export const NodeUsage = z
  .object({
    nodeId: z.string(),
    ip: z.string(),
    hostname: z.string().optional(),
    isHead: z.boolean(),
    state: z.string(),
    /** For a DEAD node: why, as Ray says it. */
    deathReason: z.string().optional(),
    cpuPercent: z.number().optional(),
    cpus: z.number().optional(),
    /** Bytes. */
    memory: UsedTotal.optional(),
    /** Bytes, the root filesystem (`/`) or the first one Ray reports. */
    disk: UsedTotal.optional(),
    objectStore: UsedTotal.optional(),
    gpus: z.array(GpuUsage),
    /** The console's own samples of this node over the last hour, oldest first (may be empty). */
    history: z.array(NodeUsageSample),
  })
  .meta({ id: 'NodeUsage' });
export type NodeUsage = z.infer<typeof NodeUsage>;

export const ClusterNodesUsage = z
  .object({
    nodes: z.array(NodeUsage),
    /**
     * How the history is gathered: the console samples a cluster only while a signed-in user reads this
     * route (with that user's token), at most every `intervalMs`, keeping `windowMs`.
     */
    sampling: z.object({ intervalMs: z.number(), windowMs: z.number() }),
    /** The autoscaler's view, where the head reports one. */
    autoscaler: z
      .object({
        pending: z.array(ResourceDemand),
        infeasible: z.array(ResourceDemand),
        /** Nodes being launched / that failed to launch, as counts by node type. */
        pendingLaunches: z.record(z.string(), z.number()),
        failedNodes: z.array(z.string()),
      })
      .optional(),
    /** Grafana's address when the head has it configured (`RAY_GRAFANA_HOST`) and healthy. */
    grafanaUrl: z.string().optional(),
    fetchedAt: z.number(),
  })
  .meta({ id: 'ClusterNodesUsage' });
export type ClusterNodesUsage = z.infer<typeof ClusterNodesUsage>;

// ---- 7. Serve -------------------------------------------------------------------------------------

/** One replica of a deployment: where it runs, and its own log (Serve writes one file per replica). */
export const ServeReplica = z
  .object({
    replicaId: z.string(),
    /** `STARTING`, `UPDATING`, `RECOVERING`, `RUNNING`, `STOPPING`, `PENDING_MIGRATION`. */
    state: z.string(),
    nodeId: z.string().optional(),
    nodeIp: z.string().optional(),
    pid: z.number().int().optional(),
    actorId: z.string().optional(),
    startTimeS: z.number().optional(),
    /** The replica's log file on its node (`serve/replica_<app>_<deployment>_<id>.log`). */
    log: LogRef.optional(),
  })
  .meta({ id: 'ServeReplica' });
export type ServeReplica = z.infer<typeof ServeReplica>;

export const ServeDeployment = z
  .object({
    name: z.string(),
    /** `UPDATING`, `HEALTHY`, `UNHEALTHY`, `DEPLOY_FAILED`, `UPSCALING`, `DOWNSCALING`, ... */
    status: z.string(),
    /** What moved it there: `CONFIG_UPDATE_COMPLETED`, `REPLICA_STARTUP_FAILED`, `HEALTH_CHECK_FAILED`, .... */
    statusTrigger: z.string().optional(),
    /** Serve's message as plain text (its terminal colour codes taken out); may hold a traceback. */
    message: z.string().optional(),
    /** Replica count by state (`RUNNING`, `STARTING`, ...), as `serve status` counts them. */
    replicaStates: z.record(z.string(), z.number().int()),
    targetReplicas: z.number().int().optional(),
    /** The replicas, at most 100 per deployment (`replicasTruncated` says when there are more). */
    replicas: z.array(ServeReplica),
    replicasTruncated: z.boolean(),
    /**
     * Replicas Serve stopped lately (at most 100), with their logs: for a deployment whose constructor
     * raised, the only place that failure was written. Ray 2.60 lists them; 2.52 does not (then empty).
     */
    recentDeadReplicas: z.array(ServeReplica),
  })
  .meta({ id: 'ServeDeployment' });

export const ServeApplication = z
  .object({
    name: z.string(),
    /** `NOT_STARTED`, `DEPLOYING`, `RUNNING`, `DEPLOY_FAILED`, `DELETING`, `UNHEALTHY`. */
    status: z.string(),
    message: z.string().optional(),
    routePrefix: z.string().optional(),
    lastDeployedTimeS: z.number().optional(),
    deployments: z.array(ServeDeployment),
  })
  .meta({ id: 'ServeApplication' });

export const ServeStatus = z
  .object({
    /** False when Serve is not running on this cluster (then `applications` is empty). */
    running: z.boolean(),
    proxyLocation: z.string().optional(),
    applications: z.array(ServeApplication),
    fetchedAt: z.number(),
  })
  .meta({ id: 'ServeStatus' });
export type ServeStatus = z.infer<typeof ServeStatus>;

/**
 * `GET …/logs/stream` (Server-Sent Events, the job log viewer's protocol): unnamed events with
 * `id: <lines so far>` and one `data:` field per line, `event: end` with this JSON when Ray closed the
 * log (a task's part of a worker log ends; a file followed by Ray does not), `event: closed` with
 * JobLogClosed JSON when the session signed out. Resume with `Last-Event-ID` or `?from=<lines seen>`.
 */
export const LogStreamEnd = z.object({ lines: z.number().int() }).meta({ id: 'LogStreamEnd' });
export type LogStreamEnd = z.infer<typeof LogStreamEnd>;

export const LogStreamQuery = oneLogTarget(
  LogFileQueryFields.omit({ download: true }).extend({ from: z.coerce.number().int().min(0).optional() }),
);
export type LogStreamQuery = z.infer<typeof LogStreamQuery>;

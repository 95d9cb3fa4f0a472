import { z } from 'zod';
import { ClusterId } from './clusters.js';

/*
 * The jobs contract: the job list, job details, submission, stop/delete, logs and package uploads.
 * Field names are camelCase; the contents of `runtimeEnv` stay in Ray's own snake_case (`env_vars`,
 * `working_dir`, `pip`), because that object is Ray's format, documented by Ray and passed through.
 * Optional fields are left out when Ray has no value for them (never `null`).
 */

const ID_ALPHABET = /^[A-Za-z0-9_-]{1,255}$/;
const ID_MESSAGE = 'Use letters, digits, "_" and "-" only (at most 255), like raysubmit_XYZ or 02000000.';

/**
 * A job in a URL: a submission id (`raysubmit_…` or one chosen at submit) or a Ray job id (hex, e.g.
 * `02000000`; the only id a DRIVER job has). Ray accepts either wherever a job id goes. Anything outside
 * letters, digits, `_` and `-` is refused before Ray is called: Ray itself checks nothing, and a job whose
 * id holds a `/` can never be stopped or deleted through its API again.
 */
export const JobId = z.string().regex(ID_ALPHABET, ID_MESSAGE).meta({ id: 'JobId' });
export type JobId = z.infer<typeof JobId>;

export const JobParams = z.object({ clusterId: ClusterId, jobId: JobId });

/** `PENDING` and `RUNNING` are live; `STOPPED`, `SUCCEEDED` and `FAILED` are terminal. */
export const JobStatus = z.enum(['PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED']).meta({ id: 'JobStatus' });
export type JobStatus = z.infer<typeof JobStatus>;

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['STOPPED', 'SUCCEEDED', 'FAILED'];

/** Whether a job in this status will not change any more (its log is complete, it can be deleted). */
export const isTerminalJobStatus = (status: JobStatus): boolean => TERMINAL_JOB_STATUSES.includes(status);

/**
 * `SUBMISSION`: submitted through the Jobs API (this console, `ray job submit`); it can be stopped,
 * deleted, and has a log. `DRIVER`: a script that called `ray.init()` itself; Ray lists it, but it has no
 * submission id and cannot be stopped, deleted or have its log read through the Jobs API.
 */
export const JobType = z.enum(['SUBMISSION', 'DRIVER']).meta({ id: 'JobType' });
export type JobType = z.infer<typeof JobType>;

const StringMap = z.record(z.string(), z.string());

/**
 * Metadata keys the console writes on every job it submits for a signed-in person (OIDC mode), read
 * back for the "Submitted by" column, the "my jobs" filter and whether an operator may stop or delete a
 * job (their own: issuer and subject match). Every key under {@link RESERVED_METADATA_PREFIX} is kept
 * for the console: a submission through the console that uses one is refused, in every mode.
 */
export const SUBMITTED_BY_METADATA = {
  name: 'ray-console.submitted-by.name',
  issuer: 'ray-console.submitted-by.issuer',
  subject: 'ray-console.submitted-by.subject',
} as const;
export const RESERVED_METADATA_PREFIX = 'ray-console.';

/** Who submitted a job through the console, as its metadata say (absent for every other job). */
export const SubmittedBy = z
  .object({ name: z.string(), issuer: z.string(), subject: z.string() })
  .meta({ id: 'SubmittedBy' });
export type SubmittedBy = z.infer<typeof SubmittedBy>;

/** The submitter named by a job's metadata, when all three console keys are there. */
export function submittedByOf(metadata: Readonly<Record<string, string>> | undefined): SubmittedBy | undefined {
  const name = metadata?.[SUBMITTED_BY_METADATA.name];
  const issuer = metadata?.[SUBMITTED_BY_METADATA.issuer];
  const subject = metadata?.[SUBMITTED_BY_METADATA.subject];
  return name && issuer && subject ? { name, issuer, subject } : undefined;
}

/** One row of the job list: what a table needs, and what search and sort work on. */
export const JobSummary = z
  .object({
    /** The id to use in URLs: the submission id, or the job id for DRIVER jobs. */
    id: z.string(),
    type: JobType,
    /** Absent for DRIVER jobs. */
    submissionId: z.string().optional(),
    /** Ray's job id (hex); absent until the driver has called `ray.init()` (and for scripts that never do). */
    jobId: z.string().optional(),
    status: JobStatus,
    entrypoint: z.string(),
    /** Ray's message: "Job finished successfully.", "Job entrypoint command failed with exit code 3, …". */
    message: z.string().optional(),
    /**
     * Why a job failed, as Ray classifies it (an open set): `JOB_ENTRYPOINT_COMMAND_ERROR`,
     * `RUNTIME_ENV_SETUP_FAILURE`, `JOB_SUPERVISOR_ACTOR_START_FAILURE`, `JOB_SUPERVISOR_ACTOR_UNSCHEDULABLE`, ….
     */
    errorType: z.string().optional(),
    /** ms since epoch. */
    startTime: z.number().optional(),
    /** ms since epoch; absent while the job runs (Ray says 0 or null). */
    endTime: z.number().optional(),
    /** `endTime - startTime`; for a job still running, the time so far when the list was read. */
    durationMs: z.number().optional(),
    /** The exit code of the entrypoint command, once it has exited. */
    driverExitCode: z.number().int().optional(),
    metadata: StringMap.optional(),
    /**
     * Who submitted the job through the console (from the metadata keys in {@link SUBMITTED_BY_METADATA});
     * absent for jobs submitted elsewhere or before sign-in was switched on.
     */
    submittedBy: SubmittedBy.optional(),
  })
  .meta({ id: 'JobSummary' });
export type JobSummary = z.infer<typeof JobSummary>;

export const DriverInfo = z
  .object({
    id: z.string(),
    nodeIpAddress: z.string(),
    /** Ray reports the pid as a string. */
    pid: z.string(),
  })
  .meta({ id: 'DriverInfo' });
export type DriverInfo = z.infer<typeof DriverInfo>;

/** Everything Ray's `JobDetails` holds, camelCased, plus `id` and `durationMs` as in {@link JobSummary}. */
export const JobDetails = JobSummary.extend({
  driverInfo: DriverInfo.optional(),
  /** As submitted; an uploaded `working_dir` shows as its `gcs://_ray_pkg_….zip` URI. */
  runtimeEnv: z.record(z.string(), z.unknown()).optional(),
  /** The dashboard agent that runs the job's supervisor (an address inside the cluster). */
  driverAgentHttpAddress: z.string().optional(),
  driverNodeId: z.string().optional(),
  /** Ray 2.52–2.60 do not return the entrypoint resource requests; kept in case a later version does. */
  entrypointNumCpus: z.number().optional(),
  entrypointNumGpus: z.number().optional(),
  entrypointMemory: z.number().optional(),
  entrypointResources: z.record(z.string(), z.number()).optional(),
  entrypointLabelSelector: StringMap.optional(),
}).meta({ id: 'JobDetails' });
export type JobDetails = z.infer<typeof JobDetails>;

// ---- the list -----------------------------------------------------------------------------------

/** Sort keys; a leading `-` sorts descending. Jobs without the value (no end time yet) always come last. */
export const JobSort = z
  .enum([
    'startTime',
    '-startTime',
    'endTime',
    '-endTime',
    'durationMs',
    '-durationMs',
    'status',
    '-status',
    'id',
    '-id',
    'entrypoint',
    '-entrypoint',
  ])
  .meta({ id: 'JobSort' });
export type JobSort = z.infer<typeof JobSort>;

/** A query value given once, repeated (`?status=A&status=B`) or comma-separated (`?status=A,B`). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      v === undefined || v === ''
        ? undefined
        : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter(Boolean),
    z.array(item).optional(),
  );

export const JobListQuery = z
  .object({
    status: listOf(z.enum(JobStatus.options, { error: `Use one or more of ${JobStatus.options.join(', ')}.` })).meta({
      description: 'Only jobs in these statuses (repeat the parameter or separate with commas).',
    }),
    type: listOf(z.enum(JobType.options, { error: 'Use SUBMISSION or DRIVER.' })).meta({
      description: 'Only jobs of these types.',
    }),
    q: z.string().max(500, 'Search for at most 500 characters.').optional().meta({
      description: 'Case-insensitive text searched in the ids, the entrypoint and the metadata keys and values.',
    }),
    limit: z.coerce
      .number({ error: 'Use a whole number from 1 to 500.' })
      .int('Use a whole number from 1 to 500.')
      .min(1, 'Use a whole number from 1 to 500.')
      .max(500, 'Use a whole number from 1 to 500.')
      .default(50)
      .meta({ description: 'Page size (1 to 500, default 50).' }),
    cursor: z
      .string()
      .max(2000, 'Use the nextCursor of the previous page.')
      .optional()
      .meta({ description: 'The `nextCursor` of the previous page (with the same sort).' }),
    sort: JobSort.default('-startTime').meta({ description: 'Sort key; `-` for descending. Default `-startTime`.' }),
    mine: z.enum(['true', 'false'], { error: 'Use mine=true for your own jobs, or leave it out.' }).optional().meta({
      description: 'With `true`, only the jobs the signed-in person submitted through the console (OIDC sign-in only).',
    }),
  })
  .meta({ id: 'JobListQuery' });
export type JobListQuery = z.input<typeof JobListQuery>;

export const JobList = z
  .object({
    items: z.array(JobSummary),
    /** Jobs matching the filters and the search, over all pages. */
    total: z.number().int(),
    /**
     * Pass as `cursor` for the next page; absent on the last page. It points after the last item of this
     * page (by sort value and id), so jobs submitted meanwhile neither shift nor repeat the next page.
     */
    nextCursor: z.string().optional(),
    /** Jobs per status among those matching `type` and `q` (the status filter left aside), for filter chips. */
    statusCounts: z.record(JobStatus, z.number().int()),
    /** When the BFF read the list from Ray (ms since epoch); the BFF reuses a read for about 2 s. */
    fetchedAt: z.number(),
  })
  .meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;

// ---- submission ---------------------------------------------------------------------------------

/** Ray's `runtime_env`: only what the console can check is checked; Ray validates the rest when the job starts. */
export const RuntimeEnv = z
  .looseObject({
    env_vars: z
      .record(z.string(), z.string({ error: 'Environment variable values must be strings.' }), {
        error: 'Use an object of names to string values.',
      })
      .optional(),
    working_dir: z
      .string({ error: 'Use a gcs://… URI from a package upload, a remote .zip URL, or a path on the cluster.' })
      .min(1, 'Use a gcs://… URI from a package upload, a remote .zip URL, or a path on the cluster.')
      .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.toLowerCase().endsWith('.zip'), {
        error: 'A remote working_dir must be a .zip URI (Ray supports only .zip there).',
      })
      .optional(),
  })
  .meta({ id: 'RuntimeEnv' });
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

const amount = (what: string) =>
  z
    .number({ error: `Use a number of ${what} (0 or more).` })
    .min(0, `Use a number of ${what} (0 or more).`)
    .refine(Number.isFinite, `Use a number of ${what} (0 or more).`);

/** The first Ray version whose job server accepts `entrypoint_label_selector`. */
export const LABEL_SELECTOR_MIN_RAY_VERSION = '2.54.0';

const JobSubmitFields = z
  .strictObject(
    {
      entrypoint: z
        .string({ error: 'Enter the command to run, for example python script.py.' })
        .max(100_000, 'The command is longer than 100,000 characters.')
        .refine((s) => s.trim() !== '', 'Enter the command to run, for example python script.py.'),
      submissionId: z
        .string({ error: 'Use a string, or leave it out for a generated id.' })
        .regex(ID_ALPHABET, 'Use letters, digits, "_" and "-" only (at most 255), or leave it out for a generated id.')
        .optional(),
      runtimeEnv: RuntimeEnv.optional(),
      metadata: z
        .record(z.string(), z.string({ error: 'Metadata values must be strings.' }), {
          error: 'Use an object of string keys to string values.',
        })
        // Metadata are labels: a line break or other control character in one is an injection attempt.
        .refine((m) => ![...Object.entries(m).flat().join('')].some((c) => c < ' ' || c === '\u007f'), {
          error: 'Metadata keys and values cannot hold line breaks or other control characters.',
        })
        // The console writes who submitted the job under these keys; the form must not set or fake them.
        .superRefine((m, ctx) => {
          for (const key of Object.keys(m)) {
            if (!key.startsWith(RESERVED_METADATA_PREFIX)) continue;
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: `Keys starting with "${RESERVED_METADATA_PREFIX}" are kept for the console (who submitted the job); rename or remove "${key}".`,
            });
          }
        })
        .optional(),
      entrypointNumCpus: amount('CPUs').optional(),
      entrypointNumGpus: amount('GPUs').optional(),
      entrypointMemory: z
        .number({ error: 'Use a whole number of bytes.' })
        .int('Use a whole number of bytes.')
        .min(0, 'Use a whole number of bytes (0 or more).')
        .max(Number.MAX_SAFE_INTEGER, 'Use a whole number of bytes.')
        .optional(),
      entrypointResources: z
        .record(z.string().min(1, 'Resource names cannot be empty.'), amount('units'), {
          error: 'Use an object of resource names to numbers.',
        })
        .optional(),
      /** Only for clusters on Ray ≥ 2.54 ({@link LABEL_SELECTOR_MIN_RAY_VERSION}); older ones refuse it. */
      entrypointLabelSelector: z
        .record(
          z.string().min(1, 'Label names cannot be empty.'),
          z.string({ error: 'Label values must be strings.' }),
          {
            error: 'Use an object of label names to strings, for example {"region": "us-east1"}.',
          },
        )
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; the names are camelCase (entrypointNumCpus, runtimeEnv, …).`
          : undefined,
    },
  )
  .meta({ id: 'JobSubmitRequest' });

/** Like Ray's job server, a field sent as `null` counts as left out. */
const dropNullFields = (v: unknown): unknown =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, value]) => value !== null))
    : v;

/**
 * `POST /api/clusters/{id}/jobs`. Unknown fields are refused, so a snake_case name sent by mistake
 * does not vanish silently; a field sent as `null` counts as left out.
 */
export const JobSubmitRequest = z.preprocess(dropNullFields, JobSubmitFields);
export type JobSubmitRequest = z.input<typeof JobSubmitFields>;

export const JobSubmitResponse = z.object({ submissionId: z.string() }).meta({ id: 'JobSubmitResponse' });
export type JobSubmitResponse = z.infer<typeof JobSubmitResponse>;

/** `stopped` is false when the job had already ended (or a stop was already under way). */
export const JobStopResponse = z.object({ stopped: z.boolean() }).meta({ id: 'JobStopResponse' });
export type JobStopResponse = z.infer<typeof JobStopResponse>;

export const JobDeleteResponse = z.object({ deleted: z.boolean() }).meta({ id: 'JobDeleteResponse' });
export type JobDeleteResponse = z.infer<typeof JobDeleteResponse>;

// ---- logs ---------------------------------------------------------------------------------------

export const JobLogQuery = z.object({
  download: z
    .enum(['0', '1', 'true', 'false'], { error: 'Use download=1 to get the log as a file.' })
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .meta({ description: 'With `1`, the answer carries `Content-Disposition: attachment` and a file name.' }),
});

/**
 * Query of the live tail. A reconnecting EventSource sends `Last-Event-ID` by itself, which wins over
 * `from`; `from` is for a first connection that already has lines (say, from the full log).
 */
export const JobLogStreamQuery = z.object({
  from: z.coerce
    .number({ error: 'Use the number of lines already received (0 or more).' })
    .int('Use the number of lines already received (0 or more).')
    .min(0, 'Use the number of lines already received (0 or more).')
    .optional()
    .meta({ description: 'Skip this many lines from the start of the log (lines already received).' }),
});

/** `Last-Event-ID` as the browser sends it back: the `id` of the last event it received. */
export const LastEventId = z.coerce.number().int().min(0);

/**
 * The data of the `end` event of the live tail (JSON): the job has finished and every line was sent.
 * The browser should close its EventSource on it; otherwise EventSource reconnects, and is told the same.
 */
export const JobLogEnd = z
  .object({
    status: JobStatus,
    message: z.string().optional(),
    errorType: z.string().optional(),
    driverExitCode: z.number().int().optional(),
    /** Lines delivered in all (the same number as the event's `id`). */
    lines: z.number().int(),
  })
  .meta({ id: 'JobLogEnd' });
export type JobLogEnd = z.infer<typeof JobLogEnd>;

/**
 * The data of the `skipped` event of the live tail (JSON): lines `from`..`to` (numbered from 1) are not
 * sent, because the console keeps only a window of the latest lines of a log it relays (a late joiner,
 * a browser that fell behind, or one that resumes with a `Last-Event-ID` older than the window). The
 * event's `id` is `to`, so a resume carries on after them; the complete log has them (download it).
 */
export const JobLogSkipped = z
  .object({
    from: z.number().int().min(1),
    to: z.number().int().min(1),
  })
  .meta({ id: 'JobLogSkipped' });
export type JobLogSkipped = z.infer<typeof JobLogSkipped>;

/**
 * The data of the `closed` event of the live tail (JSON): the console stopped relaying the log because
 * the session that asked for it can no longer read it. Close the EventSource (a reconnect would be
 * refused); `message` says what to do.
 */
export const JobLogClosed = z
  .object({
    /** `forbidden`: with per-cluster roles, the person no longer has a role that may read this cluster. */
    reason: z.enum(['signed_out', 'cluster_signed_out', 'session_expired', 'forbidden']),
    message: z.string(),
  })
  .meta({ id: 'JobLogClosed' });
export type JobLogClosed = z.infer<typeof JobLogClosed>;

/**
 * The names of the live tail's Server-Sent Events (`GET …/jobs/{jobId}/logs/stream`, `text/event-stream`):
 *
 * - unnamed (`message`) events carry log lines: one `data:` field per line, so `event.data.split('\n')`
 *   gives the lines, in order. `id:` is the number of lines delivered so far, counted from the start of
 *   the log, so a reconnect with `Last-Event-ID` resumes exactly after them (on any replica).
 * - `skipped`: data is {@link JobLogSkipped} JSON; its `id` is the last skipped line, so numbering and
 *   resuming carry on after it. Show a marker that points to the complete log.
 * - `end`: data is {@link JobLogEnd} JSON. Close the EventSource.
 * - `closed`: data is {@link JobLogClosed} JSON (signed out, expired). Close the EventSource.
 * - comments (`: keep-alive`) every 15 s (LIVE_TAIL_HEARTBEAT_MS) keep proxies from closing an idle stream.
 *
 * Lines are split by the rule of {@link LogLineSplitter}: at `\n`, `\r\n` and a lone `\r` (a progress
 * bar's redraws become separate lines), and a line longer than {@link LOG_LINE_MAX_CHARS} becomes pieces,
 * each after the first starting with {@link LOG_LINE_CONTINUED}. An
 * empty line that stands alone is held back until the next line comes (EventSource drops an event whose
 * data is empty), and an empty last line of a finished log is not sent. When the stream ends without an
 * `end` event (the head's stream broke, the replica is shutting down), EventSource reconnects by itself.
 * Errors before the stream starts (unknown job, DRIVER job, signed out) are ordinary JSON error answers.
 */
export const JOB_LOG_EVENTS = { lines: 'message', skipped: 'skipped', end: 'end', closed: 'closed' } as const;

// ---- packages -----------------------------------------------------------------------------------

/** Ray's limit for one package (the dashboard refuses larger request bodies). */
export const MAX_PACKAGE_BYTES = 100 * 1024 * 1024;

/**
 * `PUT /api/clusters/{id}/packages` answers this. Upload either a `.zip` (Content-Type `application/zip`,
 * the files at the zip's root) or a folder (`multipart/form-data`, one file part per file, each part's
 * file name being the path relative to the folder, e.g. `formData.append('files', file, 'src/main.py')`;
 * leave out the picked folder's own name that `webkitRelativePath` starts with). The BFF zips a folder
 * deterministically, so the same files always give the same URI and Ray keeps one copy.
 */
export const PackageUploadResponse = z
  .object({
    /** Put it in `runtimeEnv.working_dir` (or `py_modules`): `gcs://_ray_pkg_<sha1 of the zip>.zip`. */
    uri: z.string(),
    /** Size of the zip in bytes. */
    sizeBytes: z.number().int(),
    /** Files in the package (for a folder upload; for a .zip, what its central directory lists). */
    files: z.number().int().optional(),
    /** False when the cluster already had this exact package, so nothing was sent to it. */
    uploaded: z.boolean(),
  })
  .meta({ id: 'PackageUploadResponse' });
export type PackageUploadResponse = z.infer<typeof PackageUploadResponse>;

import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { isTerminalJobStatus } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import { type DriverNode, type DriverNodes } from './driver-nodes.js';
import { jobError } from './jobs.service.js';
import { JsonLogsDecoder } from './json-logs-decoder.js';

const fromWeb = (stream: ReadableStream<Uint8Array>): Readable =>
  Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);

/**
 * The whole log of a submitted job, as a stream of UTF-8 text that is never held whole in memory.
 *
 * First choice: the state API's `/api/v0/logs/file` (plain text, streamed by the node's agent). Where it
 * fails (Ray 2.52 answers 500 `UNAUTHENTICATED` to it on a token-protected cluster; any version answers
 * 500 while the log file does not exist yet), the Jobs API's `/api/jobs/{id}/logs` is used: JSON, but
 * decoded as it arrives. A job whose driver has not been placed yet has an empty log.
 *
 * That read needs the job's driver node, which only the job's details say. With `nodes`, a log read
 * before starts its read with the node remembered from then, beside the call for the details rather than
 * after it (Ray takes most of its time opening a big file, so the details usually arrive first); the
 * read is used only if the details name the same node and submission, and is otherwise cancelled and
 * made again with what they name (a head restarted at the same address, a deleted job's id submitted
 * again). Nothing of a read is sent before the details confirm it.
 */
export async function openJobLog(
  c: SignedInCluster,
  jobId: string,
  signal: AbortSignal,
  nodes?: DriverNodes,
  /** Refuse (`conflict`) a job that has not ended: its page follows it live and never reads this. */
  endedOnly = false,
): Promise<Readable> {
  const { ray, credential } = c;
  const { token } = credential;
  const guess = nodes?.get(c, jobId);
  const early = guess ? startRead(c, guess, signal) : undefined;
  let job: RayJobDetails;
  try {
    job = await ray.job(token, jobId);
  } catch (err) {
    early?.drop();
    throw jobError(err, jobId);
  }
  if (job.type === 'DRIVER') {
    early?.drop();
    throw new AppError(
      'bad_request',
      `"${jobId}" is a driver started by a script that called ray.init() itself, not a submitted job; Ray keeps no job log for it.`,
    );
  }
  if (endedOnly && !isTerminalJobStatus(job.status)) {
    early?.drop();
    throw new AppError('conflict', `The job "${jobId}" has not ended; its page follows its log live.`);
  }
  if (!job.driver_node_id || !job.submission_id) {
    early?.drop();
    nodes?.forget(c, jobId);
    return Readable.from([]);
  }
  const node: DriverNode = { nodeId: job.driver_node_id, submissionId: job.submission_id };
  nodes?.set(c, jobId, node);
  let read = early;
  if (!read || guess?.nodeId !== node.nodeId || guess.submissionId !== node.submissionId) {
    read?.drop();
    read = startRead(c, node, signal);
  }
  const outcome = await read.outcome;
  if (outcome.stream) return fromWeb(outcome.stream);
  if (!(outcome.error instanceof RayHttpError)) throw outcome.error;
  const json = await ray.jobLogsJson(token, jobId, signal).catch((err: unknown) => {
    throw jobError(err, jobId);
  });
  const text = new JsonLogsText();
  // pipeline, not pipe: a failure on either side reaches the reader instead of leaving it hanging.
  pipeline(fromWeb(json), text, () => {});
  return text;
}

/** A read of a job's log file under way: its stream or its failure, and a way to call it off. */
interface LogFileRead {
  outcome: Promise<{ stream: ReadableStream<Uint8Array>; error?: never } | { stream?: never; error: unknown }>;
  drop(): void;
}

function startRead({ ray, credential }: SignedInCluster, node: DriverNode, signal: AbortSignal): LogFileRead {
  const dropped = new AbortController();
  const outcome: LogFileRead['outcome'] = (async () =>
    ray.jobLogFile(credential.token, node.nodeId, node.submissionId, AbortSignal.any([signal, dropped.signal])))().then(
    (stream) => ({ stream }),
    (error: unknown) => ({ error }),
  );
  return {
    outcome,
    drop() {
      dropped.abort();
      // An answer that had already begun is cancelled too (its connection is closed, not reused).
      void outcome.then((o) => o.stream?.cancel().catch(() => undefined));
    },
  };
}

/** Bytes of `{"logs": "…"}` in, the log's text out. */
class JsonLogsText extends Transform {
  private readonly utf8 = new TextDecoder('utf-8');
  private readonly decoder = new JsonLogsDecoder();

  constructor() {
    super({ decodeStrings: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      const text = this.decoder.push(this.utf8.decode(chunk, { stream: true }));
      callback(null, text === '' ? undefined : Buffer.from(text, 'utf8'));
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      const text = this.decoder.push(this.utf8.decode());
      this.decoder.end();
      callback(null, text === '' ? undefined : Buffer.from(text, 'utf8'));
    } catch (err) {
      callback(err as Error);
    }
  }
}

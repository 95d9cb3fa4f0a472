import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
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
 */
export async function openJobLog(
  { ray, credential }: SignedInCluster,
  jobId: string,
  signal: AbortSignal,
): Promise<Readable> {
  const { token } = credential;
  const job = await ray.job(token, jobId).catch((err: unknown) => {
    throw jobError(err, jobId);
  });
  if (job.type === 'DRIVER') {
    throw new AppError(
      'bad_request',
      `"${jobId}" is a driver started by a script that called ray.init() itself, not a submitted job; Ray keeps no job log for it.`,
    );
  }
  if (!job.driver_node_id || !job.submission_id) return Readable.from([]);
  try {
    return fromWeb(await ray.jobLogFile(token, job.driver_node_id, job.submission_id, signal));
  } catch (err) {
    if (!(err instanceof RayHttpError)) throw err;
  }
  const json = await ray.jobLogsJson(token, jobId, signal).catch((err: unknown) => {
    throw jobError(err, jobId);
  });
  const text = new JsonLogsText();
  // pipeline, not pipe: a failure on either side reaches the reader instead of leaving it hanging.
  pipeline(fromWeb(json), text, () => {});
  return text;
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

import { createHash } from 'node:crypto';
import { isTerminalJobStatus, type JobLogEnd } from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { LogLineRelay } from './job-log-lines.js';
import { jobError } from './jobs.service.js';

/** Live tails and the WebSockets to Ray behind them; both go back to 0 when every browser has gone. */
export const logStreamMetrics = {
  /** Sockets open to Ray's `/api/jobs/{id}/logs/tail`. */
  openUpstreamSockets: 0,
  /** Tails being relayed to browsers. */
  openTails: 0,
};

export type LogTailEvent = { kind: 'lines'; lines: string[]; id: number } | { kind: 'end'; end: JobLogEnd; id: number };

export interface LogTailOptions {
  /** How often, and how long, to ask for the final status once Ray has closed the tail. */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

/** Lines sent in one event at most, so a browser catching up on a long log gets it in pieces. */
const MAX_LINES_PER_EVENT = 1000;

/**
 * One socket to Ray's log tail, shared by every browser of this process that follows the same job with
 * the same token. Ray's dashboard forwards job calls over a pool of at most 100 connections and each
 * open tail holds one, so a socket per browser would let 100 followers stall every other job call on
 * that head. The lines Ray has sent so far are kept while anyone follows (Ray replays the log from its
 * first line, which is what lets a browser that joins late, or resumes with `Last-Event-ID`, start at
 * any line); the socket closes when the last follower leaves.
 */
class SharedTail {
  readonly lines: string[] = [];
  /** Where each of Ray's batches ends (line counts): a follower that has caught up gets them one by one. */
  readonly batchEnds: number[] = [];
  end: JobLogEnd | undefined;
  /** The socket broke (or the job was not terminal after it closed): followers stop without `end` and reconnect. */
  stopped = false;
  followers = 0;
  private readonly waiters = new Set<() => void>();
  private readonly upstream = new AbortController();

  constructor(
    private readonly key: string,
    private readonly c: SignedInCluster,
    private readonly jobId: string,
    private readonly options: LogTailOptions,
  ) {}

  /** Opens Ray's socket; an unknown job, a DRIVER job or a rejected token fails here, before any event. */
  async open(): Promise<void> {
    const { ray, credential } = this.c;
    const tail = await ray.openJobLogTail(credential.token, this.jobId, this.upstream.signal).catch((err: unknown) => {
      throw jobError(err, this.jobId);
    });
    logStreamMetrics.openUpstreamSockets += 1;
    void tail.closed.then(() => {
      logStreamMetrics.openUpstreamSockets -= 1;
    });
    void this.pump(tail.chunks).finally(() => tail.close());
  }

  private async pump(chunks: AsyncIterable<string>): Promise<void> {
    const relay = new LogLineRelay(0);
    try {
      for await (const chunk of chunks) {
        const batch = relay.push(chunk);
        if (batch) this.append(batch.lines);
      }
      if (this.upstream.signal.aborted) return;
      const last = relay.end();
      if (last) this.append(last.lines);
      const job = await this.finalStatus().catch((err: unknown) => {
        // The job was deleted meanwhile: the log is complete, but there is no status to report.
        if (isAppError(err, 'ray_error')) return undefined;
        throw err;
      });
      if (!job) return;
      this.end = {
        status: job.status,
        ...(job.message ? { message: job.message } : {}),
        ...(job.error_type ? { errorType: job.error_type } : {}),
        ...(typeof job.driver_exit_code === 'number' ? { driverExitCode: job.driver_exit_code } : {}),
        lines: this.lines.length,
      };
    } catch {
      // The socket broke: followers end without `end`, and their EventSource resumes from its last line.
    } finally {
      this.stopped = this.end === undefined;
      hub.delete(this.key);
      this.wake();
    }
  }

  private async finalStatus(): Promise<RayJobDetails | undefined> {
    const { ray, credential } = this.c;
    const interval = this.options.pollIntervalMs ?? 500;
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 10_000);
    for (;;) {
      const job = await ray.job(credential.token, this.jobId);
      if (isTerminalJobStatus(job.status)) return job;
      if (Date.now() >= deadline || this.upstream.signal.aborted) return undefined;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  private append(lines: readonly string[]): void {
    for (const line of lines) this.lines.push(line);
    this.batchEnds.push(this.lines.length);
    this.wake();
  }

  /** The end of the first batch that ends after `position`, or undefined when none has arrived yet. */
  batchEndAfter(position: number, hint: number): { end: number; index: number } | undefined {
    let i = hint;
    while (i < this.batchEnds.length && this.batchEnds[i]! <= position) i++;
    return i < this.batchEnds.length ? { end: this.batchEnds[i]!, index: i } : undefined;
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Resolves when there is news (lines, end, stop) or the follower's signal fires. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  leave(): void {
    this.followers -= 1;
    if (this.followers === 0) {
      // Nobody follows any more: close Ray's socket, and let the next follower open a fresh one.
      hub.delete(this.key);
      this.upstream.abort();
      this.wake();
    }
  }
}

/** Tails being shared, by cluster, job and a hash of the token (a follower never joins another token's tail). */
const hub = new Map<string, { tail: SharedTail; ready: Promise<void> }>();

/**
 * Follows a job's log from line `from` on. It resolves once Ray's tail socket is open (or joined), so an
 * unknown job, a DRIVER job or a rejected token is an ordinary error before any event is sent. The
 * events are lines, numbered from the start of the log (see {@link LogLineRelay}), and, when Ray closes
 * the tail normally, an `end` with the job's final status, which is asked for because Ray's close carries
 * none (and Ray closes having sent nothing when the job failed before its driver started). When the
 * socket breaks, or the job is somehow not terminal yet, the events stop without `end`, and the browser
 * reconnects.
 */
export async function openLogTail(
  c: SignedInCluster,
  jobId: string,
  from: number,
  signal: AbortSignal,
  options: LogTailOptions = {},
): Promise<AsyncGenerator<LogTailEvent>> {
  const key = [
    c.cluster.id,
    jobId,
    createHash('sha256')
      .update(c.credential.token ?? '')
      .digest('base64url'),
  ].join('\u0000');
  let entry = hub.get(key);
  if (!entry) {
    const tail = new SharedTail(key, c, jobId, options);
    entry = { tail, ready: tail.open() };
    hub.set(key, entry);
    entry.ready.catch(() => {
      if (hub.get(key)?.tail === tail) hub.delete(key);
    });
  }
  const { tail } = entry;
  tail.followers += 1;
  try {
    await entry.ready;
  } catch (err) {
    tail.followers -= 1;
    throw err;
  }

  async function* events(): AsyncGenerator<LogTailEvent> {
    logStreamMetrics.openTails += 1;
    let position = from;
    let hint = 0;
    try {
      for (;;) {
        if (signal.aborted) return;
        // The rest of the batch the follower is in (a resume may start mid-batch), merged with the
        // batches after it while it holds only empty lines: EventSource drops an event with empty data.
        let next = tail.batchEndAfter(position, hint);
        while (next && tail.lines.slice(position, next.end).every((l) => l === '')) {
          const after = tail.batchEndAfter(next.end, next.index);
          if (!after) break;
          next = after;
        }
        if (next && (tail.lines.slice(position, next.end).some((l) => l !== '') || tail.end || tail.stopped)) {
          hint = next.index;
          const end = Math.min(next.end, position + MAX_LINES_PER_EVENT);
          const lines = tail.lines.slice(position, end);
          position = end;
          yield { kind: 'lines', lines, id: position };
          continue;
        }
        if (tail.end) {
          yield { kind: 'end', id: Math.max(position, tail.end.lines), end: tail.end };
          return;
        }
        if (tail.stopped) return;
        await tail.changed(signal);
      }
    } finally {
      logStreamMetrics.openTails -= 1;
      tail.leave();
    }
  }
  return events();
}

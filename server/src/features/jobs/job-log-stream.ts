import { isTerminalJobStatus, LOG_LINE_MAX_CHARS, type JobLogEnd, type JobLogSkipped } from '@ray-console/shared';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { RayJobDetails } from '../../ray/ray-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { LogLineRelay } from './job-log-lines.js';
import { jobError } from './jobs.service.js';
import { LogWindow } from './log-window.js';
import { tokenScopedKey } from '../../lib/token-scoped-key.js';

export type LogTailEvent =
  | { kind: 'lines'; lines: string[]; id: number }
  | { kind: 'skipped'; skipped: JobLogSkipped; id: number }
  | { kind: 'end'; end: JobLogEnd; id: number };

/** How many live tails may be open, and how much of a log is kept (see LiveTailLimits in config.ts). */
export interface LiveTailsOptions {
  perSession: number;
  perProcess: number;
  /** Sockets to one Ray head's log tail (followers of one job share one). */
  perHead: number;
  windowLines: number;
  /** UTF-8 bytes of the lines kept, plus 16 per line (see {@link LogWindow}). */
  windowBytes: number;
  /** How often, and how long, to ask for the final status once Ray has closed the tail. */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
  /** The longest piece of a line (shared's LOG_LINE_MAX_CHARS unless a test sets a small one). */
  maxLineChars?: number;
}

/** Lines sent in one event at most, so a browser catching up on a long log gets it in pieces. */
const MAX_LINES_PER_EVENT = 1000;
/**
 * UTF-8 bytes in one event at most (beyond its first line): an event is built as one string and written
 * as one buffer, so 1,000 long lines would be 16 MiB at once, held until the browser has read them.
 */
const MAX_BYTES_PER_EVENT = 64 * 1024;

/**
 * One socket to Ray's log tail, shared by every browser of this process that follows the same job with
 * the same token. Ray's dashboard forwards job calls over a pool of at most 100 connections and each
 * open tail holds one, so a socket per browser would let 100 followers stall every other job call on
 * that head.
 *
 * Only a window of the latest lines is kept (so many lines, so many bytes, whichever is smaller): Ray
 * replays the log from its first line on every connection, and a log of gigabytes must not sit in the
 * console's memory for as long as anyone follows. A follower that starts (or resumes with
 * `Last-Event-ID`) before the window, or falls behind it while reading slowly, is told which lines it
 * missed (a `skipped` event whose id is the last of them) and carries on in the window; line numbers stay
 * those of the whole log, so a resume on any replica still lands on the right line. The socket closes
 * when the last follower leaves.
 */
class SharedTail {
  /** The window: lines `window.base`.. of the log (0-based). */
  private readonly window: LogWindow;
  /** Where each of Ray's batches ends (line counts): a follower that has caught up gets them one by one. */
  private batchEnds: number[] = [];
  end: JobLogEnd | undefined;
  /** The socket broke (or the job was not terminal after it closed): followers stop without `end` and reconnect. */
  stopped = false;
  followers = 0;
  private readonly waiters = new Set<() => void>();
  private readonly upstream = new AbortController();

  constructor(
    private readonly hub: LiveTails,
    readonly key: string,
    readonly headKey: string,
    private readonly c: SignedInCluster,
    private readonly jobId: string,
    private readonly options: LiveTailsOptions,
  ) {
    // A cut piece is at most maxLineChars UTF-16 code units and its mark, 3 UTF-8 bytes each at most.
    const maxLineBytes = 3 * ((options.maxLineChars ?? LOG_LINE_MAX_CHARS) + 1);
    this.window = new LogWindow(options.windowLines, options.windowBytes, maxLineBytes);
  }

  /** Lines dropped from the front of the window. */
  get base(): number {
    return this.window.base;
  }

  /** Lines of the log seen so far (dropped or kept). */
  get total(): number {
    return this.window.total;
  }

  /** Opens Ray's socket; an unknown job, a DRIVER job or a rejected token fails here, before any event. */
  async open(): Promise<void> {
    const { ray, credential } = this.c;
    const tail = await ray.openJobLogTail(credential.token, this.jobId, this.upstream.signal).catch((err: unknown) => {
      throw jobError(err, this.jobId);
    });
    this.hub.upstreamOpened(this.headKey);
    void tail.closed.then(() => this.hub.upstreamClosed(this.headKey));
    void this.pump(tail.chunks).finally(() => tail.close());
  }

  private async pump(chunks: AsyncIterable<string>): Promise<void> {
    const relay = new LogLineRelay(0, this.options.maxLineChars);
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
        lines: this.total,
      };
    } catch {
      // The socket broke: followers end without `end`, and their EventSource resumes from its last line.
    } finally {
      this.stopped = this.end === undefined;
      this.hub.forget(this);
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
    for (const line of lines) this.window.push(line);
    this.batchEnds.push(this.total);
    // Forget batches wholly dropped now and then, so this costs O(1) on average.
    if (this.batchEnds.length > 1024 && this.batchEnds[this.batchEnds.length >> 1]! <= this.base) {
      const firstLive = this.batchEnds.findIndex((e) => e > this.base);
      this.batchEnds = firstLive < 0 ? [] : this.batchEnds.slice(firstLive);
    }
    this.wake();
  }

  /** Whether lines `from`..`to` (0-based, `to` exclusive, within the window) are all empty. */
  allEmpty(from: number, to: number): boolean {
    for (let n = from; n < to; n++) if (this.window.lengthOf(n) > 0) return false;
    return true;
  }

  /**
   * The lines from `from` (within the window), as new strings: up to `to` (exclusive), at most
   * {@link MAX_LINES_PER_EVENT} lines and {@link MAX_BYTES_PER_EVENT} bytes, but at least up to the
   * first line with text (an event of one empty line would be dropped). The strings are the follower's
   * own and short-lived: written out as the event, they die young.
   */
  take(from: number, to: number): string[] {
    const end = Math.min(to, from + MAX_LINES_PER_EVENT);
    let bytes = this.window.lengthOf(from);
    let n = from + 1;
    while (n < end) {
      const length = this.window.lengthOf(n);
      if (bytes + length > MAX_BYTES_PER_EVENT && !(bytes === 0 && n === from + 1)) break;
      bytes += length;
      n += 1;
    }
    const lines: string[] = [];
    for (let i = from; i < n; i++) lines.push(this.window.lineAt(i));
    return lines;
  }

  /** The end of the first batch that ends after `position`, or undefined when none has arrived yet. */
  batchEndAfter(position: number): number | undefined {
    let lo = 0;
    let hi = this.batchEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.batchEnds[mid]! <= position) lo = mid + 1;
      else hi = mid;
    }
    return this.batchEnds[lo];
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
      this.hub.forget(this);
      this.upstream.abort();
      this.wake();
    }
  }
}

/**
 * The live tails of one console process: the shared sockets to Ray, the limits on how many may be open,
 * and the counts `/api/metrics` reports. Built by createApp, so a test or a second app has its own.
 *
 * Limits, each answered with 429 `too_many_tails` and a message naming it: tails per session (one
 * browser cannot hold the replica's share), tails per process (memory: each shared tail keeps a window),
 * and sockets per Ray head (Ray's dashboard has about 100 connections for every job call, so tails must
 * leave room for job lists, submits and stops; a follower joining a socket already open needs none).
 */
export class LiveTails {
  /** Tails being shared, by cluster, job and a hash of the token (a follower never joins another token's tail). */
  private readonly shared = new Map<string, { tail: SharedTail; ready: Promise<void> }>();
  private readonly perSession = new Map<string, number>();
  /** Sockets open or opening, by head (its dashboard URL). */
  private readonly perHead = new Map<string, number>();
  /** Sockets open to Ray heads' `/api/jobs/{id}/logs/tail`. */
  openUpstreamSockets = 0;
  /** Tails being relayed to browsers. */
  openTails = 0;

  constructor(private readonly options: LiveTailsOptions) {}

  /**
   * Follows a job's log from line `from` on, for the session `owner`. It resolves once Ray's tail socket
   * is open (or joined), so a limit, an unknown job, a DRIVER job or a rejected token is an ordinary error
   * before any event is sent. The events are lines, numbered from the start of the log (see
   * {@link LogLineRelay}); a `skipped` event for lines no longer in the window; and, when Ray closes the
   * tail normally, an `end` with the job's final status, which is asked for because Ray's close carries
   * none. When the socket breaks, or the job is somehow not terminal yet, the events stop without `end`,
   * and the browser reconnects.
   */
  async open(
    c: SignedInCluster,
    jobId: string,
    from: number,
    owner: string,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<LogTailEvent>> {
    const { perSession, perProcess, perHead } = this.options;
    if ((this.perSession.get(owner) ?? 0) >= perSession) {
      throw new AppError(
        'too_many_tails',
        `This session already follows ${perSession} live logs (LIVE_TAILS_PER_SESSION); close a log you no longer watch, or download the log instead.`,
        undefined,
        { params: { scope: 'session', limit: perSession } },
      );
    }
    if (this.openTails >= perProcess) {
      throw new AppError(
        'too_many_tails',
        `This console replica already relays ${perProcess} live logs (LIVE_TAILS_PER_PROCESS); try again in a minute, or download the log instead.`,
        undefined,
        { params: { scope: 'replica', limit: perProcess } },
      );
    }
    const key = tokenScopedKey(c.cluster.id, c.credential.token, jobId);
    let entry = this.shared.get(key);
    if (!entry) {
      const headKey = c.ray.endpoint.baseUrl;
      if ((this.perHead.get(headKey) ?? 0) >= perHead) {
        throw new AppError(
          'too_many_tails',
          `This console already has ${perHead} live logs open to the cluster "${c.cluster.displayName}" (LIVE_TAILS_PER_HEAD), the most it opens so that Ray's pool of about 100 job connections stays free for other job calls; try again when one has ended, or download the log instead.`,
          undefined,
          { params: { scope: 'cluster', limit: perHead } },
        );
      }
      const tail = new SharedTail(this, key, headKey, c, jobId, this.options);
      // Counted from the moment it is asked for, so followers arriving together cannot overshoot the cap.
      this.count(this.perHead, headKey, 1);
      const ready = tail.open();
      entry = { tail, ready };
      this.shared.set(key, entry);
      ready.catch(() => {
        this.count(this.perHead, headKey, -1);
        this.forget(tail);
      });
    }
    const { tail } = entry;
    tail.followers += 1;
    this.openTails += 1;
    this.count(this.perSession, owner, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      signal.removeEventListener('abort', release);
      this.openTails -= 1;
      this.count(this.perSession, owner, -1);
      tail.leave();
    };
    // Also when the answer closes: a generator that was never started runs no `finally`.
    signal.addEventListener('abort', release, { once: true });
    try {
      await entry.ready;
    } catch (err) {
      release();
      throw err;
    }
    if (signal.aborted) release();
    return follow(tail, from, signal, release);
  }

  upstreamOpened(_headKey: string): void {
    this.openUpstreamSockets += 1;
  }

  upstreamClosed(headKey: string): void {
    this.openUpstreamSockets -= 1;
    this.count(this.perHead, headKey, -1);
  }

  forget(tail: SharedTail): void {
    if (this.shared.get(tail.key)?.tail === tail) this.shared.delete(tail.key);
  }

  private count(map: Map<string, number>, key: string, by: number): void {
    const n = (map.get(key) ?? 0) + by;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
  }
}

async function* follow(
  tail: SharedTail,
  from: number,
  signal: AbortSignal,
  release: () => void,
): AsyncGenerator<LogTailEvent> {
  let position = from;
  try {
    for (;;) {
      if (signal.aborted) return;
      if (position < tail.base) {
        // Lines the window no longer holds: say which, and carry on at the window's start.
        const skipped = { from: position + 1, to: tail.base };
        position = tail.base;
        yield { kind: 'skipped', skipped, id: position };
        continue;
      }
      // The rest of the batch the follower is in (a resume may start mid-batch), merged with the
      // batches after it while it holds only empty lines: EventSource drops an event with empty data.
      let next = tail.batchEndAfter(position);
      while (next !== undefined && tail.allEmpty(position, next)) {
        const after = tail.batchEndAfter(next);
        if (after === undefined) break;
        next = after;
      }
      if (next !== undefined && (!tail.allEmpty(position, next) || tail.end || tail.stopped)) {
        const lines = tail.take(position, next);
        position += lines.length;
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
    release();
  }
}

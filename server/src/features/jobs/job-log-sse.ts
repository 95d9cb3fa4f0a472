import { once } from 'node:events';
import type { Request, Response } from 'express';
import type { JobLogClosed } from '@ray-console/shared';
import { isAppError } from '../../lib/app-error.js';
import type { LogTailEvent } from './job-log-stream.js';

export interface SseOptions {
  /** Comment lines on an idle stream, so proxies do not close it; also how often `stillReads` is asked. */
  heartbeatMs: number;
  /** Whether the session may still read the log; a reason ends the stream with a `closed` event. */
  stillReads: () => Promise<JobLogClosed | undefined>;
  /** Aborts the tail's events (they were opened with its signal) once the stream is closed. */
  stop: AbortController;
}

/**
 * Writes the live tail as Server-Sent Events (format in `JOB_LOG_EVENTS` in shared/). A failure after
 * the first byte ends the stream without an `end` event, so EventSource reconnects and resumes. On every
 * heartbeat the session is checked again: once it has signed out (here or on another replica), been
 * signed out of the cluster, or expired, a `closed` event says why and nothing more is written, so no
 * byte reaches the browser more than one heartbeat after the sign-out.
 */
export async function sendLogEvents(
  req: Request,
  res: Response,
  events: AsyncGenerator<LogTailEvent>,
  { heartbeatMs, stillReads, stop }: SseOptions,
): Promise<void> {
  const gone = stop.signal;
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // nginx and similar proxies buffer answers unless told not to.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const write = async (text: string) => {
    if (gone.aborted || res.writableEnded) return;
    if (!res.write(text)) await once(res, 'drain', { signal: gone }).catch(() => undefined);
  };
  await write('retry: 2000\n\n');
  let checking = false;
  const heartbeat = setInterval(() => {
    if (checking) return;
    checking = true;
    void stillReads()
      .then(async (closed) => {
        if (!closed) return write(': keep-alive\n\n');
        if (!gone.aborted && !res.writableEnded) res.end(`event: closed\ndata: ${JSON.stringify(closed)}\n\n`);
        stop.abort();
      })
      .finally(() => (checking = false));
  }, heartbeatMs);
  let signOut: unknown;
  try {
    for await (const event of events) {
      if (gone.aborted) break;
      if (event.kind === 'lines') {
        await write(`id: ${event.id}\n${event.lines.map((l) => `data: ${l}\n`).join('')}\n`);
      } else if (event.kind === 'skipped') {
        await write(`event: skipped\nid: ${event.id}\ndata: ${JSON.stringify(event.skipped)}\n\n`);
      } else {
        await write(`event: end\nid: ${event.id}\ndata: ${JSON.stringify(event.end)}\n\n`);
      }
    }
  } catch (err) {
    // A token the head stopped accepting must still sign the cluster out (ClusterAccess does, on the way up).
    if (isAppError(err, 'token_rejected', 'token_missing')) signOut = err;
    else if (!gone.aborted) {
      req.log?.warn(
        { code: isAppError(err) ? err.code : 'internal' },
        'job log tail broke off; the browser will resume it',
      );
    }
  } finally {
    clearInterval(heartbeat);
    await events.return(undefined);
    if (!res.writableEnded) res.end();
  }
  if (signOut) throw signOut;
}

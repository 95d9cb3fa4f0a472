import { once } from 'node:events';
import type { Response } from 'express';
import type { JobLogClosed } from '@ray-console/shared';

export interface SseStreamOptions {
  /** Comment lines on an idle stream, so proxies do not close it; also how often `stillReads` is asked. */
  heartbeatMs: number;
  /** Whether the session may still read the stream; a reason ends it with a `closed` event. */
  stillReads: () => Promise<JobLogClosed | undefined>;
  /** Aborted once the stream is over (closed here, or the browser left): whatever feeds it stops. */
  stop: AbortController;
}

export interface SseStream {
  /** Writes one or more events; waits while the browser is behind (backpressure), never ahead of it. */
  write(text: string): Promise<void>;
  /** Stops the heartbeat and ends the answer (if it has not ended). */
  close(): void;
}

/**
 * Opens a Server-Sent Events answer: the headers (no caching, no proxy buffering), EventSource's retry
 * delay, and a heartbeat that also asks, each time, whether the session may still read. Once it may not
 * (signed out here or on another replica, signed out of the cluster, expired), a `closed` event says why
 * and nothing more is written, so no byte reaches the browser more than one heartbeat after a sign-out.
 * The log streams (a job's live tail, a worker's or node's log) write their events through it.
 */
export async function openSseStream(
  res: Response,
  { heartbeatMs, stillReads, stop }: SseStreamOptions,
): Promise<SseStream> {
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
  return {
    write,
    close() {
      clearInterval(heartbeat);
      if (!res.writableEnded) res.end();
    },
  };
}

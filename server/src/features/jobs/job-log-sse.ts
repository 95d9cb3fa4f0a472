import type { Request, Response } from 'express';
import { isAppError } from '../../lib/app-error.js';
import { openSseStream, type SseStreamOptions } from '../../lib/sse-stream.js';
import type { LogTailEvent } from './job-log-stream.js';

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
  { heartbeatMs, stillReads, stop }: SseStreamOptions,
): Promise<void> {
  const gone = stop.signal;
  const { write, close } = await openSseStream(res, { heartbeatMs, stillReads, stop });
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
    await events.return(undefined);
    close();
  }
  if (signOut) throw signOut;
}

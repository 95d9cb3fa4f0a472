import type { Request, Response } from 'express';
import { LogLineSplitter, type LogStreamEnd } from '@ray-console/shared';
import { openSseStream, type SseStreamOptions } from '../../lib/sse-stream.js';

/** Lines sent in one event at most, so a long log arrives in pieces. */
const LINES_PER_EVENT = 200;

export interface LogSseOptions extends SseStreamOptions {
  /** Lines the browser already has (from `Last-Event-ID` or `?from=`): they are not sent again. */
  skip: number;
}

/**
 * Relays a log Ray streams as Server-Sent Events in the job log viewer's format (see LogStreamEnd in
 * shared/): lines numbered from the first line Ray sent, `end` when Ray closes the log, `closed` once
 * the session may no longer read it (checked on every heartbeat). A break after the first byte ends
 * the stream without `end`, so the browser's EventSource reconnects and resumes after the lines it has.
 */
export async function sendLogSse(
  req: Request,
  res: Response,
  body: ReadableStream<Uint8Array>,
  { skip, heartbeatMs, stillReads, stop }: LogSseOptions,
): Promise<void> {
  const gone = stop.signal;
  const { write, close } = await openSseStream(res, { heartbeatMs, stillReads, stop });
  const splitter = new LogLineSplitter();
  const decoder = new TextDecoder();
  let seen = 0;
  const send = async (lines: string[]) => {
    const fresh = lines.slice(Math.max(0, Math.min(lines.length, skip - seen)));
    seen += lines.length;
    for (let i = 0; i < fresh.length; i += LINES_PER_EVENT) {
      const part = fresh.slice(i, i + LINES_PER_EVENT);
      const id = seen - fresh.length + i + part.length;
      await write(`id: ${id}\n${part.map((l) => `data: ${l}\n`).join('')}\n`);
    }
  };
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  gone.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await send(splitter.push(decoder.decode(value, { stream: true })));
    }
    await send([...splitter.push(decoder.decode()), ...splitter.end()]);
    const end: LogStreamEnd = { lines: seen };
    await write(`event: end\nid: ${seen}\ndata: ${JSON.stringify(end)}\n\n`);
  } catch (err) {
    if (!gone.aborted)
      req.log?.warn({ err: (err as Error).message }, 'log stream broke off; the browser will resume it');
  } finally {
    gone.removeEventListener('abort', cancel);
    cancel();
    close();
  }
}

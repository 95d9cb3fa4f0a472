import { JobLogClosed, JobLogSkipped } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import type { LogStore } from './log-store';

/**
 * A live tail over Server-Sent Events (a job's log, a node's file: the BFF sends both the same way). Every event carries the count of lines delivered so far as its
 * id, and EventSource sends it back as Last-Event-ID when it reconnects, so a dropped connection resumes
 * without losing or repeating a line (whichever console replica answers).
 */
export function followLogStream(
  store: LogStore,
  streamPath: string,
  signal: AbortSignal,
  /** Loads the log the plain way (which also says why the stream was refused). */
  loadWhole: () => void,
): void {
  const source = api.eventSource(streamPath);
  signal.addEventListener('abort', () => source.close());
  source.onopen = () => store.setState({ kind: 'streaming' });
  source.onmessage = (event: MessageEvent<string>) => store.appendLines(event.data.split('\n'));
  // The console keeps only the latest lines of a log it relays: a marker row stands for the rest.
  source.addEventListener('skipped', (event) => {
    const skipped = parseJson(JobLogSkipped, (event as MessageEvent<string>).data);
    if (skipped) store.appendSkipped(skipped.from, skipped.to);
  });
  // The session can no longer read the log (signed out here or in another tab, expired): stop, and say why.
  source.addEventListener('closed', (event) => {
    source.close();
    const closed = parseJson(JobLogClosed, (event as MessageEvent<string>).data);
    store.setState({ kind: 'error', reason: 'closed', detail: closed?.message });
  });
  source.addEventListener('end', (event) => {
    let status: string | undefined;
    try {
      status = (JSON.parse((event as MessageEvent<string>).data) as { status?: string }).status;
    } catch {
      status = undefined;
    }
    source.close();
    store.setState(status ? { kind: 'ended', status } : { kind: 'ended' });
  });
  source.onerror = () => {
    if (signal.aborted) return;
    if (source.readyState === EventSource.CONNECTING) {
      store.setState({ kind: 'reconnecting' });
      return;
    }
    // The stream was refused (signed out, unknown job): load the log the plain way, which also says why.
    source.close();
    if (store.lines.length === 0) loadWhole();
    else store.setState({ kind: 'error', reason: 'stopped' });
  };
}

/** An event's JSON data, checked against its schema from shared/ (undefined when it does not fit). */
function parseJson<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  text: string,
): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

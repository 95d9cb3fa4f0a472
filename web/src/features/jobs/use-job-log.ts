import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { JobLogClosed, JobLogSkipped } from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { LogStore } from '../logs/log-store';

const logPath = (clusterId: string, jobId: string) =>
  `/api/clusters/${encodeURIComponent(clusterId)}/jobs/${encodeURIComponent(jobId)}/logs`;

export const logDownloadHref = (clusterId: string, jobId: string) => `${logPath(clusterId, jobId)}?download=1`;

/** The complete log, streamed: lines appear while the rest is still arriving. */
async function loadFullLog(store: LogStore, path: string, signal: AbortSignal): Promise<void> {
  store.setState({ kind: 'streaming' });
  try {
    await api.streamText(path, (chunk) => store.appendText(chunk), signal);
    store.setState({ kind: 'ended' });
  } catch (err) {
    if (signal.aborted) return;
    store.setState({ kind: 'error', message: err instanceof Error ? err.message : 'The log could not be loaded.' });
  }
}

/**
 * The live tail over Server-Sent Events. Every event carries the count of lines delivered so far as its
 * id, and EventSource sends it back as Last-Event-ID when it reconnects, so a dropped connection resumes
 * without losing or repeating a line (whichever console replica answers).
 */
function followLiveLog(store: LogStore, path: string, signal: AbortSignal): void {
  const source = api.eventSource(`${path}/stream`);
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
    store.setState({ kind: 'error', message: closed?.message ?? 'The live log was closed; sign in again.' });
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
    if (store.lines.length === 0) void loadFullLog(store, path, signal);
    else store.setState({ kind: 'error', message: 'The live log stopped; reload to see the rest.' });
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

/** The lines of a job's log: followed live while the job runs, loaded whole once it has finished. */
export function useJobLog(clusterId: string, jobId: string, live: boolean): { store: LogStore; version: number } {
  // One store per log; the effect (re)fills it, starting from empty so a second run never repeats lines.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new log (cluster, job or mode) needs a new store.
  const store = useMemo(() => new LogStore(), [clusterId, jobId, live]);
  useEffect(() => {
    store.reset();
    const controller = new AbortController();
    const path = logPath(clusterId, jobId);
    if (live) followLiveLog(store, path, controller.signal);
    else void loadFullLog(store, path, controller.signal);
    return () => controller.abort();
  }, [store, clusterId, jobId, live]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  return { store, version };
}

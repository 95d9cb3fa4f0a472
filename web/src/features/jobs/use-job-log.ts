import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { api } from '../../lib/api-client';
import { followLogStream } from '../logs/follow-log-stream';
import { LogStore } from '../logs/log-store';
import { jobLogPath } from './paths';

export const logDownloadHref = (clusterId: string, jobId: string) => `${jobLogPath(clusterId, jobId)}?download=1`;

/** The complete log, streamed: lines appear while the rest is still arriving. */
async function loadFullLog(store: LogStore, path: string, signal: AbortSignal): Promise<void> {
  store.setState({ kind: 'streaming' });
  try {
    await api.streamText(path, (chunk) => store.appendText(chunk), signal);
    store.setState({ kind: 'ended' });
  } catch (err) {
    if (signal.aborted) return;
    store.setState({ kind: 'error', reason: 'failed', error: err });
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
    const path = jobLogPath(clusterId, jobId);
    if (live) {
      // A deep link asked for the whole log before it knew the job runs (route-pages.tsx): not needed.
      api.dropEarlyText(path);
      followLogStream(
        store,
        `${path}/stream`,
        controller.signal,
        () => void loadFullLog(store, path, controller.signal),
      );
    } else void loadFullLog(store, path, controller.signal);
    return () => controller.abort();
  }, [store, clusterId, jobId, live]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  return { store, version };
}

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { api } from '../../lib/api-client';
import { followLogStream } from './follow-log-stream';
import { LogStore } from './log-store';

/**
 * One log from the BFF (a node's file, a task's or an actor's log): its last lines loaded whole, or
 * followed live. The failure is kept as it came (an ApiError), so the page can tell "this Ray version
 * cannot serve it" apart from a failed load.
 */
export function useLogFile(
  paths: { file: string; stream: string },
  follow: boolean,
): { store: LogStore; version: number; error: unknown } {
  const [error, setError] = useState<{ for: string; error: unknown }>();
  const key = `${follow ? paths.stream : paths.file}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new log or mode needs a new store.
  const store = useMemo(() => new LogStore(), [key]);
  useEffect(() => {
    store.reset();
    const controller = new AbortController();
    const loadWhole = () => {
      store.setState({ kind: 'streaming' });
      api
        .streamText(paths.file, (chunk) => store.appendText(chunk), controller.signal)
        .then(() => store.setState({ kind: 'ended' }))
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          setError({ for: key, error: err });
          store.setState({
            kind: 'error',
            message: err instanceof Error ? err.message : 'The log could not be loaded.',
          });
        });
    };
    if (follow) followLogStream(store, paths.stream, controller.signal, loadWhole);
    else loadWhole();
    return () => controller.abort();
  }, [store, key, follow, paths.file, paths.stream]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  return { store, version, error: error?.for === key ? error.error : undefined };
}

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { api } from '../../lib/api-client';
import { ApiError } from '../../lib/api-error';
import { followLogStream } from './follow-log-stream';
import { LogStore } from './log-store';

/** How often, and how far apart, a log Ray does not know yet is asked for again. */
const NOT_FOUND_TRIES = 6;
const NOT_FOUND_DELAY_MS = 2_000;

/**
 * One log from the BFF (a node's file, a task's or an actor's log): its last lines loaded whole, or
 * followed live. The failure is kept as it came (an ApiError), so the page can tell "this Ray version
 * cannot serve it" apart from a failed load.
 *
 * A task's or actor's log is found through Ray's task events, which reach the GCS a moment after the task
 * ends: a link followed right after a failure can meet "no such log". With `retryNotFound` such an answer
 * is asked again a few times before it is shown, so the page recovers by itself.
 */
export function useLogFile(
  paths: { file: string; stream: string },
  follow: boolean,
  { retryNotFound = false }: { retryNotFound?: boolean } = {},
): { store: LogStore; version: number; error: unknown; retrying: boolean } {
  const [failure, setFailure] = useState<{ for: string; error: unknown }>();
  const [tries, setTries] = useState<{ for: string; n: number }>();
  const logKey = follow ? paths.stream : paths.file;
  const attempt = tries?.for === logKey ? tries.n : 0;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new log, mode or attempt needs a new store.
  const store = useMemo(() => new LogStore(), [logKey, attempt]);
  useEffect(() => {
    store.reset();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loadWhole = () => {
      store.setState({ kind: 'streaming' });
      api
        .streamText(paths.file, (chunk) => store.appendText(chunk), controller.signal)
        .then(() => store.setState({ kind: 'ended' }))
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          if (retryNotFound && err instanceof ApiError && err.code === 'not_found' && attempt + 1 < NOT_FOUND_TRIES) {
            timer = setTimeout(() => setTries({ for: logKey, n: attempt + 1 }), NOT_FOUND_DELAY_MS);
            return;
          }
          setFailure({ for: logKey, error: err });
          store.setState({ kind: 'error', reason: 'failed', error: err });
        });
    };
    if (follow) followLogStream(store, paths.stream, controller.signal, loadWhole);
    else loadWhole();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [store, logKey, follow, paths.file, paths.stream, retryNotFound, attempt]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const error = failure?.for === logKey ? failure.error : undefined;
  return { store, version, error, retrying: attempt > 0 && error === undefined && store.lines.length === 0 };
}

import { useEffect, useState } from 'react';

/**
 * A part of a page in a chunk of its own, fetched once it is wanted (once; again after a failure).
 * `usePart(wanted)` gives the module once it is there and `undefined` until then, and throws a chunk
 * that cannot be fetched to the nearest ErrorBoundary, which offers the reload (script-load-error.tsx).
 * Like route-pages.tsx's pages, not React.lazy: a module already loaded is drawn at once.
 */
export function lazyPart<M>(importPart: () => Promise<M>) {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const load = () =>
    (loading ??= importPart().then(
      (module) => (loaded = module),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    ));
  function usePart(wanted: boolean): M | undefined {
    const [part, setPart] = useState(() => loaded);
    const [failure, setFailure] = useState<{ error: unknown }>();
    useEffect(() => {
      if (!wanted || part) return;
      let current = true;
      load().then(
        (module) => current && setPart(() => module),
        (error: unknown) => current && setFailure({ error }),
      );
      return () => {
        current = false;
      };
    }, [wanted, part]);
    if (failure) throw failure.error;
    return part;
  }
  return { load, usePart };
}

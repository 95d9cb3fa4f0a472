import { useEffect, useState } from 'react';
import { ErrorPanel } from './error-panel';

const RELOADED_AT = 'ray-console:reloaded-for-missing-script';

/**
 * A page's script (a lazily loaded chunk) could not be fetched. Browsers word it differently (Chromium
 * "Failed to fetch dynamically imported module", Firefox "error loading dynamically imported module",
 * Safari "Importing a module script failed"; Vite's preloader "Unable to preload").
 */
export function isScriptLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|importing a module script|unable to preload/i.test(error.message)
  );
}

function reloadedRecently(): boolean {
  try {
    return Date.now() - Number(sessionStorage.getItem(RELOADED_AT) ?? 0) < 30_000;
  } catch {
    return true; // Storage refused: never reload by ourselves; the panel's button still does.
  }
}

/**
 * Usually a newer console was deployed and the old chunk names are gone, so the page reloads once by
 * itself, which fetches the new index.html and chunks. If it did so within the last 30 seconds (the
 * chunk is still missing, or the network is down), it says so and offers the reload instead of
 * reloading forever. Retrying without a reload cannot help: React.lazy keeps the failed import.
 */
export function ScriptLoadError() {
  const [reloading] = useState(() => !reloadedRecently());
  useEffect(() => {
    if (!reloading) return;
    try {
      sessionStorage.setItem(RELOADED_AT, String(Date.now()));
    } catch {
      // Without storage the next failure shows the panel (reloadedRecently says true).
    }
    window.location.reload();
  }, [reloading]);

  if (reloading) return <p aria-busy="true">Loading the latest version of the console…</p>;
  return (
    <ErrorPanel
      title="This page could not be loaded"
      error={new Error('Its script could not be fetched: the console may have been updated, or the network is down.')}
      onRetry={() => window.location.reload()}
    />
  );
}

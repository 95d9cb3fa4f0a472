import { useEffect, useState } from 'react';
import { useT } from '../i18n/use-t';

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

/**
 * Whether this page load was itself a reload. Asked of the browser's own navigation record, so nothing
 * is kept in its storage (which holds no more than preferences): after the one automatic reload the
 * page is a reload, and a script that is still missing gets the panel instead of another reload.
 */
function loadedByReload(): boolean {
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return navigation?.type === 'reload';
}

/**
 * Usually a newer console was deployed and the old chunk names are gone, so the page reloads once by
 * itself, which fetches the new index.html and chunks. If this page is already the result of a reload
 * (the chunk is still missing, or the network is down), it says so and offers the reload instead of
 * reloading forever. Retrying without a reload cannot help: the failed import stays failed.
 */
export function ScriptLoadError() {
  const { t } = useT('common');
  const [reloading] = useState(() => !loadedByReload());
  useEffect(() => {
    if (reloading) window.location.reload();
  }, [reloading]);

  if (reloading) return <p aria-busy="true">{t('scriptLoad.reloading')}</p>;
  return (
    <div className="panel panel-error" role="alert">
      <strong>{t('scriptLoad.title')}</strong>
      <p>{t('scriptLoad.text')}</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('errorPanel.retry')}
      </button>
    </div>
  );
}

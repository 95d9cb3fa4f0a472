import { useEffect } from 'react';
import { matchPath, useLocation } from 'react-router';
import { pages, type PageName } from './route-pages';

/** From each page, the pages a user most likely opens next (first matching pattern wins). */
const nextPages: [pattern: string, next: PageName[]][] = [
  ['/', ['overview', 'jobs']],
  ['/clusters/:clusterId', ['jobs', 'audit']],
  ['/clusters/:clusterId/jobs', ['job', 'submit']],
  ['/clusters/:clusterId/jobs/new', ['job']],
  // A job's page leads to the log of its failing worker.
  ['/clusters/:clusterId/jobs/:jobId', ['log', 'jobs']],
  ['/clusters/:clusterId/logs', ['log']],
  ['/clusters/:clusterId/audit', ['jobs']],
];

/**
 * Once the current page has drawn and the browser is idle, fetches the chunks of the pages likely to be
 * opened next, so following a link does not wait for a script. A failed prefetch is ignored: the
 * navigation loads the chunk again and reports a failure where the user sees it.
 */
export function usePrefetchNextPages(): void {
  const { pathname } = useLocation();
  const next = nextPages.find(([pattern]) => matchPath(pattern, pathname))?.[1];
  const key = next?.join(',') ?? '';
  useEffect(() => {
    if (!key) return;
    const prefetch = () => key.split(',').forEach((name) => void pages[name as PageName].load().catch(() => undefined));
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(prefetch, { timeout: 2000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(prefetch, 200);
    return () => clearTimeout(timer);
  }, [key]);
}

import type { ComponentType } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { matchPath } from 'react-router';
import { clusterListQuery } from '../features/clusters/api';
import { jobLogPath, jobPath } from '../features/jobs/paths';
import type { Namespace } from '../i18n/catalogs';
import { loadNamespaces } from '../i18n/i18n';
import { useT } from '../i18n/use-t';
import { api } from '../lib/api-client';
import { lazyPart } from '../lib/lazy-part';

/**
 * A page in a chunk of its own, with its catalogs. `load` fetches the chunk and, beside it, the
 * page's catalogs in the current language (once; again after a failure); `Page` draws
 * it, at once when it is loaded already, and otherwise shows a loading line until it is. Not
 * React.lazy: a lazy component suspends on its first render even when its module is loaded, and React
 * holds back the content that replaces a Suspense fallback until 300 ms after the fallback appeared
 * (measured: a deep link to a job's log drew its page 300 ms after the chunk and the job had arrived).
 * A state update is drawn as soon as it is made. A chunk that cannot be fetched is thrown to the
 * nearest ErrorBoundary, which offers the reload (script-load-error.tsx).
 */
function pageChunk(importPage: () => Promise<ComponentType>, namespaces: readonly Namespace[]) {
  const part = lazyPart(() => Promise.all([importPage(), loadNamespaces(namespaces)]).then(([page]) => page));
  function Page() {
    const { t } = useT('common');
    const Loaded = part.usePart(true);
    return Loaded ? <Loaded /> : <p aria-busy="true">{t('loading')}</p>;
  }
  return { load: part.load, Page };
}

/**
 * The pages that are not in the first script, each loaded on the first visit, or earlier: by
 * preloadPageAt on a deep link, and by prefetch-next.ts while the user is still on the page before.
 * The cluster list and the sign-in prompt are in the first script: everyone starts there, and it must
 * stay small (docs/benchmarks.md, "Initial load").
 */
export const pages = {
  overview: pageChunk(() => import('../features/resources/overview-page').then((m) => m.OverviewPage), ['resources']),
  jobs: pageChunk(() => import('../features/jobs/jobs-page').then((m) => m.JobsPage), ['jobs']),
  submit: pageChunk(() => import('../features/jobs/submit-job-page').then((m) => m.SubmitJobPage), ['jobs']),
  // The job's details and its log viewer are one chunk: the log is what that page is opened for.
  job: pageChunk(
    () => import('../features/jobs/job-detail-page').then((m) => m.JobDetailPage),
    ['jobs', 'debug', 'logs', 'taskTiming'],
  ),
  audit: pageChunk(() => import('../features/audit/audit-page').then((m) => m.AuditPage), ['audit']),
  logs: pageChunk(() => import('../features/logs/logs-page').then((m) => m.LogsPage), ['logs']),
  log: pageChunk(() => import('../features/logs/log-page').then((m) => m.LogPage), ['logs']),
  serve: pageChunk(() => import('../features/serve/serve-page').then((m) => m.ServePage), ['serve', 'serveReplicas']),
  rayServices: pageChunk(
    () => import('../features/kuberay-services/rayservices-page').then((m) => m.RayServicesPage),
    ['kuberayServices'],
  ),
  rayService: pageChunk(
    () => import('../features/kuberay-services/rayservice-page').then((m) => m.RayServicePage),
    ['kuberayServices'],
  ),
  newCluster: pageChunk(
    () => import('../features/kuberay-create/new-cluster-page').then((m) => m.NewClusterPage),
    ['kuberayCreate'],
  ),
  raycluster: pageChunk(
    () => import('../features/kuberay-cluster/raycluster-page').then((m) => m.RayClusterPage),
    ['kuberayCluster'],
  ),
  kubeIdentity: pageChunk(
    () => import('../features/kuberay-identity/kube-identity-page').then((m) => m.KubeIdentityPage),
    ['kubeIdentity'],
  ),
};

export type PageName = keyof typeof pages;

/** The page each cluster URL opens (the first matching pattern wins: `jobs/new` before `jobs/:jobId`). */
const pageAt: [pattern: string, page: PageName][] = [
  ['/clusters/:clusterId', 'overview'],
  ['/clusters/:clusterId/jobs', 'jobs'],
  ['/clusters/:clusterId/jobs/new', 'submit'],
  ['/clusters/:clusterId/jobs/:jobId', 'job'],
  ['/clusters/:clusterId/audit', 'audit'],
  ['/clusters/:clusterId/logs', 'logs'],
  ['/clusters/:clusterId/logs/view', 'log'],
  ['/clusters/:clusterId/serve', 'serve'],
  ['/kubernetes/rayservices', 'rayServices'],
  ['/kubernetes/rayservices/:namespace/:name', 'rayService'],
  ['/kubernetes/new-cluster', 'newCluster'],
  ['/kubernetes/rayclusters/:namespace/:name', 'raycluster'],
  ['/kubernetes/identity', 'kubeIdentity'],
];

/**
 * On the first load, asks for the cluster list at once, before React has drawn anything; on a page
 * inside a cluster, also starts what that page needs beside the list rather than after it (the cluster
 * frame waits for the list before it draws the page): the page's chunk, and on a job's page the job
 * (asked for at once, parsed when the chunk with its schema has arrived) and its whole log (read by the
 * log viewer if the job has finished, dropped if it runs). Without this, a deep link to a job's log
 * waits in a chain: script, cluster list, chunk, job, log. A request made while signed out fails quietly here and is
 * asked again after the sign-in, which clears the cluster's cached queries.
 */
export function preloadPageAt(pathname: string, queryClient: QueryClient): void {
  const found = pageAt.map(([pattern, name]) => ({ name, match: matchPath(pattern, pathname) })).find((p) => p.match);
  // matchPath leaves the URL's escapes in the params (the router's useParams decodes them).
  const clusterId = decoded(found?.match?.params.clusterId);
  const jobId = decoded(found?.match?.params.jobId);
  // A job's data first: the browser opens only a few connections at once, and the log takes the longest.
  if (found?.name === 'job' && clusterId && jobId) {
    const answer = api.early(jobPath(clusterId, jobId));
    // The log too: a finished job's log is read whole, and that request needs nothing but the URL.
    // A running job's is followed live instead, and this one is dropped (use-job-log.ts).
    api.earlyText(jobLogPath(clusterId, jobId));
    void import('../features/jobs/api')
      .then(({ prefetchJobDetail }) => prefetchJobDetail(queryClient, clusterId, jobId, answer))
      .catch(() => undefined);
  }
  // Every page starts with the cluster list (the list itself, or the sign-in state a cluster's frame needs).
  void queryClient.prefetchQuery(clusterListQuery());
  if (found) void pages[found.name].load().catch(() => undefined);
}

/** A URL segment decoded, or undefined when it is missing or badly escaped (then nothing is preloaded). */
function decoded(segment: string | undefined): string | undefined {
  try {
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

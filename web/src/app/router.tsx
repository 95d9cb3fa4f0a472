import { Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { AppShell } from '../components/app-shell';
import { ErrorBoundary } from '../components/error-boundary';
import { ClusterLayout } from '../features/clusters/cluster-layout';
import { ClusterListPage } from '../features/clusters/cluster-list-page';
import { usePrefetchNextPages } from './prefetch-next';
import { AuditPage, JobDetailPage, JobsPage, OverviewPage, SubmitJobPage } from './route-pages';

/**
 * Routes compose features; every cluster page's URL carries the cluster id, so links can be shared.
 * The cluster list and the cluster frame (with its sign-in prompt) are in the first script; the pages
 * inside a cluster load on demand (route-pages.ts) under the frame's Suspense boundary. Declarative
 * routes rather than a data router: this app loads its data with TanStack Query, and the data router
 * would add 16 KB (gzip) to the first script.
 */
export function AppRoutes() {
  usePrefetchNextPages();
  return (
    <AppShell>
      <ErrorBoundary>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Routes>
            <Route index element={<ClusterListPage />} />
            <Route path="clusters/:clusterId" element={<ClusterLayout />}>
              <Route index element={<OverviewPage />} />
              <Route path="jobs" element={<JobsPage />} />
              <Route path="jobs/new" element={<SubmitJobPage />} />
              <Route path="jobs/:jobId" element={<JobDetailPage />} />
              <Route path="audit" element={<AuditPage />} />
            </Route>
            <Route path="*" element={<p className="panel">This page does not exist. Go back to the cluster list.</p>} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </AppShell>
  );
}

import { Route, Routes } from 'react-router';
import { AppShell } from '../components/app-shell';
import { ErrorBoundary } from '../components/error-boundary';
import { NotFoundPage } from '../components/not-found-page';
import { ClusterLayout } from '../features/clusters/cluster-layout';
import { ClusterListPage } from '../features/clusters/cluster-list-page';
import { usePrefetchNextPages } from './prefetch-next';
import { pages } from './route-pages';

/**
 * Routes compose features; every cluster page's URL carries the cluster id, so links can be shared.
 * The cluster list and the cluster frame (with its sign-in prompt) are in the first script; the pages
 * inside a cluster load on demand (route-pages.tsx). Declarative routes rather than a data router:
 * this app loads its data with TanStack Query, and the data router would add 16 KB (gzip) to the
 * first script.
 */
export function AppRoutes() {
  usePrefetchNextPages();
  return (
    <AppShell>
      <ErrorBoundary>
        <Routes>
          <Route index element={<ClusterListPage />} />
          <Route path="clusters/:clusterId" element={<ClusterLayout />}>
            <Route index element={<pages.overview.Page />} />
            <Route path="jobs" element={<pages.jobs.Page />} />
            <Route path="jobs/new" element={<pages.submit.Page />} />
            <Route path="jobs/:jobId" element={<pages.job.Page />} />
            <Route path="logs" element={<pages.logs.Page />} />
            <Route path="logs/view" element={<pages.log.Page />} />
            <Route path="serve" element={<pages.serve.Page />} />
            <Route path="audit" element={<pages.audit.Page />} />
          </Route>
          <Route path="kubernetes/rayservices" element={<pages.rayServices.Page />} />
          <Route path="kubernetes/rayservices/:namespace/:name" element={<pages.rayService.Page />} />
          <Route path="kubernetes/new-cluster" element={<pages.newCluster.Page />} />
          {/* Outside the cluster's pages: a RayCluster still being created has no head to sign in to. */}
          <Route path="kubernetes/rayclusters/:namespace/:name" element={<pages.raycluster.Page />} />
          <Route path="kubernetes/identity" element={<pages.kubeIdentity.Page />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </ErrorBoundary>
    </AppShell>
  );
}

import { createBrowserRouter, Outlet } from 'react-router';
import { AppShell } from '../components/app-shell';
import { ErrorBoundary } from '../components/error-boundary';
import { AuditPage } from '../features/audit/audit-page';
import { ClusterLayout } from '../features/clusters/cluster-layout';
import { ClusterListPage } from '../features/clusters/cluster-list-page';
import { JobDetailPage } from '../features/jobs/job-detail-page';
import { JobsPage } from '../features/jobs/jobs-page';
import { SubmitJobPage } from '../features/jobs/submit-job-page';
import { LogPage } from '../features/logs/log-page';
import { LogsPage } from '../features/logs/logs-page';
import { OverviewPage } from '../features/resources/overview-page';
import { ServePage } from '../features/serve/serve-page';

function Root() {
  return (
    <AppShell>
      <ErrorBoundary>
        <Outlet />
      </ErrorBoundary>
    </AppShell>
  );
}

/** Routes compose features; every cluster page's URL carries the cluster id, so links can be shared. */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <Root />,
    children: [
      { index: true, element: <ClusterListPage /> },
      {
        path: 'clusters/:clusterId',
        element: <ClusterLayout />,
        children: [
          { index: true, element: <OverviewPage /> },
          { path: 'jobs', element: <JobsPage /> },
          { path: 'jobs/new', element: <SubmitJobPage /> },
          { path: 'jobs/:jobId', element: <JobDetailPage /> },
          { path: 'logs', element: <LogsPage /> },
          { path: 'logs/view', element: <LogPage /> },
          { path: 'serve', element: <ServePage /> },
          { path: 'audit', element: <AuditPage /> },
        ],
      },
      { path: '*', element: <p className="panel">This page does not exist. Go back to the cluster list.</p> },
    ],
  },
]);

import { lazy } from 'react';

/**
 * The pages that are not in the first script. Each is a chunk of its own, loaded on the first visit
 * (React.lazy) or earlier by prefetch-next.ts, while the user is still on the page before; a second
 * import() of the same module is answered from the browser's module map. The cluster list and the
 * sign-in prompt are in the first script: everyone starts there, and it must stay small
 * (docs/benchmarks.md, "Initial load").
 */
export const pages = {
  overview: () => import('../features/resources/overview-page').then((m) => ({ default: m.OverviewPage })),
  jobs: () => import('../features/jobs/jobs-page').then((m) => ({ default: m.JobsPage })),
  submit: () => import('../features/jobs/submit-job-page').then((m) => ({ default: m.SubmitJobPage })),
  // The job's details and its log viewer are one chunk: the log is what that page is opened for.
  job: () => import('../features/jobs/job-detail-page').then((m) => ({ default: m.JobDetailPage })),
  audit: () => import('../features/audit/audit-page').then((m) => ({ default: m.AuditPage })),
};

export type PageName = keyof typeof pages;

export const OverviewPage = lazy(pages.overview);
export const JobsPage = lazy(pages.jobs);
export const SubmitJobPage = lazy(pages.submit);
export const JobDetailPage = lazy(pages.job);
export const AuditPage = lazy(pages.audit);

import { test as base, expect } from '@playwright/test';
import { ClusterListPage } from '../pages/cluster-list-page';
import { TokenPrompt } from '../pages/token-prompt';
import { OverviewPage } from '../pages/overview-page';
import { JobsPage } from '../pages/jobs-page';
import { SubmitJobForm } from '../pages/submit-job-page';
import { JobDetailPage } from '../pages/job-detail-page';
import { JobDebug } from '../pages/job-debug';
import { LogPage } from '../pages/log-page';
import { wordsFor, type Words } from './words';

export interface RayHeadFacts {
  token: string;
  dashboardUrl: string;
  /** `ray.cluster_resources()["CPU"]`, read straight from the head. */
  cpus(): Promise<number>;
}

export const test = base.extend<{
  /** The console's words in this project's language (en-US or zh-CN). */
  words: Words;
  rayHead: RayHeadFacts;
  clusterList: ClusterListPage;
  tokenPrompt: TokenPrompt;
  overview: OverviewPage;
  jobsPage: JobsPage;
  submitForm: SubmitJobForm;
  jobDetail: JobDetailPage;
  jobDebug: JobDebug;
  logPage: LogPage;
}>({
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
  words: async ({ locale }, use) => use(wordsFor(locale)),
  rayHead: async ({}, use) => {
    const token = process.env.E2E_RAY_TOKEN!;
    const dashboardUrl = process.env.E2E_RAY_DASHBOARD_URL!;
    await use({
      token,
      dashboardUrl,
      cpus: async () => {
        const res = await fetch(`${dashboardUrl}/api/v0/nodes?limit=100`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as {
          data: { result: { result: { state: string; resources_total: Record<string, number> }[] } };
        };
        return body.data.result.result
          .filter((n) => n.state === 'ALIVE')
          .reduce((sum, n) => sum + (n.resources_total.CPU ?? 0), 0);
      },
    });
  },
  clusterList: async ({ page, words }, use) => use(new ClusterListPage(page, words)),
  tokenPrompt: async ({ page, words }, use) => use(new TokenPrompt(page, words)),
  overview: async ({ page, words }, use) => use(new OverviewPage(page, words)),
  jobsPage: async ({ page, words }, use) => use(new JobsPage(page, words)),
  submitForm: async ({ page, words }, use) => use(new SubmitJobForm(page, words)),
  jobDetail: async ({ page, words }, use) => use(new JobDetailPage(page, words)),
  jobDebug: async ({ page }, use) => use(new JobDebug(page)),
  logPage: async ({ page }, use) => use(new LogPage(page)),
});

export { expect };

import type { APIRequestContext } from '@playwright/test';
import type { ClusterList } from '@ray-console/shared';
import { NewRayClusterPage } from '../pages/new-raycluster-page';
import { RayClusterPage } from '../pages/raycluster-page';
import { expect, test as base } from './fixtures';
import { KubeAdmin } from './kube-admin';
import { journeyClusterName, KUBERAY_ENV } from './kuberay';

export { expect };

/** The e2e fixtures, plus the Kubernetes journeys' own: the API server's administrator and this project's names. */
export const test = base.extend<{
  /** The test API server as its administrator (what an operator with kubectl does behind the console). */
  kubeAdmin: KubeAdmin;
  /** The RayCluster this language project's journey creates (support/kuberay.ts). */
  journeyCluster: string;
  newRayCluster: NewRayClusterPage;
  rayClusterPage: RayClusterPage;
}>({
  kubeAdmin: async ({}, use) =>
    use(new KubeAdmin(process.env[KUBERAY_ENV.server]!, process.env[KUBERAY_ENV.adminToken]!)),
  journeyCluster: async ({}, use, testInfo) => use(journeyClusterName(testInfo.project.name)),
  newRayCluster: async ({ page, words }, use) => use(new NewRayClusterPage(page, words)),
  rayClusterPage: async ({ page, words }, use) => use(new RayClusterPage(page, words)),
});

/**
 * Waits until the console's discovery has found the RayCluster `namespace/name` (it lists every second
 * here). The cluster list page refreshes itself every 15 s; a journey that opens it after this wait sees the
 * cluster on first paint instead of racing that refresh.
 */
export async function discovered(request: APIRequestContext, namespace: string, name: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const clusters = (await (await request.get('/api/clusters')).json()) as ClusterList;
        return clusters.some((c) => c.kubernetes?.namespace === namespace && c.kubernetes.name === name);
      },
      { message: `the console to discover RayCluster ${namespace}/${name}` },
    )
    .toBe(true);
}

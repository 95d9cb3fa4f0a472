import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The Kubernetes journeys (issue 12): the console with Kubernetes discovery, against the real kube-apiserver,
 * the real KubeRay operator and a real Ray head, started by a global setup of their own
 * (support/kuberay-global-setup.ts) so that the other journeys start without a control plane. Both
 * languages run them: each creates a RayCluster of its own (support/kuberay.ts).
 */
export default defineConfig({
  ...base,
  testMatch: /kuberay\.spec\.ts$/,
  testIgnore: undefined,
  globalSetup: './support/kuberay-global-setup.ts',
  outputDir: '../test-results/e2e-kuberay-artifacts',
  projects: [
    { name: 'en-US', use: { locale: 'en-US' } },
    { name: 'zh-CN', use: { locale: 'zh-CN' } },
  ],
});

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/lib/chromium.mjs';

/**
 * E2E journeys in Debian's Chromium (`npx playwright install` cannot download browsers here). The
 * global setup starts a real Ray head and the built console; tests get their address from fixtures.
 */
export default defineConfig({
  testDir: './tests',
  // The Kubernetes journeys need a control plane this setup does not start: playwright.kuberay.config.ts.
  testIgnore: /kuberay\.spec\.ts$/,
  globalSetup: './support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: '../test-results/e2e-artifacts',
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  // The console follows the browser's language. Every journey runs in English; in Simplified Chinese a
  // representative set runs (e2e is the slowest suite, and the job journeys wait on real Ray jobs): the
  // sign-in (first page, token prompt, a BFF error worded from its code, the overview, axe), the job
  // journey (jobs list, submit form and its field messages, live log, search, plural confirmations, stop,
  // clone, delete, axe), the language switch, the single sign-on journey, and the accessibility sweep (every
  // page in both themes with axe, so every page is checked in both languages). Page objects name controls
  // from the catalogs (words.ts).
  projects: [
    { name: 'en-US', use: { locale: 'en-US' } },
    { name: 'zh-CN', use: { locale: 'zh-CN' }, testMatch: /(sign-in|jobs|language|accessibility)\.spec\.ts$/ },
  ],
});

#!/usr/bin/env node
// The README's screenshots: the page of a real job on a local Ray head, once in each language the console
// speaks, saved in docs/screenshots/. Run after `npm run build`:
//
//   node scripts/screenshots.mjs
//
// It starts a Ray head with token auth (the project's virtualenv, loopback ports) and the built console,
// signs in, submits a small job with Ray tasks, waits for it to succeed, and opens its page in Debian's
// Chromium with the browser's language set to en-US and to zh-CN (the console follows it). Chinese needs a
// CJK font (Debian: `apt-get install fonts-wqy-microhei`, or fonts-noto-cjk); without one every character
// would be drawn as a box, so the script refuses to start.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './lib/chromium.mjs';
import { RAY_VERSION, repoRoot } from './lib/paths.mjs';
import { startRayHead } from './lib/ray-head.mjs';
import { startBuiltConsole } from './lib/built-console.mjs';

const outDir = path.join(repoRoot, 'docs', 'screenshots');
// `complete`: the log viewer's state once the whole log is in (web/src/i18n/locales/*/logs.json).
const languages = [
  { locale: 'en-US', file: 'job-detail-en.png', complete: 'Complete' },
  { locale: 'zh-CN', file: 'job-detail-zh-CN.png', complete: '已完整加载' },
];

// A job with a few Ray tasks, so the page shows its progress by function beside its log.
const JOB = `python -c "
import ray
ray.init()
@ray.remote
def square(x):
    return x * x
print('sum of squares:', sum(ray.get([square.remote(i) for i in range(32)])))
"`;

const cjkFonts = (() => {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();
if (!cjkFonts) {
  console.error('No Chinese font: install one (apt-get install fonts-wqy-microhei) and run this again.');
  process.exit(1);
}

const head = await startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION });
const console_ = await startBuiltConsole({ RAY_DASHBOARD_URL: head.dashboardUrl });
const baseUrl = console_.url;
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  mkdirSync(outDir, { recursive: true });
  const jobId = `screenshot_${Date.now()}`;
  for (const [i, { locale, file, complete }] of languages.entries()) {
    const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/clusters/default`);
    const field = page.locator('input[name="token"]');
    await field.fill(head.token);
    await field.press('Enter');
    await page.getByTestId('ray-version').waitFor();
    if (i === 0) {
      // Submitted once, through the console's API with this session (its CSRF token from /api/session).
      const submitted = await page.evaluate(
        async ({ entrypoint, submissionId }) => {
          const session = await (await fetch('/api/session')).json();
          const res = await fetch('/api/clusters/default/jobs', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
            body: JSON.stringify({ entrypoint, submissionId }),
          });
          return res.ok;
        },
        { entrypoint: JOB, submissionId: jobId },
      );
      if (!submitted) throw new Error('The job could not be submitted');
    }
    await page.goto(`${baseUrl}/clusters/default/jobs/${jobId}`);
    await page.getByTestId('job-status').filter({ hasText: 'SUCCEEDED' }).waitFor({ timeout: 120_000 });
    // Opened again once the job has ended, so the page shows the whole log as a later visitor sees it.
    await page.reload();
    await page
      .getByTestId('log-state')
      .filter({ hasText: complete })
      .waitFor()
      .catch(async (err) => {
        await page.screenshot({ path: path.join(os.tmpdir(), `screenshot-failed-${locale}.png`) });
        throw err;
      });
    await page.getByTestId('task-groups').waitFor();
    const target = path.join(outDir, file);
    await page.screenshot({ path: target, fullPage: false });
    console.log(`${path.relative(repoRoot, target)}: ${Math.round(statSync(target).size / 1024)} KB`);
    await context.close();
  }
} finally {
  await browser.close();
  await console_.stop();
  await head.stop();
}

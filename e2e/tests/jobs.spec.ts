import { readFileSync } from 'node:fs';
import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { wordsPattern } from '../support/words';

// A job that prints numbered lines slowly enough to be watched, then sleeps until it is stopped.
const SLOW_JOB = `python -u -c "import time
for i in range(1, 31):
    print(f'tick {i} of 30', flush=True)
    time.sleep(0.3)
time.sleep(600)"`;

test.beforeEach(async ({ page, tokenPrompt, rayHead, overview }) => {
  await page.goto('/clusters/default');
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();
});

test('submit a job from the form, watch its log live, search and download it, stop, clone, resubmit and delete', async ({
  page,
  jobsPage,
  submitForm,
  jobDetail,
  words,
}) => {
  const id = `e2e_${Date.now()}`;
  await page.getByRole('link', { name: words('clusters', 'layout.jobs') }).click();
  await expect(page.getByRole('heading', { name: words('jobs', 'list.title') })).toBeVisible();
  await jobsPage.submitButton().click();
  expect(await seriousViolations(page)).toEqual([]);

  // An empty entrypoint is refused in the browser with a message on the field.
  await submitForm.submit();
  await expect(page.getByText(words('jobs', 'submit.errors.entrypoint'))).toBeVisible();

  await submitForm.entrypoint().fill(SLOW_JOB);
  await submitForm.submissionId().fill(id);
  await submitForm.addEnvVar('GREETING', 'hello');
  await submitForm.submit();

  // The detail page follows the log live: lines arrive while the job runs.
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(jobDetail.status()).toHaveText('RUNNING');
  await expect(jobDetail.logLines()).toContainText('tick 3 of 30');
  await expect(jobDetail.logState()).toHaveText(words('logs', 'viewer.state.streaming'));
  await expect(jobDetail.logLines()).toContainText('tick 30 of 30');
  expect(await seriousViolations(page)).toEqual([]);

  // Search highlights matches and counts them.
  await jobDetail.searchLog('tick 2');
  await expect(jobDetail.matchCount()).toHaveText(
    wordsPattern(words, 'logs', 'viewer.matchOf', { current: '1', total: '(.+)' }),
  );
  await expect(page.locator('mark').first()).toHaveText('tick 2');

  // Download gives the whole log as a file.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: words('logs', 'viewer.download') }).click();
  const download = await downloadPromise;
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toContain('tick 1 of 30');
  expect(text).toContain('tick 30 of 30');

  // Stop it (with a confirmation).
  await jobDetail.confirm(words('jobs', 'detail.stop'), words('jobs', 'detail.stopConfirm'));
  await expect(jobDetail.status()).toHaveText('STOPPED');

  // Clone opens the form filled from the job; resubmit under a new id.
  await page.getByRole('button', { name: words('jobs', 'detail.clone') }).click();
  await expect(submitForm.entrypoint()).toHaveValue(SLOW_JOB);
  await expect(page.getByRole('textbox', { name: submitForm.envVarField('value', 1) })).toHaveValue('hello');
  await submitForm.entrypoint().fill('python -c "print(\'clone ran\')"');
  await submitForm.submit();
  await expect(jobDetail.status()).toHaveText('SUCCEEDED', { timeout: 60_000 });
  await expect(jobDetail.logLines()).toContainText('clone ran');

  // Delete the stopped original: it is gone from the list.
  await page.goto(`/clusters/default/jobs/${id}`);
  await jobDetail.confirm(words('jobs', 'detail.delete'), words('jobs', 'detail.deleteConfirm'));
  await expect(page).toHaveURL(/\/jobs$/);
  await jobsPage.search(id);
  await expect(page.getByText(words('jobs', 'list.noMatch'))).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

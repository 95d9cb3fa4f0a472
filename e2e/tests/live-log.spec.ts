import { seriousViolations } from '../support/axe';
import { JobDetailPage } from '../pages/job-detail-page';
import { expect, test } from '../support/fixtures';

// The global setup runs the console with LOG_TAIL_WINDOW_LINES=100, so a short log already outgrows the
// window. (A live log ending at sign-out is tested against the server in live-tail-limits.test.ts: in a
// browser, the job page's own polling meets the sign-out at about the same time.)

// Fast at first (the log outgrows the window), then slow, so it is still live when the second tab opens.
const CHATTY_JOB = `python -u -c "import time
for i in range(1, 601):
    print(f'tick {i}', flush=True)
    time.sleep(0.02 if i < 300 else 0.3)"`;

test.beforeEach(async ({ page, tokenPrompt, rayHead }) => {
  await page.goto('/clusters/default');
  await tokenPrompt.signIn(rayHead.token);
  await expect(page.getByRole('heading', { name: 'Resources' })).toBeVisible();
});

test('a late joiner of a live log sees which lines it missed, numbered as in the whole log, with a link to the full log', async ({
  page,
  context,
  jobsPage,
  submitForm,
  jobDetail,
  words,
}) => {
  const id = `e2e_live_${Date.now()}`;
  await page.getByRole('link', { name: 'Jobs' }).click();
  await jobsPage.submitButton().click();
  await submitForm.entrypoint().fill(CHATTY_JOB);
  await submitForm.submissionId().fill(id);
  await submitForm.submit();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(jobDetail.logState()).toHaveText('Live');
  // The view follows the end and shows only the rows in sight, so wait on the newest line number shown
  // (each row's own attribute: the row's text runs its number and its line together).
  await expect
    .poll(() =>
      jobDetail
        .logLines()
        .locator('[data-line]')
        .evaluateAll((rows) => Math.max(0, ...rows.map((r) => Number(r.getAttribute('data-line'))))),
    )
    .toBeGreaterThanOrEqual(250);

  // A second tab opens the same job after 250 lines: the console keeps only the latest 100.
  const late = await context.newPage();
  const lateDetail = new JobDetailPage(late, words);
  await late.goto(`/clusters/default/jobs/${id}`);
  await expect(lateDetail.logState()).toHaveText('Live');
  await late.getByRole('button', { name: 'Top', exact: true }).click();
  const marker = late.getByTestId('log-skipped');
  await expect(marker).toContainText(/Lines 1–\d+ are not shown live/);
  await expect(marker.getByRole('link', { name: 'download the full log' })).toBeVisible();
  // The line after the marker keeps its number in the whole log (Ray adds a few lines of its own first).
  const firstKept = Number(/Lines 1–(\d+)/.exec((await marker.textContent()) ?? '')![1]) + 1;
  const whole = (await (await late.request.get(`/api/clusters/default/jobs/${id}/logs`)).text()).split('\n');
  await expect(late.locator(`[data-line="${firstKept}"]`)).toHaveText(`${firstKept}${whole[firstKept - 1]}`);
  expect(await seriousViolations(late)).toEqual([]);
});

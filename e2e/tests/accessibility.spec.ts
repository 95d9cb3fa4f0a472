import type { Page } from '@playwright/test';
import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { ConsoleJobs } from '../support/ray-jobs';

/** Waits until the page has drawn what it loads (no "Loading…" left), then names and checks it. */
async function expectAccessible(page: Page, title: string) {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page).toHaveTitle(title);
  expect(await seriousViolations(page)).toEqual([]);
}

const themeLabel = { light: 'Light', dark: 'Dark' } as const;
/** `--bg` of each theme (web/src/styles.css), as the browser reports the page's background. */
const pageBackground = { light: 'rgb(247, 248, 250)', dark: 'rgb(13, 17, 23)' } as const;

for (const theme of ['light', 'dark'] as const) {
  test(`every page is named and has no serious or critical axe violation in the ${theme} theme`, async ({
    page,
    tokenPrompt,
    rayHead,
  }) => {
    // The opposite system scheme, so the theme picked in the header is what draws the page.
    await page.emulateMedia({ colorScheme: theme === 'light' ? 'dark' : 'light' });
    await page.goto('/');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: themeLabel[theme] });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.locator('html')).toHaveCSS('background-color', pageBackground[theme]);
    await expect(page.getByRole('heading', { name: 'Clusters', level: 1 })).toBeVisible();
    await expectAccessible(page, 'Clusters · Ray Console');

    await page.goto('/clusters/default');
    await expect(tokenPrompt.heading()).toBeVisible();
    await expectAccessible(page, 'Sign in · Default cluster · Ray Console');
    await tokenPrompt.signIn(rayHead.token);
    await expect(page.getByRole('heading', { name: 'Resources' })).toBeVisible();
    await expectAccessible(page, 'Overview · Default cluster · Ray Console');

    // A job that waits for a resource no node has: running, with something in every section.
    const id = `e2e_a11y_${theme}_${Date.now()}`;
    const jobs = new ConsoleJobs(page.request);
    await jobs.submitDebugJob('stuck', id);

    await page.goto('/clusters/default/jobs');
    await expect(page.getByTestId('jobs-table')).toBeVisible();
    await expectAccessible(page, 'Jobs · Default cluster · Ray Console');

    await page.goto('/clusters/default/jobs/new');
    await expect(page.getByRole('heading', { name: 'Submit a job' })).toBeVisible();
    await expectAccessible(page, 'Submit a job · Default cluster · Ray Console');

    await page.goto(`/clusters/default/jobs/${id}`);
    await expect(page.getByRole('log', { name: 'Job log' })).toBeVisible();
    await expectAccessible(page, `Job ${id} · Default cluster · Ray Console`);
    for (const section of ['Failures', 'Waiting', 'Actors']) {
      await page.getByRole('navigation', { name: 'Job sections' }).getByRole('link', { name: section }).click();
      await expect(page).toHaveURL(new RegExp(`tab=${section.toLowerCase()}`));
      await expectAccessible(page, `Job ${id} · Default cluster · Ray Console`);
    }
    // The Stop dialog is named by its own title (the page also holds the Copy as CLI dialog).
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const stop = page.getByRole('dialog', { name: `Stop ${id}?` });
    await expect(stop).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await stop.getByRole('button', { name: 'Stop job' }).click();
    await expect(page.getByTestId('job-status')).toHaveText('STOPPED', { timeout: 60_000 });

    await page.goto('/clusters/default/logs');
    await expect(page.getByTestId('log-groups')).toBeVisible();
    await expectAccessible(page, 'Logs · Default cluster · Ray Console');
    const file = page.getByTestId('log-groups').getByRole('link', { name: 'raylet.out' });
    await file.click();
    await expect(page).toHaveURL(/\/logs\/view\?/);
    await expectAccessible(page, 'raylet.out · Default cluster · Ray Console');

    await page.goto('/clusters/default/serve');
    await expect(page.getByRole('heading', { name: 'Serve' })).toBeVisible();
    await expectAccessible(page, 'Serve · Default cluster · Ray Console');

    await page.goto('/clusters/default/audit');
    await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
    await expectAccessible(page, 'Audit · Default cluster · Ray Console');

    await page.goto('/no/such/page');
    await expect(page.getByRole('link', { name: 'Go back to the cluster list' })).toBeVisible();
    await expectAccessible(page, 'Page not found · Ray Console');
  });
}

test('a theme picked in the header is applied on the next load before the app has drawn anything', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark' });

  // Hold the app's script: what the browser can draw before it runs is what a user would see flash.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const reload = page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveCSS('background-color', pageBackground.dark);
  expect(await page.locator('#root').innerHTML()).toBe('');
  release();
  await reload;
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
});

test('the job list’s filter is in the URL: Back and Forward move between filters, and a link opens the same view', async ({
  page,
  tokenPrompt,
  rayHead,
}) => {
  await page.goto('/clusters/default/jobs');
  await tokenPrompt.signIn(rayHead.token);
  const failed = page.getByRole('button', { name: /^FAILED/ });
  await expect(failed).toHaveAttribute('aria-pressed', 'false');
  await failed.click();
  await expect(page).toHaveURL(/\?status=FAILED$/);
  await expect(failed).toHaveAttribute('aria-pressed', 'true');

  await page.goBack();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(failed).toHaveAttribute('aria-pressed', 'false');
  await page.goForward();
  await expect(failed).toHaveAttribute('aria-pressed', 'true');

  await page.goto('/clusters/default/jobs?status=FAILED&sort=id');
  await expect(failed).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('id');
});

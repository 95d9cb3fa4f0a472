import type { Page } from '@playwright/test';
import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { ConsoleJobs } from '../support/ray-jobs';
import type { Words } from '../support/words';

/** Waits until the page has drawn what it loads (no "Loading…" left), then names and checks it. */
async function expectAccessible(page: Page, title: string) {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(page).toHaveTitle(title);
  expect(await seriousViolations(page)).toEqual([]);
}

/** A page's title as the console builds it: the most specific part first, then the product. */
const titleOf = (words: Words, ...parts: string[]) => [...parts, words('common', 'shell.brand')].join(' · ');
const CLUSTER = 'Default cluster';
/** `--bg` of each theme (web/src/styles.css), as the browser reports the page's background. */
const pageBackground = { light: 'rgb(247, 248, 250)', dark: 'rgb(13, 17, 23)' } as const;

for (const theme of ['light', 'dark'] as const) {
  // In each project's language (en-US and zh-CN): every name the test looks for comes from the catalogs.
  test(`every page is named and has no serious or critical axe violation in the ${theme} theme`, async ({
    page,
    tokenPrompt,
    rayHead,
    words,
  }) => {
    const title = (...parts: string[]) => titleOf(words, ...parts);
    const shell = (key: string, values?: Record<string, string>) => words('shell', `title.${key}`, values);
    // The opposite system scheme, so the theme picked in the header is what draws the page.
    await page.emulateMedia({ colorScheme: theme === 'light' ? 'dark' : 'light' });
    await page.goto('/');
    await page
      .getByRole('combobox', { name: words('shell', 'theme.label') })
      .selectOption({ label: words('shell', `theme.${theme}`) });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.locator('html')).toHaveCSS('background-color', pageBackground[theme]);
    await expect(page.getByRole('heading', { name: words('clusters', 'list.title'), level: 1 })).toBeVisible();
    await expectAccessible(page, title(shell('clusters')));

    await page.goto('/clusters/default');
    await expect(tokenPrompt.heading()).toBeVisible();
    await expectAccessible(page, title(shell('signIn'), CLUSTER));
    await tokenPrompt.signIn(rayHead.token);
    await expect(page.getByRole('heading', { name: words('resources', 'overview.resources') })).toBeVisible();
    await expectAccessible(page, title(shell('overview'), CLUSTER));

    // A job that waits for a resource no node has: running, with something in every section.
    const id = `e2e_a11y_${theme}_${Date.now()}`;
    const jobs = new ConsoleJobs(page.request);
    await jobs.submitDebugJob('stuck', id);

    await page.goto('/clusters/default/jobs');
    await expect(page.getByTestId('jobs-table')).toBeVisible();
    await expectAccessible(page, title(shell('jobs'), CLUSTER));

    await page.goto('/clusters/default/jobs/new');
    await expect(page.getByRole('heading', { name: words('jobs', 'submit.title') })).toBeVisible();
    await expectAccessible(page, title(shell('submit'), CLUSTER));

    await page.goto(`/clusters/default/jobs/${id}`);
    await expect(page.getByRole('log', { name: words('logs', 'viewer.jobLog') })).toBeVisible();
    await expectAccessible(page, title(shell('job', { id }), CLUSTER));
    for (const section of ['failures', 'waiting', 'actors']) {
      await page
        .getByRole('navigation', { name: words('jobs', 'detail.sections') })
        .getByRole('link', { name: words('jobs', `detail.tabs.${section}`) })
        .click();
      await expect(page).toHaveURL(new RegExp(`tab=${section}`));
      await expectAccessible(page, title(shell('job', { id }), CLUSTER));
    }
    // The Stop dialog is named by its own title (the page also holds the Copy as CLI dialog).
    await page.getByRole('button', { name: words('jobs', 'detail.stop'), exact: true }).click();
    const stop = page.getByRole('dialog', { name: words('jobs', 'detail.stopTitle', { id }) });
    await expect(stop).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await stop.getByRole('button', { name: words('jobs', 'detail.stopConfirm') }).click();
    await expect(page.getByTestId('job-status')).toHaveText('STOPPED', { timeout: 60_000 });

    await page.goto('/clusters/default/logs');
    await expect(page.getByTestId('log-groups')).toBeVisible();
    await expectAccessible(page, title(shell('logs'), CLUSTER));
    const file = page.getByTestId('log-groups').getByRole('link', { name: 'raylet.out' });
    await file.click();
    await expect(page).toHaveURL(/\/logs\/view\?/);
    await expectAccessible(page, title('raylet.out', CLUSTER));

    await page.goto('/clusters/default/serve');
    await expect(page.getByRole('heading', { name: words('serve', 'title') })).toBeVisible();
    await expectAccessible(page, title(shell('serve'), CLUSTER));

    await page.goto('/clusters/default/audit');
    await expect(page.getByRole('heading', { name: words('audit', 'title') })).toBeVisible();
    await expectAccessible(page, title(shell('audit'), CLUSTER));

    await page.goto('/no/such/page');
    await expect(page.getByRole('link', { name: words('common', 'notFound.back') })).toBeVisible();
    await expectAccessible(page, title(shell('notFound')));
  });
}

test('a theme picked in the header is applied on the next load before the app has drawn anything', async ({
  page,
  words,
}) => {
  const themeSwitch = page.getByRole('combobox', { name: words('shell', 'theme.label') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await themeSwitch.selectOption({ label: words('shell', 'theme.dark') });

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
  await expect(themeSwitch).toHaveValue('dark');
});

test('the job list’s filter is in the URL: Back and Forward move between filters, and a link opens the same view', async ({
  page,
  tokenPrompt,
  rayHead,
  words,
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
  await expect(page.getByRole('combobox', { name: words('jobs', 'list.sort') })).toHaveValue('id');
});

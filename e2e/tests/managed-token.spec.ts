import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

// A cluster configured with a token file (the head's own, see support/global-setup.ts) and
// `tokenPrompt: false`: a browser that never signed in opens it and its jobs, and never holds the token.

test('a cluster whose token the console holds opens without a prompt, and its jobs page loads', async ({
  page,
  clusterList,
  tokenPrompt,
  rayHead,
}) => {
  await clusterList.open();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Managed cluster' }) });
  await expect(card).toContainText('Token held by the console');
  await expect(card).not.toContainText('Not signed in');

  await clusterList.choose('Managed cluster');
  await expect(page.getByRole('heading', { level: 1, name: 'Managed cluster' })).toBeVisible();
  await expect(tokenPrompt.heading()).toHaveCount(0);
  // No way to a prompt (tokenPrompt: false) and nothing to sign out of.
  await expect(page.getByRole('button', { name: 'Sign in with a token of my own' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out of this cluster' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await expect(page.getByTestId('jobs-table').or(page.getByText('No jobs yet on this cluster.'))).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  const cookies = JSON.stringify(await page.context().cookies());
  const html = await page.content();
  expect(cookies).not.toContain(rayHead.token);
  expect(html).not.toContain(rayHead.token);
});

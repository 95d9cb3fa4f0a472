import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { browserHoldsToken } from '../support/token-places';

test('a user signs in with the cluster token, sees its resources, stays signed in, and signs out', async ({
  page,
  clusterList,
  tokenPrompt,
  overview,
  rayHead,
  words,
}) => {
  await clusterList.open();
  await expect(clusterList.heading()).toBeVisible();
  await clusterList.choose('Default cluster');

  // The prompt a Ray dashboard user knows: masked, submit disabled while empty.
  await expect(tokenPrompt.heading()).toBeVisible();
  await expect(tokenPrompt.field()).toHaveAttribute('type', 'password');
  await expect(tokenPrompt.submit()).toBeDisabled();
  await page.getByRole('button', { name: words('clusters', 'prompt.showToken') }).click();
  await expect(tokenPrompt.field()).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: words('clusters', 'prompt.hideToken') }).click();
  expect(await seriousViolations(page)).toEqual([]);

  // A wrong token is rejected by the head, and the prompt says so in the user's language (from the
  // error's code), with the BFF's English message as the detail.
  await tokenPrompt.signIn('not-the-token');
  await expect(tokenPrompt.alert()).toContainText(words('common', 'errors.code.token_rejected'));
  await expect(tokenPrompt.alert()).toContainText('rejected the token');
  await expect(tokenPrompt.heading()).toBeVisible();

  // The right token opens the overview, whose CPU total is the head's.
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();
  await expect(overview.total('CPU')).toHaveText(String(await rayHead.cpus()));
  await expect(overview.rayVersion()).toHaveText(/^2\.\d+\.\d+$/);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await browserHoldsToken(page, rayHead.token)).toEqual([]);

  // A reload keeps the session (the cookie is opaque; the token stays on the server).
  await page.reload();
  await expect(overview.resourcesHeading()).toBeVisible();
  expect(await browserHoldsToken(page, rayHead.token)).toEqual([]);

  // Signing out brings the prompt back, and the reload after it too.
  await overview.signOutOfCluster();
  await expect(tokenPrompt.heading()).toBeVisible();
  await page.reload();
  await expect(tokenPrompt.heading()).toBeVisible();
});

test('a deep link to a cluster asks for its token first, then shows the page', async ({
  page,
  tokenPrompt,
  overview,
  rayHead,
  words,
}) => {
  await page.goto('/clusters/default');
  await expect(tokenPrompt.heading()).toBeVisible();
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();
  await page.getByRole('button', { name: words('common', 'shell.signOutAll') }).click();
  await expect(page.getByRole('heading', { name: words('clusters', 'list.title') })).toBeVisible();
  await page.goto('/clusters/default');
  await expect(tokenPrompt.heading()).toBeVisible();
});

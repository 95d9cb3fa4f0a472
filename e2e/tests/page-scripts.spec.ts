import { expect, test } from '../support/fixtures';

// The pages inside a cluster are scripts of their own, fetched when first needed. After a deploy the
// old scripts' names are gone, so an open console must recover by loading the new version.
test('a page whose script cannot be fetched reloads the console once, then says so and recovers on Try again', async ({
  page,
  clusterList,
  tokenPrompt,
  overview,
  rayHead,
}) => {
  // As if the console had been redeployed: the jobs page's script (by its hashed name) is gone.
  const jobsScript = /\/assets\/jobs-page-[\w-]+\.js$/;
  await page.route(jobsScript, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
  let fullLoads = 0;
  page.on('load', () => (fullLoads += 1));

  await clusterList.open();
  await clusterList.choose('Default cluster');
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();
  expect(fullLoads).toBe(1);

  await page.getByRole('link', { name: 'Jobs' }).click();
  // It reloaded by itself once (fetching the new index.html), the script is still missing, and it says so
  // inside the cluster's frame instead of reloading again.
  await expect(page.getByRole('alert')).toContainText('This page could not be loaded');
  await expect(page.getByRole('alert')).toContainText('the console may have been updated');
  await expect(page).toHaveURL(/\/clusters\/default\/jobs$/);
  expect(fullLoads).toBe(2);
  await expect(page.getByRole('button', { name: 'Sign out of this cluster' })).toBeVisible();

  await page.unroute(jobsScript);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await overview.signOutOfCluster();
});

test('a deep link to a job asks for the job while the cluster list is still on its way', async ({
  page,
  tokenPrompt,
  overview,
  rayHead,
}) => {
  await page.goto('/clusters/default');
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();

  // The cluster list is held back until the job has been asked for: a page that asked only after the
  // list came back (script, list, page chunk, job, log: one after the other) would never get either.
  const jobPath = '/api/clusters/default/jobs/e2e_not_a_job';
  let jobAsked!: () => void;
  const jobRequested = new Promise<void>((resolve) => (jobAsked = resolve));
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === jobPath) jobAsked();
  });
  await page.route('**/api/clusters', async (route) => {
    await jobRequested;
    await route.continue();
  });

  await page.goto('/clusters/default/jobs/e2e_not_a_job');
  await expect(page.getByRole('alert')).toContainText('e2e_not_a_job');
  await overview.signOutOfCluster();
});

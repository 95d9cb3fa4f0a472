import { AuditTrailPage } from '../pages/audit-trail-page';
import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

test('a user sees the sign-ins of a cluster, the refused one with its reason, on the cluster’s Audit page', async ({
  page,
  clusterList,
  tokenPrompt,
  overview,
  rayHead,
}) => {
  const audit = new AuditTrailPage(page);
  await clusterList.open();
  await clusterList.choose('Default cluster');

  await tokenPrompt.signIn('not-the-cluster-token');
  await expect(tokenPrompt.alert()).toBeVisible();
  await tokenPrompt.signIn(rayHead.token);
  await expect(overview.resourcesHeading()).toBeVisible();

  await audit.tab().click();
  await expect(page).toHaveURL(/\/clusters\/default\/audit$/);
  await expect(audit.heading()).toBeVisible();
  // Newest first: this sign-in, then the refused attempt before it, each from this browser's address.
  await expect(audit.rows().nth(0)).toContainText('Sign-in');
  await expect(audit.rows().nth(0)).toContainText('Succeeded');
  await expect(audit.rows().nth(1)).toContainText('Failed');
  await expect(audit.rows().nth(1)).toContainText('the head rejected the token');
  await expect(audit.rows().nth(0)).toContainText('127.0.0.1');

  expect(await seriousViolations(page)).toEqual([]);
  // The page shows who did what, never the token.
  expect(await page.content()).not.toContain(rayHead.token);

  // A deep link opens the same page (after a reload the session still holds the sign-in).
  await page.reload();
  await expect(audit.heading()).toBeVisible();
  await overview.signOutOfCluster();
});

import type { Browser, Page } from '@playwright/test';
import { startBuiltConsole, type BuiltConsole } from '../../scripts/lib/built-console.mjs';
import { freePort } from '../../scripts/lib/ray-head.mjs';
import { writeClustersConfig } from '../../server/test/support/clusters-config';
import { TEST_CLIENTS, TEST_USERS, type TestUserName } from '../../server/test/support/keycloak';
import { AuditTrailPage } from '../pages/audit-trail-page';
import { expect, test } from '../support/fixtures';

// Two people of different groups through Keycloak's real login page, on a console with roles: alice
// (team-a, operator of "Team A") submits a job; carol (platform-admins, admin) sees "Submitted by" and
// the audit line with alice's name. The console is the built one (server/dist, web/dist), started here
// with roles and single sign-on at the global setup's Keycloak, beside its Ray head.

test.describe.configure({ mode: 'serial' });

let built: BuiltConsole | undefined;
let consoleUrl: string;

test.beforeAll(async () => {
  const dashboardUrl = process.env.E2E_RAY_DASHBOARD_URL!;
  const config = writeClustersConfig(
    [
      { id: 'a', displayName: 'Team A', dashboardUrl },
      { id: 'b', displayName: 'Team B', dashboardUrl },
    ],
    {
      access: {
        clusters: {
          a: [
            { role: 'operator', groups: ['team-a'] },
            { role: 'admin', groups: ['platform-admins'] },
          ],
          b: [{ role: 'admin', groups: ['platform-admins'] }],
        },
      },
    },
  );
  // PUBLIC_URL names the port, so the port is chosen first.
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  built = await startBuiltConsole(
    {
      PUBLIC_URL: consoleUrl,
      RAY_CONSOLE_CONFIG: config,
      OIDC_ISSUER_URL: process.env.E2E_KEYCLOAK_ISSUER!,
      OIDC_CLIENT_ID: TEST_CLIENTS.confidential.clientId,
      OIDC_CLIENT_SECRET: TEST_CLIENTS.confidential.clientSecret,
    },
    { port },
  );
});

test.afterAll(async () => {
  await built?.stop();
});

/** A browser of its own for one person, signed in at Keycloak's real login page; lands on the cluster list. */
async function signedIn(browser: Browser, name: TestUserName): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${consoleUrl}/`);
  // Keycloak's own login form (its ids are the stable part of its theme).
  await expect(page).toHaveURL(/\/realms\/ray-console\/protocol\/openid-connect\/auth/);
  await page.locator('#username').fill(TEST_USERS[name].username);
  await page.locator('#password').fill(TEST_USERS[name].password);
  await page.locator('#kc-login').click();
  await expect(page).toHaveURL(`${consoleUrl}/`);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  return page;
}

async function openCluster(page: Page, displayName: string, token: string): Promise<void> {
  await page.getByRole('link', { name: displayName }).click();
  await page.getByLabel('Authentication Token').fill(token);
  await page.getByLabel('Authentication Token').press('Enter');
  await expect(page.getByRole('navigation', { name: 'Cluster' })).toBeVisible();
}

test('alice submits as an operator; carol, an admin, sees "Submitted by" and the audit line with alice’s name', async ({
  browser,
  rayHead,
}) => {
  const alice = await signedIn(browser, 'alice');
  // Only the cluster her group has a role on, with that role.
  await expect(alice.getByRole('link', { name: 'Team A' })).toBeVisible();
  await expect(alice.getByRole('link', { name: 'Team B' })).toHaveCount(0);
  await expect(alice.getByText('Your role: Operator')).toBeVisible();
  await openCluster(alice, 'Team A', rayHead.token);
  // The trail is for admins; the tab is not offered to an operator.
  await expect(alice.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Audit' })).toHaveCount(0);

  await alice.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Jobs' }).click();
  await alice.getByRole('link', { name: 'Submit a job' }).click();
  await alice.getByLabel('Entrypoint').fill('python -c "import time; time.sleep(300)"');
  await alice.getByRole('button', { name: 'Submit job' }).click();
  await expect(alice).toHaveURL(/\/clusters\/a\/jobs\/raysubmit_/);
  const jobId = decodeURIComponent(new URL(alice.url()).pathname.split('/').pop()!);
  await expect(alice.getByTestId('submitted-by')).toHaveText('Alice Anders');

  const carol = await signedIn(browser, 'carol');
  await expect(carol.getByRole('link', { name: 'Team B' })).toBeVisible();
  await openCluster(carol, 'Team A', rayHead.token);
  await carol.getByRole('navigation', { name: 'Cluster' }).getByRole('link', { name: 'Jobs' }).click();
  const row = carol.locator(`tr[data-job-id="${jobId}"]`);
  await expect(row.getByTestId('submitted-by')).toHaveText('Alice Anders');
  await expect(carol.getByRole('columnheader', { name: 'Submitted by' })).toBeVisible();

  // An admin may stop anyone's job.
  await row.getByRole('link', { name: jobId }).click();
  await carol.getByRole('button', { name: 'Stop', exact: true }).click();
  await carol.getByRole('button', { name: 'Stop job' }).click();
  await expect(carol.getByTestId('job-status')).toHaveText('STOPPED', { timeout: 60_000 });

  const audit = new AuditTrailPage(carol);
  await audit.tab().click();
  await expect(audit.heading()).toBeVisible();
  const submitted = audit.rows().filter({ hasText: 'Submit job' }).filter({ hasText: jobId });
  await expect(submitted).toContainText('Alice Anders');
  await expect(audit.rows().filter({ hasText: 'Stop job' }).filter({ hasText: jobId })).toContainText('Carol Chen');
  // Filtered by alice: only her events.
  await submitted.getByRole('button', { name: 'Alice Anders' }).click();
  await expect(carol.getByRole('status')).toContainText('Only events by Alice Anders');
  await expect(audit.rows().filter({ hasText: 'Carol Chen' })).toHaveCount(0);
  expect(await carol.content()).not.toContain(rayHead.token);
});

import { expect, test } from '../support/fixtures';
import { TEST_USERS } from '../../server/test/support/keycloak';

const oidcConsole = () => process.env.E2E_OIDC_BASE_URL!;

// In each project's language (the zh-CN project runs it too): the header's words come from the catalogs.
test("a person signs in through Keycloak's login page, sees their name, and signs out of both", async ({
  page,
  words,
}) => {
  const alice = TEST_USERS.alice;
  // A deep link before signing in: the console sends the browser to the provider and back to it.
  await page.goto(`${oidcConsole()}/?from=deep-link`);
  await expect(page).toHaveURL(/localhost:\d+\/realms\/ray-console\/protocol\/openid-connect\/auth/);
  // Keycloak's own login form (its ids; the page is the provider's, not ours).
  await page.locator('#username').fill(alice.username);
  await page.locator('#password').fill(alice.password);
  await page.locator('#kc-login').click();

  await expect(page.getByText(words('identity', 'shell.signedInAs', { name: alice.name }))).toBeVisible();
  await expect(page).toHaveURL(`${oidcConsole()}/?from=deep-link`);
  // The console's cookie is HttpOnly: nothing of the sign-in is readable by the page.
  expect(await page.evaluate(() => document.cookie)).toBe('');

  await page.getByRole('button', { name: words('identity', 'shell.signOut'), exact: true }).click();
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  await expect(page).toHaveURL(`${oidcConsole()}/auth/signed-out`);
  // The provider's session ended too: signing in again asks for the password.
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page.locator('#kc-form-login')).toBeVisible();
});

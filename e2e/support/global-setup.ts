import { startBuiltConsole } from '../../scripts/lib/built-console.mjs';
import { RAY_VERSION } from '../../scripts/lib/paths.mjs';
import { freePort, startRayHead } from '../../scripts/lib/ray-head.mjs';
import { writeClustersConfig } from '../../server/test/support/clusters-config';
import { startKeycloak, TEST_CLIENTS } from '../../server/test/support/keycloak';

/** What the tests learn from the setup, through the environment Playwright hands to its workers. */
export const E2E_ENV = {
  baseUrl: 'E2E_BASE_URL',
  token: 'E2E_RAY_TOKEN',
  dashboardUrl: 'E2E_RAY_DASHBOARD_URL',
  /** The `ray` CLI of the head's virtualenv, for commands the console offers to copy. */
  rayCli: 'E2E_RAY_CLI',
  /** A second console, with single sign-on at the test Keycloak (same Ray head). */
  oidcBaseUrl: 'E2E_OIDC_BASE_URL',
  /** The test Keycloak's issuer as the OIDC console uses it, for specs that start a console of their own. */
  keycloakIssuer: 'E2E_KEYCLOAK_ISSUER',
} as const;

/**
 * Starts a real Ray head with token auth, a real Keycloak (the `ray-console` test realm), and two built
 * consoles (server/dist + web/dist, as `npm start` serves them): the anonymous one, and one with single
 * sign-on at Keycloak (E2E_OIDC_BASE_URL); returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const [head, keycloak] = await Promise.all([
    startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION }),
    startKeycloak(),
  ]);
  // The same head once more, as a cluster whose token the console holds (the head's own token file):
  // managed-token.spec.ts opens it without a prompt.
  const clustersFile = writeClustersConfig([
    {
      id: 'managed',
      displayName: 'Managed cluster',
      dashboardUrl: head.dashboardUrl,
      tokenFile: head.tokenFile,
      tokenPrompt: false,
    },
  ]);
  const anonymous = await startBuiltConsole({
    RAY_DASHBOARD_URL: head.dashboardUrl,
    RAY_CONSOLE_CONFIG: clustersFile,
    // Small enough that live-log.spec.ts sees a short log outgrow the window.
    LOG_TAIL_WINDOW_LINES: '100',
  });
  // The provider as `localhost`, the console as 127.0.0.1: two sites to the browser, as in production, so
  // the provider's redirect back comes without the console's SameSite=Strict cookie.
  const oidcPort = await freePort();
  const oidc = await startBuiltConsole(
    {
      RAY_DASHBOARD_URL: head.dashboardUrl,
      OIDC_ISSUER_URL: keycloak.issuer.replace('127.0.0.1', 'localhost'),
      OIDC_CLIENT_ID: TEST_CLIENTS.confidential.clientId,
      OIDC_CLIENT_SECRET: TEST_CLIENTS.confidential.clientSecret,
      PUBLIC_URL: `http://127.0.0.1:${oidcPort}`,
    },
    { port: oidcPort },
  );
  process.env[E2E_ENV.oidcBaseUrl] = oidc.url;
  process.env[E2E_ENV.keycloakIssuer] = keycloak.issuer.replace('127.0.0.1', 'localhost');
  process.env[E2E_ENV.baseUrl] = anonymous.url;
  process.env[E2E_ENV.token] = head.token;
  process.env[E2E_ENV.dashboardUrl] = head.dashboardUrl;
  process.env[E2E_ENV.rayCli] = head.ray;
  process.env.E2E_CONSOLE_LOG = anonymous.log;
  return async () => {
    await Promise.all([anonymous.stop(), oidc.stop()]);
    await Promise.all([head.stop(), keycloak.dispose()]);
  };
}

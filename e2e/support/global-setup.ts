import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RAY_VERSION, repoRoot } from '../../scripts/lib/paths.mjs';
import { freePort, startRayHead } from '../../scripts/lib/ray-head.mjs';
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

async function waitForHealthy(url: string, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The console exited:\n${readFileSync(logFile, 'utf8')}`);
    const ok = await fetch(`${url}/api/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The console did not become healthy at ${url}`);
}

/**
 * Starts a real Ray head with token auth, a real Keycloak (the `ray-console` test realm), and two built
 * consoles (server/dist + web/dist, as `npm start` serves them): the anonymous one, and one with single
 * sign-on at Keycloak (E2E_OIDC_BASE_URL); returns the teardown.
 */
/** The built console as `npm start` runs it, with a fresh SQLite session store; its URL and process. */
async function startConsole(env: Record<string, string>, port?: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-e2e-'));
  const listen = port ?? (await freePort());
  const logFile = path.join(dataDir, 'console.log');
  const out = openSync(logFile, 'a');
  const server = spawn(process.execPath, [path.join(repoRoot, 'server/dist/index.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(listen),
      HOST: '127.0.0.1',
      SESSION_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
      DATA_DIR: dataDir,
      SESSION_STORE: `sqlite:${path.join(dataDir, 'sessions.db')}`,
      WEB_DIST: path.join(repoRoot, 'web/dist'),
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  const url = `http://127.0.0.1:${listen}`;
  await waitForHealthy(url, server, logFile);
  return { url, server, logFile };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const [head, keycloak] = await Promise.all([
    startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION }),
    startKeycloak(),
  ]);
  // The same head once more, as a cluster whose token the console holds (the head's own token file):
  // managed-token.spec.ts opens it without a prompt.
  const clustersFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ray-console-e2e-clusters-')), 'clusters.yaml');
  writeFileSync(
    clustersFile,
    [
      'clusters:',
      '  - id: managed',
      '    displayName: Managed cluster',
      `    dashboardUrl: ${JSON.stringify(head.dashboardUrl)}`,
      `    tokenFile: ${JSON.stringify(head.tokenFile)}`,
      '    tokenPrompt: false',
      '',
    ].join('\n'),
  );
  const {
    url: baseUrl,
    server,
    logFile,
  } = await startConsole({
    RAY_DASHBOARD_URL: head.dashboardUrl,
    RAY_CONSOLE_CONFIG: clustersFile,
    // Small enough that live-log.spec.ts sees a short log outgrow the window.
    LOG_TAIL_WINDOW_LINES: '100',
  });
  // The provider as `localhost`, the console as 127.0.0.1: two sites to the browser, as in production, so
  // the provider's redirect back comes without the console's SameSite=Strict cookie.
  const oidcPort = await freePort();
  const oidc = await startConsole(
    {
      RAY_DASHBOARD_URL: head.dashboardUrl,
      OIDC_ISSUER_URL: keycloak.issuer.replace('127.0.0.1', 'localhost'),
      OIDC_CLIENT_ID: TEST_CLIENTS.confidential.clientId,
      OIDC_CLIENT_SECRET: TEST_CLIENTS.confidential.clientSecret,
      PUBLIC_URL: `http://127.0.0.1:${oidcPort}`,
    },
    oidcPort,
  );
  process.env[E2E_ENV.oidcBaseUrl] = oidc.url;
  process.env[E2E_ENV.keycloakIssuer] = keycloak.issuer.replace('127.0.0.1', 'localhost');
  process.env[E2E_ENV.baseUrl] = baseUrl;
  process.env[E2E_ENV.token] = head.token;
  process.env[E2E_ENV.dashboardUrl] = head.dashboardUrl;
  process.env[E2E_ENV.rayCli] = head.ray;
  process.env.E2E_CONSOLE_LOG = logFile;
  return async () => {
    server.kill('SIGTERM');
    oidc.server.kill('SIGTERM');
    await Promise.all([head.stop(), keycloak.dispose()]);
  };
}

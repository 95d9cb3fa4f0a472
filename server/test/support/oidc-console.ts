import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import type { OidcIdentityOptions } from '../../src/identity/oidc-identity.js';
import { startBff, type RunningBff } from './bff.js';
import { TEST_CLIENTS } from './keycloak.js';

/** A page for the console to serve (and gate), standing in for the built web app. */
function tinyWebDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ray Console</title><div id="root"></div>');
  return dir;
}

/**
 * The console in this process with single sign-on against `issuer` (the test Keycloak's realm), set up
 * through the environment an operator sets: OIDC_* and PUBLIC_URL (the port is chosen first, so the
 * redirect URI names it).
 */
export async function startOidcConsole(
  issuer: string,
  options: {
    client?: 'confidential' | 'public';
    env?: Record<string, string>;
    identityOptions?: OidcIdentityOptions;
  } = {},
): Promise<RunningBff> {
  const port = await freePort();
  const client = options.client ?? 'confidential';
  return startBff(
    {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: TEST_CLIENTS[client].clientId,
      ...(client === 'confidential' ? { OIDC_CLIENT_SECRET: TEST_CLIENTS.confidential.clientSecret } : {}),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      WEB_DIST: tinyWebDist(),
      ...options.env,
    },
    undefined,
    { port, ...(options.identityOptions ? { identityOptions: options.identityOptions } : {}) },
  );
}

import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import type { RunningBff } from '../support/bff.js';
import { BffClient } from '../support/bff-client.js';
import { REALM, startKeycloak, type TestKeycloak } from '../support/keycloak.js';
import { signInAs, TestBrowser } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';
import { waitFor } from '../support/wait.js';

describe('the identity provider is down when the console starts', () => {
  let bff: RunningBff | undefined;
  let keycloak: TestKeycloak | undefined;
  afterAll(async () => {
    await bff?.close();
    await keycloak?.dispose();
  });

  it('starts anyway, says sign-in cannot happen, and signs people in once the provider is up', async () => {
    const port = await freePort();
    bff = await startOidcConsole(`http://127.0.0.1:${port}/realms/${REALM}`, { identityOptions: { maxRetryMs: 1000 } });
    expect((await fetch(`${bff.url}/api/healthz`)).status).toBe(200);
    const page = await new TestBrowser().navigate(`${bff.url}/auth/login`);
    expect(page.status).toBe(503);
    expect(page.text).toContain('cannot be reached right now, so nobody can sign in');
    expect((await new BffClient(bff.url).get('/api/session')).status).toBe(401);
    expect(bff.logs.join('')).toContain('"event":"oidc-discovery-failed"');

    keycloak = await startKeycloak({ port });
    const console = bff;
    await waitFor('the console to find the provider again', async () => {
      const res = await fetch(`${console.url}/auth/login`, { redirect: 'manual' });
      return res.status === 303 && res.headers.get('location')?.startsWith(keycloak!.issuer);
    });
    const { bff: alice } = await signInAs(bff.url, 'alice');
    expect((await alice.get('/api/session')).json()).toMatchObject({ person: { name: 'Alice Anders' } });
    expect(bff.logs.join('')).toContain('"event":"oidc-discovery-recovered"');
  });
});

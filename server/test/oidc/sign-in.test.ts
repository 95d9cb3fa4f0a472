import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionInfo, SignOutResponse } from '@ray-console/shared';
import type { RunningBff } from '../support/bff.js';
import { BffClient } from '../support/bff-client.js';
import { connectKeycloak, TEST_USERS } from '../support/keycloak.js';
import { isKeycloakLoginPage, signInAs, TestBrowser } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';

const keycloak = connectKeycloak(inject('keycloak'));

describe('single sign-on through the real Keycloak (confidential client)', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startOidcConsole(keycloak.issuer);
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('asks for a sign-in before any API route or page, and leaves health checks open', async () => {
    const anonymous = new BffClient(bff.url);
    const session = await anonymous.get('/api/session');
    expect(session.status).toBe(401);
    expect(session.json()).toMatchObject({ error: { code: 'sign_in_required', params: { loginPath: '/auth/login' } } });
    expect((await anonymous.get('/api/clusters')).status).toBe(401);
    const page = await anonymous.get('/clusters/default/jobs?x=1');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/clusters/default/jobs?x=1')}`,
    );
    expect((await anonymous.get('/api/healthz')).status).toBe(200);
    expect((await anonymous.get('/api/readyz')).status).toBe(200);
  });

  it("signs alice in through Keycloak's login page: her name, email and groups, in a new session", async () => {
    const browser = new TestBrowser();
    const loginPage = await browser.navigate(`${bff.url}/auth/login?returnTo=${encodeURIComponent('/clusters')}`);
    expect(isKeycloakLoginPage(loginPage)).toBe(true);
    // The request to the provider carries PKCE, state and nonce; none of them in a cookie of ours.
    const authorize = new URL(browser.visited.find((u) => u.includes('/protocol/openid-connect/auth'))!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const consoleJar = browser.jar(new URL(bff.url).origin);
    expect([...consoleJar.keys()]).toEqual(['ray-console.sid']);
    const before = consoleJar.get('ray-console.sid');

    const landed = await browser.submitKeycloakLogin(loginPage, TEST_USERS.alice);
    expect(landed.url).toBe(`${bff.url}/clusters`);
    // The provider's redirect back came without the SameSite=Strict cookie; the console's own page
    // opened the callback again, with it.
    expect(
      browser.visited
        .filter((u) => u.startsWith(`${bff.url}/auth/callback`))
        .map((u) => new URL(u).searchParams.has('hop')),
    ).toEqual([false, true]);
    expect(landed.status).toBe(200);
    // Session fixation: the session that started the sign-in is not the signed-in one.
    expect(consoleJar.get('ray-console.sid')).not.toBe(before);

    const client = new BffClient(bff.url);
    for (const [k, v] of consoleJar) client.cookies.set(k, v);
    const session = await client.get('/api/session');
    expect(session.status).toBe(200);
    const { person } = session.json<SessionInfo>();
    expect(person).toMatchObject({
      issuer: keycloak.issuer,
      name: 'Alice Anders',
      email: 'alice@example.test',
      groups: ['team-a'],
    });
    expect(person?.subject).toMatch(/^[0-9a-f-]{36}$/);
    // The ID token stays on the server.
    expect(session.text).not.toMatch(/eyJ[\w-]+\.eyJ/);
    // The old session id is worth nothing.
    const planted = new BffClient(bff.url);
    planted.cookies.set('ray-console.sid', before!);
    expect((await planted.get('/api/session')).status).toBe(401);
    // The audit log names her.
    expect(bff.logs.join('')).toMatch(
      /"scope":"console","action":"sign-in","outcome":"success".*"name":"Alice Anders"/,
    );
  });

  it('ends the console session and the provider session at sign-out: the next sign-in shows the login form', async () => {
    const { bff: client, browser } = await signInAs(bff.url, 'bob');
    // While the provider session lasts, a new sign-in goes through without the form (single sign-on).
    const sso = await browser.navigate(`${bff.url}/auth/login`);
    expect(isKeycloakLoginPage(sso)).toBe(false);

    const out = await client.post('/api/logout');
    expect(out.status).toBe(200);
    const { signOutUrl } = out.json<SignOutResponse>();
    expect(signOutUrl).toBeDefined();
    const url = new URL(signOutUrl!);
    expect(url.href.startsWith(`${keycloak.issuer}/protocol/openid-connect/logout`)).toBe(true);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${bff.url}/auth/signed-out`);
    expect(url.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await client.get('/api/session')).status).toBe(401);

    const signedOut = await browser.navigate(signOutUrl!);
    expect(signedOut.url).toBe(`${bff.url}/auth/signed-out`);
    expect(signedOut.text).toContain('You are signed out');
    const again = await browser.navigate(`${bff.url}/auth/login`);
    expect(isKeycloakLoginPage(again)).toBe(true);
    expect(bff.logs.join('')).toMatch(/"scope":"console","action":"sign-out","outcome":"success".*"name":"Bob Berg"/);
  });
});

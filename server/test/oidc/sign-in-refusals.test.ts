import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningBff } from '../support/bff.js';
import { BffClient } from '../support/bff-client.js';
import { connectKeycloak, TEST_CLIENTS, TEST_USERS } from '../support/keycloak.js';
import { isKeycloakLoginPage, signInAs, TestBrowser } from '../support/oidc-browser.js';
import { startOidcConsole } from '../support/oidc-console.js';

const keycloak = connectKeycloak(inject('keycloak'));

/** The provider's redirect back to the console, captured instead of followed. */
async function callbackFor(bff: RunningBff, browser: TestBrowser, user = TEST_USERS.alice): Promise<URL> {
  const stopAt = (u: string) => u.startsWith(`${bff.url}/auth/callback`);
  const first = await browser.navigate(`${bff.url}/auth/login`, { stopAt });
  const back = isKeycloakLoginPage(first) ? await browser.submitKeycloakLogin(first, user, { stopAt }) : first;
  expect(back.status, `expected the redirect back, got ${back.url}`).toBe(0);
  return new URL(back.url);
}

async function signedIn(bff: RunningBff, browser: TestBrowser): Promise<boolean> {
  const client = new BffClient(bff.url);
  for (const [k, v] of browser.jar(new URL(bff.url).origin)) client.cookies.set(k, v);
  return (await client.get('/api/session')).status === 200;
}

const auditLines = (bff: RunningBff) =>
  bff.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((l) => l.includes('"scope":"console"'))
    .map((l) => JSON.parse(l) as { action: string; outcome: string; reason?: string });

/**
 * An ID token Keycloak really issues to another client of the realm (`other-app`) for the person signed
 * in to Keycloak in `browser`, carrying `nonce`: everything as the console expects except the audience.
 */
async function idTokenForOtherApp(browser: TestBrowser, nonce: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = 'http://127.0.0.1:9/other-app/callback';
  const authorize = new URL(`${keycloak.issuer}/protocol/openid-connect/auth`);
  authorize.search = new URLSearchParams({
    client_id: TEST_CLIENTS.other.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: 'other-app',
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = await browser.navigate(authorize.href, { stopAt: (u) => u.startsWith(redirectUri) });
  const code = new URL(back.url).searchParams.get('code');
  if (!code) throw new Error(`other-app got no code: ${back.status} ${back.url}`);
  const res = await fetch(`${keycloak.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: TEST_CLIENTS.other.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  return ((await res.json()) as { id_token: string }).id_token;
}

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('sign-ins the console refuses', () => {
  let bff: RunningBff;
  /** Stands between the console and Keycloak's token endpoint when set: changes the real answer's ID token. */
  let swapIdToken: ((real: string) => string | Promise<string>) | undefined;

  beforeAll(async () => {
    bff = await startOidcConsole(keycloak.issuer, {
      identityOptions: {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const url = input instanceof Request ? input.url : String(input);
          if (!swapIdToken || !url.endsWith('/protocol/openid-connect/token')) return res;
          const body = (await res.json()) as { id_token: string };
          body.id_token = await swapIdToken(body.id_token);
          return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
        },
      },
    });
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('refuses a callback whose state was tampered with, and still accepts the real one', async () => {
    const browser = new TestBrowser();
    const callback = await callbackFor(bff, browser);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const refused = await browser.navigate(tampered.href);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('does not belong to a sign-in started in this browser');
    expect(await signedIn(bff, browser)).toBe(false);

    await browser.navigate(callback.href);
    expect(await signedIn(bff, browser)).toBe(true);
    expect(auditLines(bff)).toContainEqual(
      expect.objectContaining({ action: 'sign-in', outcome: 'failure', reason: 'state_mismatch' }),
    );
  });

  it('refuses a replayed callback, and a used code under a fresh state (the provider refuses it too)', async () => {
    const browser = new TestBrowser();
    const callback = await callbackFor(bff, browser);
    await browser.navigate(callback.href);
    expect(await signedIn(bff, browser)).toBe(true);

    // The same callback again, in the same browser: its sign-in was used up.
    const replay = await browser.navigate(callback.href);
    expect(replay.status).toBe(400);

    // A new console session whose own sign-in comes back (single sign-on) with a fresh state: the old
    // code goes to the provider with it, and the provider refuses a code it has already exchanged.
    browser.jar(new URL(bff.url).origin).clear();
    const fresh = await callbackFor(bff, browser);
    fresh.searchParams.set('code', callback.searchParams.get('code')!);
    const reused = await browser.navigate(fresh.href);
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('refused the sign-in code');
    expect(await signedIn(bff, browser)).toBe(false);
    expect(auditLines(bff)).toContainEqual(
      expect.objectContaining({ action: 'sign-in', outcome: 'failure', reason: 'provider_invalid_grant' }),
    );
  });

  it('refuses an ID token the provider issued to another application (audience)', async () => {
    const browser = new TestBrowser();
    let swapped: Record<string, unknown> | undefined;
    swapIdToken = async (real) => {
      const other = await idTokenForOtherApp(browser, String(claimsOf(real).nonce));
      swapped = claimsOf(other);
      return other;
    };
    try {
      const page = await browser.navigate(`${bff.url}/auth/login`);
      const landed = await browser.submitKeycloakLogin(page, TEST_USERS.alice);
      expect(landed.status).toBe(400);
      expect(swapped).toMatchObject({ aud: TEST_CLIENTS.other.clientId, iss: keycloak.issuer });
      expect(landed.text).toMatch(/ID token does not check out .*aud/);
      expect(await signedIn(bff, browser)).toBe(false);
    } finally {
      swapIdToken = undefined;
    }
  });

  it("refuses an ID token whose signature is not the provider's", async () => {
    // The real token with its signature's last bytes changed: claims, audience, nonce and times all right.
    swapIdToken = (real) => {
      const [header, payload, signature] = real.split('.') as [string, string, string];
      const flipped = signature.slice(0, -6) + (signature.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
      return `${header}.${payload}.${flipped}`;
    };
    try {
      const browser = new TestBrowser();
      const page = await browser.navigate(`${bff.url}/auth/login`);
      const landed = await browser.submitKeycloakLogin(page, TEST_USERS.bob);
      expect(landed.status).toBe(400);
      expect(landed.text).toContain('the ID token is not signed by one of the provider&#39;s keys');
      expect(await signedIn(bff, browser)).toBe(false);
      expect(auditLines(bff)).toContainEqual(
        expect.objectContaining({ action: 'sign-in', outcome: 'failure', reason: 'id_token_signature' }),
      );
    } finally {
      swapIdToken = undefined;
    }
  });
});

describe('an expired ID token', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    // The realm's tokens live 5 minutes; this console's clock runs an hour ahead (openid-client's
    // clockSkew), so every ID token Keycloak issues has expired by the console's clock.
    bff = await startOidcConsole(keycloak.issuer, { identityOptions: { clockSkewSeconds: 3600 } });
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('is refused', async () => {
    const browser = new TestBrowser();
    const page = await browser.navigate(`${bff.url}/auth/login`);
    const landed = await browser.submitKeycloakLogin(page, TEST_USERS.carol);
    expect(landed.status).toBe(400);
    expect(landed.text).toMatch(/ID token does not check out .*exp/);
    expect(await signedIn(bff, browser)).toBe(false);
  });
});

describe('a public client (PKCE, no secret)', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startOidcConsole(keycloak.issuer, { client: 'public' });
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('signs carol in with her groups', async () => {
    const { bff: client } = await signInAs(bff.url, 'carol');
    const session = await client.get('/api/session');
    expect(session.json()).toMatchObject({ person: { name: 'Carol Chen', groups: ['platform-admins'] } });
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';

// Cross-site request protection on every state-changing route, sign-in included. A refused request
// must not have done anything: the tests check the session afterwards.

const head = inject('rayHead');
let bff: RunningBff;

beforeAll(async () => {
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl, ALLOWED_ORIGINS: 'https://proxy.example.com' });
});

afterAll(async () => {
  await bff?.close();
});

const errorCode = (res: { json<T>(): T }) => res.json<{ error: { code: string } }>().error.code;

async function signedInClient(): Promise<BffClient> {
  const client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
  return client;
}

const signedIn = async (client: BffClient) => (await client.get('/api/clusters/default/resources')).status === 200;

describe('CSRF protection', () => {
  it('refuses a sign-in without X-CSRF-Token: 403 csrf, and the session stays signed out', async () => {
    const client = new BffClient(bff.url);
    await client.session();
    const res = await client.post('/api/clusters/default/login', { token: head.token }, { csrf: false });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('csrf');
    expect(await signedIn(client)).toBe(false);
  });

  it('refuses a sign-in without any session (a forged form post has no cookie and no token)', async () => {
    const res = await new BffClient(bff.url).post(
      '/api/clusters/default/login',
      { token: head.token },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('csrf');
  });

  it('refuses a wrong X-CSRF-Token, and the token of another session', async () => {
    const client = new BffClient(bff.url);
    await client.session();
    const other = new BffClient(bff.url);
    await other.session();
    for (const token of ['not-the-token', other.csrfToken ?? '']) {
      const res = await client.post(
        '/api/clusters/default/login',
        { token: head.token },
        { csrf: false, headers: { 'x-csrf-token': token } },
      );
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe('csrf');
    }
    expect(await signedIn(client)).toBe(false);
  });

  it('refuses a write whose Origin is another site, even with the right X-CSRF-Token', async () => {
    const client = await signedInClient();
    for (const origin of ['https://evil.example', 'null', bff.url.replace('127.0.0.1', 'localhost')]) {
      const res = await client.post('/api/clusters/default/logout', undefined, { headers: { origin } });
      expect(res.status, origin).toBe(403);
      expect(errorCode(res)).toBe('csrf');
    }
    expect(await signedIn(client)).toBe(true);
  });

  it('refuses a write the browser marks Sec-Fetch-Site: cross-site, even with the right X-CSRF-Token', async () => {
    const client = await signedInClient();
    const res = await client.post('/api/logout', undefined, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('csrf');
    expect(await signedIn(client)).toBe(true);
  });

  it('refuses sign-out of one cluster and of everything without X-CSRF-Token (no forced sign-out)', async () => {
    const client = await signedInClient();
    for (const path of ['/api/clusters/default/logout', '/api/logout']) {
      const res = await client.post(path, undefined, { csrf: false });
      expect(res.status, path).toBe(403);
      expect(errorCode(res)).toBe('csrf');
    }
    expect(await signedIn(client)).toBe(true);
  });

  it('lets the console’s own page through: same Origin, Sec-Fetch-Site same-origin, and an ALLOWED_ORIGINS origin', async () => {
    const client = new BffClient(bff.url);
    const res = await client.post(
      '/api/clusters/default/login',
      { token: head.token },
      {
        headers: { origin: bff.url, 'sec-fetch-site': 'same-origin' },
      },
    );
    expect(res.status).toBe(200);
    const viaProxy = await client.post('/api/clusters/default/logout', undefined, {
      headers: { origin: 'https://proxy.example.com' },
    });
    expect(viaProxy.status).toBe(204);
  });

  it('does not ask for the token on reads', async () => {
    const client = await signedInClient();
    const res = await client.get('/api/clusters/default/resources', { origin: 'https://evil.example' });
    // Reads change nothing; what keeps another site from reading the answer is SameSite=Strict and CORS.
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

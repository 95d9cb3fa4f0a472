import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { LoginResponse } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { closedPort, startPlainHttpServer, type PlainServer } from '../support/fake-servers.js';

// Signing in to clusters through the BFF, against the real head (and, for the failure cases, a closed
// port and a web server that is not Ray).

const head = inject('rayHead');

let bff: RunningBff;
let notFoundServer: PlainServer;
let htmlServer: PlainServer;

beforeAll(async () => {
  notFoundServer = await startPlainHttpServer(404, '<html><body>404 Not Found</body></html>');
  htmlServer = await startPlainHttpServer(200);
  const config = writeClustersConfig([
    { id: 'down', displayName: 'Nothing listens here', dashboardUrl: `http://127.0.0.1:${await closedPort()}` },
    { id: 'web-404', displayName: 'A web server answering 404', dashboardUrl: notFoundServer.url },
    { id: 'web-html', displayName: 'A web app answering HTML', dashboardUrl: htmlServer.url },
  ]);
  // Enough sign-in attempts for this file; the rate limit has a test (and a BFF) of its own below.
  bff = await startBff({
    RAY_DASHBOARD_URL: head.dashboardUrl,
    RAY_CONSOLE_CONFIG: config,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  });
});

afterAll(async () => {
  await bff?.close();
  await notFoundServer?.close();
  await htmlServer?.close();
});

const errorCode = (res: { json<T>(): T }) => res.json<{ error: { code: string; message: string } }>().error.code;

describe('POST /api/clusters/{id}/login', () => {
  it('signs in with the right token: 200 {id, rayVersion, authMode}', async () => {
    const client = new BffClient(bff.url);
    const res = await client.login('default', head.token);
    expect(res.status).toBe(200);
    const body = z.strictObject(LoginResponse.shape).parse(res.json());
    expect(body).toEqual({ id: 'default', rayVersion: head.version, authMode: 'token' });
  });

  it('accepts the token with the newline a copied token file ends with', async () => {
    const res = await new BffClient(bff.url).login('default', `${head.token}\n`);
    expect(res.status).toBe(200);
  });

  it('mirrors Ray’s 403 for a wrong token: 403 token_rejected, and stays signed out', async () => {
    const client = new BffClient(bff.url);
    const res = await client.login('default', 'not-the-token');
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('token_rejected');
    const resources = await client.get('/api/clusters/default/resources');
    expect(resources.status).toBe(401);
    expect(errorCode(resources)).toBe('signed_out');
  });

  it('answers 400 for an empty or blank token, naming the field', async () => {
    for (const token of ['', '   ', '\n']) {
      const res = await new BffClient(bff.url).login('default', token);
      expect(res.status).toBe(400);
      const { error } = res.json<{ error: { code: string; fields?: Record<string, string> } }>();
      expect(error.code).toBe('validation');
      expect(error.fields).toHaveProperty('token');
    }
  });

  it('answers 400 for a body without a token, or with one that is not a string', async () => {
    const client = new BffClient(bff.url);
    for (const body of [{}, { token: 42 }, { token: null }]) {
      const res = await client.post('/api/clusters/default/login', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(res)).toBe('validation');
    }
  });

  it('answers 404 unknown_cluster for a cluster the console does not know', async () => {
    const res = await new BffClient(bff.url).login('no-such-cluster', head.token);
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('unknown_cluster');
  });

  it('answers 502 ray_unreachable when nothing listens at the dashboard URL', async () => {
    const res = await new BffClient(bff.url).login('down', 'any-token');
    expect(res.status).toBe(502);
    expect(errorCode(res)).toBe('ray_unreachable');
  });

  it('answers 502 not_ray when the URL is a web server that is not a Ray dashboard (404 or HTML)', async () => {
    for (const id of ['web-404', 'web-html']) {
      const res = await new BffClient(bff.url).login(id, 'any-token');
      expect(res.status, id).toBe(502);
      expect(errorCode(res), id).toBe('not_ray');
    }
    expect(notFoundServer.hits()).toBeGreaterThan(0);
    expect(htmlServer.hits()).toBeGreaterThan(0);
  });
});

describe('GET /api/clusters', () => {
  it('lists every cluster with its auth mode as far as it can be known, and the sign-in state', async () => {
    const client = new BffClient(bff.url);
    await client.login('default', head.token);
    const res = await client.get('/api/clusters');
    expect(res.status).toBe(200);
    const list = res.json<{ id: string; authMode: string; signedIn: boolean }[]>();
    const byId = Object.fromEntries(list.map((c) => [c.id, c]));
    expect(byId.default).toMatchObject({ authMode: 'token', signedIn: true });
    expect(byId.down).toMatchObject({ authMode: 'unknown', signedIn: false });
    expect(byId['web-404']).toMatchObject({ authMode: 'unknown', signedIn: false });
    expect(byId['web-html']).toMatchObject({ authMode: 'unknown', signedIn: false });
  });
});

describe('cluster routes without sign-in', () => {
  it('answer 401 signed_out', async () => {
    const client = new BffClient(bff.url);
    for (const id of ['default', 'down', 'web-404']) {
      const res = await client.get(`/api/clusters/${id}/resources`);
      expect(res.status, id).toBe(401);
      expect(errorCode(res), id).toBe('signed_out');
    }
  });
});

describe('sign-in rate limit', () => {
  it('answers the 11th attempt in a minute from one address with 429 and Retry-After (the default limit of 10)', async () => {
    // A BFF of its own with the default limit, so no other test shares its counter.
    const limited = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
    try {
      const client = new BffClient(limited.url);
      for (let i = 1; i <= 10; i++) {
        const res = await client.login('default', `wrong-token-${i}`);
        expect(res.status, `attempt ${i}`).toBe(403);
      }
      // Even the right token is refused now: the limit is on attempts, whatever they carry.
      const eleventh = await client.login('default', head.token);
      expect(eleventh.status).toBe(429);
      expect(errorCode(eleventh)).toBe('rate_limited');
      const retryAfter = Number(eleventh.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A new session from the same address does not reset it.
      expect((await new BffClient(limited.url).login('default', head.token)).status).toBe(429);
      // Other routes are not limited.
      expect((await client.get('/api/clusters')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { RayDashboardClient } from '../../src/ray/ray-dashboard-client.js';

// What a real Ray head does with credentials and browser-like requests: the facts the BFF is built on
// (docs/ray-auth-behaviour.md cites these tests). Plain node:http, so every header sent is one we chose.

const head = inject('rayHead');
const atLeast260 = head.version.localeCompare('2.60.0', undefined, { numeric: true }) >= 0;

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  setCookie: string[];
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${head.dashboardUrl}${path}`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          setCookie: res.headers['set-cookie'] ?? [],
          body: text,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = { authorization: `Bearer ${head.token}` };
// A body Ray's job route refuses (no entrypoint): a 400 proves a POST got past the browser check, and no job runs.
const noEntrypoint = JSON.stringify({ runtime_env: {} });

describe(`Ray ${head.version} dashboard token auth`, () => {
  it('tells anyone the auth mode, without a token', async () => {
    const res = await raw('GET', '/api/authentication_mode');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ authentication_mode: 'token' });
  });

  it('answers /api/version with the token, and reports its version', async () => {
    const res = await raw('GET', '/api/version', bearer);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ version: '4', ray_version: head.version });
  });

  it('answers 401 "Missing authentication token" (text/plain) without a credential, also for an empty header', async () => {
    for (const headers of [{}, { authorization: '' }] as Record<string, string>[]) {
      const res = await raw('GET', '/api/version', headers);
      expect(res.status).toBe(401);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(res.body).toBe('Unauthorized: Missing authentication token');
    }
  });

  it('answers 403 "Invalid authentication token" to a wrong token and to a malformed Authorization value', async () => {
    for (const authorization of [
      'Bearer wrong-token',
      'Bearer ',
      `bearer ${head.token}`,
      `Bearer  ${head.token}`,
      head.token,
      `Basic ${head.token}`,
    ]) {
      const res = await raw('GET', '/api/version', { authorization });
      expect(res.status, authorization.replace(head.token, '<token>')).toBe(403);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(res.body).toBe('Forbidden: Invalid authentication token');
    }
  });

  it('also guards the State API and the jobs API', async () => {
    expect((await raw('GET', '/api/v0/nodes')).status).toBe(401);
    expect((await raw('GET', '/api/jobs/')).status).toBe(401);
    expect((await raw('GET', '/api/cluster_status', { authorization: 'Bearer wrong' })).status).toBe(403);
  });

  it('accepts X-Ray-Authorization when Authorization is absent, but not as a fallback for a wrong one', async () => {
    expect((await raw('GET', '/api/version', { 'x-ray-authorization': `Bearer ${head.token}` })).status).toBe(200);
    expect(
      (
        await raw('GET', '/api/version', {
          authorization: 'Bearer wrong',
          'x-ray-authorization': `Bearer ${head.token}`,
        })
      ).status,
    ).toBe(403);
    expect((await raw('GET', '/api/version', { ...bearer, 'x-ray-authorization': 'Bearer wrong' })).status).toBe(200);
  });

  it('accepts the ray-authentication-token cookie (the raw token) when no header is sent', async () => {
    expect((await raw('GET', '/api/version', { cookie: `ray-authentication-token=${head.token}` })).status).toBe(200);
    expect((await raw('GET', '/api/version', { cookie: 'ray-authentication-token=wrong' })).status).toBe(403);
  });

  it('lets /api/authenticate set an HttpOnly, SameSite=Strict cookie holding the raw token (which is why the console keeps its own session)', async () => {
    const ok = await raw('POST', '/api/authenticate', bearer, '{}');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ status: 'authenticated', message: 'Token is valid' });
    const cookie = ok.setCookie.find((c) => c.startsWith('ray-authentication-token='));
    expect(cookie).toBeDefined();
    expect(cookie).toContain(`ray-authentication-token=${head.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await raw('POST', '/api/authenticate', {}, '{}')).status).toBe(401);
    expect((await raw('POST', '/api/authenticate', { authorization: 'Bearer wrong' }, '{}')).status).toBe(403);
  });

  it('serves the exempt health route /api/gcs_healthz without a token, but has no /api/healthz on the head', async () => {
    expect((await raw('GET', '/api/gcs_healthz')).status).toBe(200);
    expect((await raw('GET', '/api/healthz')).status).toBe(404);
  });

  it('does not need a User-Agent', async () => {
    const res = await raw('POST', '/api/jobs/', { ...bearer, 'content-type': 'application/json' }, noEntrypoint);
    expect(res.status).toBe(400);
  });

  it('answers 405 to a POST that looks like a browser’s: a Mozilla User-Agent or any Sec-Fetch-* header', async () => {
    const cases: Record<string, string>[] = [
      { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
      { 'user-agent': 'ray-console/test', 'sec-fetch-mode': 'cors' },
      { 'user-agent': 'ray-console/test', 'sec-fetch-site': 'same-origin' },
      { 'user-agent': 'ray-console/test', 'sec-fetch-dest': 'empty' },
    ];
    for (const extra of cases) {
      const res = await raw(
        'POST',
        '/api/jobs/',
        { ...bearer, 'content-type': 'application/json', ...extra },
        noEntrypoint,
      );
      expect(res.status, JSON.stringify(extra)).toBe(405);
      expect(res.body).toBe(
        atLeast260 ? "'POST' method not allowed for browser traffic." : 'Method Not Allowed for browser traffic.',
      );
    }
  });

  it(`${atLeast260 ? 'answers 405' : 'does not answer 405'} to a POST carrying only Origin or Referer`, async () => {
    for (const extra of [{ origin: 'http://console.example' }, { referer: 'http://console.example/jobs' }] as Record<
      string,
      string
    >[]) {
      const res = await raw(
        'POST',
        '/api/jobs/',
        { ...bearer, 'content-type': 'application/json', 'user-agent': 'ray-console/test', ...extra },
        noEntrypoint,
      );
      expect(res.status, JSON.stringify(extra)).toBe(atLeast260 ? 405 : 400);
    }
  });

  it('checks the token before the browser rule: a browser-like POST without a token gets 401', async () => {
    const res = await raw(
      'POST',
      '/api/jobs/',
      { 'user-agent': 'Mozilla/5.0', 'content-type': 'application/json' },
      noEntrypoint,
    );
    expect(res.status).toBe(401);
  });

  it('refuses a POST made with Node’s fetch (it always adds Sec-Fetch-Mode: cors), which is why the client does not use fetch', async () => {
    const res = await fetch(`${head.dashboardUrl}/api/jobs/`, {
      method: 'POST',
      headers: { ...bearer, 'user-agent': 'ray-console/test', 'content-type': 'application/json' },
      body: noEntrypoint,
    });
    expect(res.status).toBe(405);
  });

  it('lets the console’s Ray client POST (it sends none of the browser’s headers)', async () => {
    class Probe extends RayDashboardClient {
      post(): Promise<Response> {
        return this.send({ method: 'POST', path: '/api/jobs/', token: head.token, json: { runtime_env: {} } });
      }
    }
    const probe = new Probe(
      { baseUrl: head.dashboardUrl, tokenHeader: 'authorization' },
      { timeoutMs: 10_000, userAgent: 'ray-console/test' },
    );
    // 400 (no entrypoint) from the jobs route itself: the request got past auth and the browser check.
    await expect(probe.post()).rejects.toMatchObject({ code: 'ray_error', status: 400 });
  });
});

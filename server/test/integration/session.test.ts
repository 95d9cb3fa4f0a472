import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterList } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { buildServer, startBffProcess } from '../support/bff-process.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';

// The server-side session as a user meets it: the cookie, sign-in and sign-out, and a session that
// outlives a restart of the console.

const head = inject('rayHead');
let bff: RunningBff;

beforeAll(async () => {
  // Two clusters on the same head, to show that signing out of one leaves the other alone.
  const config = writeClustersConfig([
    { id: 'a', displayName: 'Cluster A', dashboardUrl: head.dashboardUrl },
    { id: 'b', displayName: 'Cluster B', dashboardUrl: head.dashboardUrl },
  ]);
  bff = await startBff({ RAY_CONSOLE_CONFIG: config, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
});

afterAll(async () => {
  await bff?.close();
});

const errorCode = (res: { json<T>(): T }) => res.json<{ error: { code: string } }>().error.code;
const SESSION_COOKIE = 'ray-console.sid';
const CSRF_COOKIE = 'ray-console.csrf';

/** A second browser tab-less client that presents a copy of `client`'s cookies as they are now. */
function withCookiesOf(client: BffClient, baseUrl = client.baseUrl): BffClient {
  const copy = new BffClient(baseUrl);
  for (const [k, v] of client.cookies) copy.cookies.set(k, v);
  return copy;
}

async function expectSignedOut(client: BffClient, clusterId: string): Promise<void> {
  const res = await client.get(`/api/clusters/${clusterId}/resources`);
  expect(res.status, `${clusterId} should be signed out`).toBe(401);
  expect(errorCode(res)).toBe('signed_out');
}

async function expectSignedIn(client: BffClient, clusterId: string): Promise<void> {
  const res = await client.get(`/api/clusters/${clusterId}/resources`);
  expect(res.status, `${clusterId} should be signed in`).toBe(200);
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/, and not Secure on plain http; so is the CSRF cookie of a visitor', async () => {
    const client = new BffClient(bff.url);
    const visit = await client.get('/api/session');
    const signIn = await client.login('a', head.token);
    for (const [res, name] of [
      [visit, CSRF_COOKIE],
      [signIn, SESSION_COOKIE],
    ] as const) {
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
      expect(cookie, name).toBeDefined();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      expect(cookie).not.toMatch(/;\s*Secure/i);
    }
  });

  it('is not stored for a visitor who only looks: 50 cookieless GET /api/session store no session', async () => {
    const rows = () => {
      const db = new Database(path.join(bff.dataDir, 'sessions.db'), { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = rows();
    for (let i = 0; i < 50; i++) {
      const res = await new BffClient(bff.url).get('/api/session');
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    }
    expect(rows() - before).toBeLessThanOrEqual(1);
    // The first write after such a GET still passes the CSRF check: a sign-in stores the session.
    const client = new BffClient(bff.url);
    await client.session();
    expect((await client.login('a', head.token)).status).toBe(200);
    expect(rows() - before).toBe(1);
    await expectSignedIn(client, 'a');
  });

  it('comes with Cache-Control: no-store on every API answer', async () => {
    const client = new BffClient(bff.url);
    await client.login('a', head.token);
    await client.get('/api/clusters/a/resources');
    await client.get('/api/clusters/nope/resources');
    await client.post('/api/clusters/a/logout');
    expect(client.responses.length).toBeGreaterThanOrEqual(5);
    for (const res of client.responses) expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('sign-in', () => {
  it('is needed for every cluster route: 401 signed_out', async () => {
    const client = new BffClient(bff.url);
    await expectSignedOut(client, 'a');
    const clusters = (await client.get('/api/clusters')).json<
      { id: string; signedIn: boolean; signOutReason?: string }[]
    >();
    expect(clusters.map((c) => [c.id, c.signedIn, c.signOutReason])).toEqual([
      ['a', false, undefined],
      ['b', false, undefined],
    ]);
  });

  it('gives the session a new id (no fixation); the id from before sign-in opens nothing', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('a', head.token)).status).toBe(200);
    const before = client.cookies.get(SESSION_COOKIE);
    const beforeCopy = withCookiesOf(client);
    expect(before).toBeDefined();
    expect((await client.login('b', head.token)).status).toBe(200);
    const after = client.cookies.get(SESSION_COOKIE);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    await expectSignedIn(client, 'a');
    await expectSignedIn(client, 'b');
    await expectSignedOut(beforeCopy, 'a');
  });

  it('gives the session a new CSRF token: the one from before is refused, the new one comes with the answer', async () => {
    const client = new BffClient(bff.url);
    await client.session();
    const before = client.csrfToken!;
    const res = await client.login('a', head.token);
    expect(res.status).toBe(200);
    const renewed = res.headers.get('x-csrf-token');
    expect(renewed).toBeTruthy();
    expect(renewed).not.toBe(before);
    expect((await client.get('/api/session')).json<{ csrfToken: string }>().csrfToken).toBe(renewed);
    // Again at the next sign-in, to another cluster of the same session.
    const second = await client.login('b', head.token);
    expect(second.headers.get('x-csrf-token')).not.toBe(renewed);
    for (const stale of [before, renewed!]) {
      const refused = await client.post('/api/clusters/a/logout', undefined, {
        csrf: false,
        headers: { 'x-csrf-token': stale },
      });
      expect(refused.status).toBe(403);
      expect(errorCode(refused)).toBe('csrf');
    }
    await expectSignedIn(client, 'a');
    expect((await client.post('/api/clusters/a/logout')).status).toBe(204);
    await expectSignedOut(client, 'a');
  });

  it('is listed by GET /api/session and GET /api/clusters', async () => {
    const client = new BffClient(bff.url);
    await client.login('b', head.token);
    const session = (await client.get('/api/session')).json<{
      clusters: { id: string; signedIn: boolean; rayVersion?: string }[];
    }>();
    expect(session.clusters).toEqual([{ id: 'b', signedIn: true, rayVersion: head.version }]);
    const clusters = ClusterList.parse((await client.get('/api/clusters')).json());
    expect(clusters.find((c) => c.id === 'b')?.signedIn).toBe(true);
    expect(clusters.find((c) => c.id === 'a')?.signedIn).toBe(false);
    // Where Ray's own CLI reaches the cluster (for "Copy as CLI"): the configured address, told only
    // to a session signed in to that cluster.
    expect(clusters.find((c) => c.id === 'b')?.dashboardAddress).toEqual({
      url: head.dashboardUrl,
      inClusterOnly: false,
    });
    expect(clusters.find((c) => c.id === 'a')?.dashboardAddress).toBeUndefined();
  });
});

describe('sign-out', () => {
  it('of one cluster (204) forgets that cluster only, for the same cookie too', async () => {
    const client = new BffClient(bff.url);
    await client.login('a', head.token);
    await client.login('b', head.token);
    const res = await client.post('/api/clusters/a/logout');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    await expectSignedOut(client, 'a');
    await expectSignedIn(client, 'b');
    const clusters = (await client.get('/api/clusters')).json<
      { id: string; signedIn: boolean; signOutReason?: string }[]
    >();
    expect(clusters.find((c) => c.id === 'a')).toMatchObject({ signedIn: false });
    expect(clusters.find((c) => c.id === 'a')?.signOutReason).toBeUndefined();
    expect((await client.get('/api/session')).json<{ clusters: { id: string }[] }>().clusters.map((c) => c.id)).toEqual(
      ['b'],
    );
    // Signing out of a cluster one is not signed in to is fine too.
    expect((await client.post('/api/clusters/a/logout')).status).toBe(204);
    expect((await client.post('/api/clusters/nope/logout')).status).toBe(404);
  });

  it('of everything (204) ends the session: the old cookie opens nothing', async () => {
    const client = new BffClient(bff.url);
    await client.login('a', head.token);
    await client.login('b', head.token);
    const oldCookie = withCookiesOf(client);
    const res = await client.post('/api/logout');
    expect(res.status).toBe(204);
    for (const id of ['a', 'b']) {
      await expectSignedOut(oldCookie, id);
      await expectSignedOut(client, id);
    }
    expect((await oldCookie.get('/api/session')).json<{ clusters: unknown[] }>().clusters).toEqual([]);
  });
});

describe('a restart of the console', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-restart-'));
  const SECRET_A = 'restart-test-secret-A-0123456789abcdef';
  const SECRET_B = 'restart-test-secret-B-0123456789abcdef';
  // Only what an operator sets; the session store defaults to DATA_DIR/sessions.db.
  const env = (secret: string) => ({ DATA_DIR: dataDir, SESSION_SECRET: secret, RAY_DASHBOARD_URL: head.dashboardUrl });

  beforeAll(() => buildServer());

  it('keeps the session (same SQLite file), also across a secret rotation; a retired secret ends it', async () => {
    const first = await startBffProcess(env(SECRET_A));
    const client = new BffClient(first.url);
    try {
      expect((await client.login('default', head.token)).status).toBe(200);
      await expectSignedIn(client, 'default');
    } finally {
      await first.stop();
    }
    expect(existsSync(path.join(dataDir, 'sessions.db'))).toBe(true);

    const second = await startBffProcess(env(SECRET_A));
    try {
      await expectSignedIn(withCookiesOf(client, second.url), 'default');
    } finally {
      await second.stop();
    }

    // Rotation: the new secret first, the old one still accepted.
    const rotated = await startBffProcess(env(`${SECRET_B},${SECRET_A}`));
    try {
      await expectSignedIn(withCookiesOf(client, rotated.url), 'default');
    } finally {
      await rotated.stop();
    }

    const retired = await startBffProcess(env(SECRET_B));
    try {
      await expectSignedOut(withCookiesOf(client, retired.url), 'default');
    } finally {
      await retired.stop();
    }
  });
});

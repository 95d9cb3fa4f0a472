import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditPage, SessionInfo } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBffProcess, type BffProcess } from '../support/bff-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

// Two real BFF processes (node server/dist/index.js) on different ports share one Redis, as replicas
// behind a load balancer do. A browser's cookie and CSRF token work whichever replica answers.

const head = inject('rayHead');
const OLD_SECRET = 'replica-secret-old-0123456789abcdef0123456789';
const NEW_SECRET = 'replica-secret-new-0123456789abcdef0123456789';

let redis: TestRedis;
let a: BffProcess;
let b: BffProcess;
const dirs: string[] = [];
const started: BffProcess[] = [];

async function replica(secret: string, extra: Record<string, string> = {}): Promise<BffProcess> {
  // Each replica gets a data folder of its own: only Redis is shared, as on separate hosts.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-replica-'));
  dirs.push(dataDir);
  const bff = await startBffProcess({
    SESSION_SECRET: secret,
    SESSION_STORE: redis.url,
    DATA_DIR: dataDir,
    RAY_DASHBOARD_URL: head.dashboardUrl,
    LOG_LEVEL: 'info',
    // The rate limit is shared through Redis too; only its own test below runs into it.
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...extra,
  });
  started.push(bff);
  return bff;
}

/** The same browser (cookie jar and CSRF token) talking to another replica. */
function through(client: BffClient, bff: BffProcess): BffClient {
  const other = new BffClient(bff.url);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  other.csrfToken = client.csrfToken;
  return other;
}

const code = (res: { json<T>(): T }) => res.json<{ error: { code: string } }>().error.code;

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([replica(OLD_SECRET), replica(OLD_SECRET)]);
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('replicas sharing one Redis', () => {
  it('signs in through one replica and carries on through the other, CSRF token included', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', head.token)).status).toBe(200);

    const viaB = through(viaA, b);
    const resources = await viaB.get('/api/clusters/default/resources');
    expect(resources.status).toBe(200);
    // The session B reads is the one A wrote: same CSRF token, same signed-in cluster.
    const session = SessionInfo.parse((await viaB.get('/api/session')).json());
    expect(session.csrfToken).toBe(viaA.csrfToken);
    expect(session.clusters.map((c) => c.id)).toEqual(['default']);
    // A write through B with the token A handed out passes the CSRF check.
    expect((await viaB.post('/api/clusters/default/logout')).status).toBe(204);
    expect((await viaA.get('/api/clusters/default/resources')).status).toBe(401);
  });

  it('signs out through one replica, and the other refuses the old cookie', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', head.token)).status).toBe(200);
    const oldCookies = new Map(viaA.cookies);
    expect((await through(viaA, b).get('/api/clusters/default/resources')).status).toBe(200);

    expect((await viaA.post('/api/logout')).status).toBe(204);

    const stale = new BffClient(b.url);
    for (const [k, v] of oldCookies) stale.cookies.set(k, v);
    const res = await stale.get('/api/clusters/default/resources');
    expect(res.status).toBe(401);
    expect(code(res)).toBe('signed_out');
    // The old cookie opens an empty session with a new CSRF token, not the old one.
    const session = SessionInfo.parse((await stale.get('/api/session')).json());
    expect(session.clusters).toEqual([]);
    expect(session.csrfToken).not.toBe(viaA.csrfToken);
  });

  it('shares the audit trail: a sign-in through one replica is listed by the other', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', 'not-the-token')).status).toBe(403);
    expect((await viaA.login('default', head.token)).status).toBe(200);
    const res = await through(viaA, b).get('/api/clusters/default/audit?limit=2');
    expect(res.status).toBe(200);
    const page = AuditPage.parse(res.json());
    expect(page.events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['sign-in', 'success', undefined],
      ['sign-in', 'failure', 'token_rejected'],
    ]);
    expect(page.events[0]!.clientAddress).toBe('127.0.0.1');
    // Paging with the cursor continues into older events, without repeating any.
    const older = AuditPage.parse(
      (await viaA.get(`/api/clusters/default/audit?limit=200&before=${page.nextCursor}`)).json(),
    );
    const ids = new Set(page.events.map((e) => e.id));
    expect(older.events.every((e) => !ids.has(e.id))).toBe(true);
    expect(older.events.length).toBeGreaterThan(0);
  });

  it('keeps nothing useful at rest: no Redis key or value holds the token', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', head.token)).status).toBe(200);
    const raw = await redis.raw();
    const keys: string[] = [];
    for await (const batch of raw.scanIterator({ MATCH: '*', COUNT: 1000 })) keys.push(...batch);
    expect(keys.every((k) => k.startsWith('ray-console:'))).toBe(true);
    const sessionKeys = keys.filter((k) => k.startsWith('ray-console:sess:'));
    expect(sessionKeys.length).toBeGreaterThan(0);

    let everything = keys.join('\n');
    let sealed = 0;
    for (const key of keys) {
      const type = await raw.type(key);
      if (type === 'string') {
        const value = (await raw.get(key)) ?? '';
        everything += value;
        if (/"sealedToken":"v1\./.test(value)) sealed += 1;
      } else if (type === 'stream') {
        everything += JSON.stringify(await raw.xRange(key, '-', '+'));
      }
    }
    // The sessions do hold the credential, sealed (AES-256-GCM), and the token appears nowhere in clear.
    expect(sealed).toBeGreaterThan(0);
    expect(everything).not.toContain(head.token);
    // Nor in anything either replica logged.
    expect([...a.logs, ...b.logs].join('\n')).not.toContain(head.token);
  });

  it('holds the sign-in rate limit across replicas, not per replica', async () => {
    // Behind one proxy (TRUST_PROXY=1) the client address is X-Forwarded-For's: one address of its own.
    const env = { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' };
    const [x, y] = await Promise.all([replica(OLD_SECRET, env), replica(OLD_SECRET, env)]);
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    // The same client through both replicas: 3 attempts in all are allowed, the 4th is not.
    const statuses: number[] = [];
    const bodies: string[] = [];
    for (const bff of [x, y, x, y]) {
      const res = await new BffClient(bff.url).post('/api/clusters/default/login', { token: 'wrong' }, { headers });
      statuses.push(res.status);
      bodies.push(res.text);
    }
    expect(statuses, bodies.join('\n')).toEqual([403, 403, 403, 429]);
    // Another address is not affected.
    const other = await new BffClient(y.url).post(
      '/api/clusters/default/login',
      { token: 'wrong' },
      {
        headers: { 'x-forwarded-for': '203.0.113.8' },
      },
    );
    expect(other.status).toBe(403);
    // And the trail records the refused attempt, under the address the proxy saw.
    const viaX = new BffClient(x.url);
    const signIn = await viaX.post(
      '/api/clusters/default/login',
      { token: head.token },
      {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      },
    );
    expect(signIn.status).toBe(200);
    const page = AuditPage.parse((await viaX.get('/api/clusters/default/audit?limit=200')).json());
    expect(page.events).toContainEqual(
      expect.objectContaining({
        action: 'sign-in',
        outcome: 'failure',
        reason: 'rate_limited',
        clientAddress: '203.0.113.7',
      }),
    );
    await Promise.all([x.stop(), y.stop()]);
  });

  it('rotates the secret without signing anybody out: a replica with "new,old" accepts old sessions', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', head.token)).status).toBe(200);

    const rotated = await replica(`${NEW_SECRET},${OLD_SECRET}`);
    const viaRotated = through(viaA, rotated);
    // The cookie was signed and the token sealed with the old secret; both are still accepted.
    expect((await viaRotated.get('/api/clusters/default/resources')).status).toBe(200);
    // A new sign-in seals with the new secret, and works from then on.
    expect((await viaRotated.login('default', head.token)).status).toBe(200);
    expect((await viaRotated.get('/api/clusters/default/resources')).status).toBe(200);
    await rotated.stop();
  });
});

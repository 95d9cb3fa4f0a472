import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditPage } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBffProcess, type BffProcess } from '../support/bff-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';

// Redis restarts under a running console (with appendonly persistence, as production runs it):
// requests during the outage get a clear 503 at once, and afterwards every session is still there.

const head = inject('rayHead');
let redis: TestRedis;
let bff: BffProcess;
let dataDir: string;

beforeAll(async () => {
  redis = await startRedis();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-redis-outage-'));
  bff = await startBffProcess({
    SESSION_SECRET: 'redis-outage-secret-0123456789abcdef0123',
    SESSION_STORE: redis.url,
    DATA_DIR: dataDir,
    RAY_DASHBOARD_URL: head.dashboardUrl,
  });
});

afterAll(async () => {
  await bff?.stop();
  await redis?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const code = (res: { json<T>(): T }) => res.json<{ error: { code: string } }>().error.code;

/** A request and how long it took. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe('Redis restarts while the console runs', () => {
  it('answers 503 "unavailable" at once during the outage, and keeps every session afterwards', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('default', head.token)).status).toBe(200);
    const csrfBefore = client.csrfToken;

    await redis.stop();

    // Every kind of request fails fast and says why: a read, a write, a sign-in, and readiness.
    const attempts = [
      () => client.get('/api/clusters/default/resources'),
      () => client.get('/api/session'),
      () => client.post('/api/clusters/default/logout'),
      () => new BffClient(bff.url).login('default', head.token),
      () => client.get('/api/clusters/default/audit'),
    ];
    for (const attempt of attempts) {
      const { value: res, ms } = await timed(attempt);
      expect(res.status).toBe(503);
      expect(code(res)).toBe('unavailable');
      expect(ms).toBeLessThan(3000);
    }
    const ready = await client.get('/api/readyz');
    expect(ready.status).toBe(503);
    // Liveness stays green: the process is fine, and restarting it would not help.
    expect((await client.get('/api/healthz')).status).toBe(200);

    await redis.start();
    // The client reconnects by itself (no restart of the console).
    await waitFor('readiness after Redis is back', async () => (await client.get('/api/readyz')).status === 200, {
      timeoutMs: 20_000,
    });

    // The same cookie still opens the same session: signed in, same CSRF token, no new sign-in.
    const resources = await client.get('/api/clusters/default/resources');
    expect(resources.status).toBe(200);
    expect(client.csrfToken).toBe(csrfBefore);
    expect((await client.get('/api/session')).json<{ csrfToken: string }>().csrfToken).toBe(csrfBefore);
    // The audit trail survived too.
    const trail = AuditPage.parse((await client.get('/api/clusters/default/audit')).json());
    expect(trail.events.some((e) => e.action === 'sign-in' && e.outcome === 'success')).toBe(true);
    // The outage was logged once, and the recovery too; no token in any line.
    expect(bff.logs.some((l) => l.includes('Redis cannot be reached'))).toBe(true);
    expect(bff.logs.some((l) => l.includes('Redis connection is back'))).toBe(true);
    expect(bff.logs.join('\n')).not.toContain(head.token);
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditPage, type AuditEvent } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

// The audit trail keeps a bounded window per cluster (AUDIT_MAX_EVENTS_PER_CLUSTER, at least 100). A
// visitor who never signed in must not be able to push the real events out of it: job calls of a
// session that is not signed in leave no event, and a refused sign-in beyond the rate limit leaves one
// event per address and window, not one per request. Failed sign-ins (a wrong token) stay recorded.

const head = inject('rayHead');
const LIMIT = 5;
const env = {
  RAY_DASHBOARD_URL: head.dashboardUrl,
  AUDIT_MAX_EVENTS_PER_CLUSTER: '100',
  LOGIN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  TRUST_PROXY: '1',
};
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

async function trail(client: BffClient): Promise<AuditEvent[]> {
  const res = await client.get('/api/clusters/default/audit?limit=200');
  expect(res.status, res.text).toBe(200);
  return AuditPage.parse(res.json()).events;
}

/** `total` calls of `call`, `concurrency` at a time. */
async function many(total: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
}

/**
 * The flood: 300 job writes from a session that never signed in (ids of the attacker's choosing), then
 * LIMIT wrong tokens and 60 refused sign-ins from one address, spread over `bffs` (replicas).
 */
async function flood(bffs: RunningBff[]): Promise<void> {
  const attackers = bffs.map((b) => new BffClient(b.url));
  for (const a of attackers) await a.session();
  const jobs = '/api/clusters/default/jobs';
  await many(300, 10, async (i) => {
    const a = attackers[i % attackers.length]!;
    const ip = from(`198.51.100.${i % 250}`);
    const res =
      i % 3 === 0
        ? await a.post(jobs, { entrypoint: 'echo forged', submissionId: `forged_${i}` }, ip)
        : i % 3 === 1
          ? await a.post(`${jobs}/forged_${i}/stop`, undefined, ip)
          : await a.delete(`${jobs}/forged_${i}`, ip);
    expect(res.status).toBe(401);
  });
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 60; i++) {
    const res = await attackers[i % attackers.length]!.post(
      '/api/clusters/default/login',
      { token: `wrong-${i}` },
      from('203.0.113.9'),
    );
    statuses.push(res.status);
  }
  expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(403));
  expect(statuses.slice(LIMIT)).toEqual(Array(60).fill(429));
}

/** Real events first: a sign-in and a failed job stop by a signed-in user. */
async function realEvents(bff: RunningBff): Promise<{ user: BffClient; before: AuditEvent[] }> {
  const user = new BffClient(bff.url);
  expect((await user.post('/api/clusters/default/login', { token: head.token }, from('192.0.2.10'))).status).toBe(200);
  expect((await user.post('/api/clusters/default/jobs/no_such_job/stop', undefined, from('192.0.2.10'))).status).toBe(
    404,
  );
  const before = await trail(user);
  expect(before.slice(0, 2).map((e) => [e.action, e.outcome, e.jobId ?? null])).toEqual([
    ['job.stop', 'failure', 'no_such_job'],
    ['sign-in', 'success', null],
  ]);
  return { user, before };
}

function expectOnlyAFewAdded(before: AuditEvent[], after: AuditEvent[]): void {
  // Every earlier event is still there.
  const ids = new Set(after.map((e) => e.id));
  for (const e of before) expect(ids.has(e.id), `${e.action} ${e.outcome} ${e.id}`).toBe(true);
  const added = after.filter((e) => !before.some((b) => b.id === e.id));
  // The wrong tokens (LIMIT) and one rate-limit refusal; no forged job event at all.
  expect(added.filter((e) => e.jobId?.startsWith('forged_'))).toEqual([]);
  expect(added.filter((e) => e.action.startsWith('job.'))).toEqual([]);
  expect(added.map((e) => [e.action, e.outcome, e.reason])).toEqual([
    ['sign-in', 'failure', 'rate_limited'],
    ...Array(LIMIT).fill(['sign-in', 'failure', 'token_rejected']),
  ]);
}

describe('audit trail under a flood (SQLite)', () => {
  let bff: RunningBff;
  beforeAll(async () => {
    bff = await startBff(env);
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('keeps the real events: 300 job calls without sign-in and 60 refused sign-ins add only the wrong tokens and one refusal', async () => {
    const { user, before } = await realEvents(bff);
    await flood([bff]);
    expectOnlyAFewAdded(before, await trail(user));
  });
});

describe('audit trail under a flood (Redis, two replicas)', () => {
  let redis: TestRedis;
  const bffs: RunningBff[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    bffs.push(await startBff({ ...env, SESSION_STORE: redis.url }));
    bffs.push(await startBff({ ...env, SESSION_STORE: redis.url }));
  });
  afterAll(async () => {
    for (const b of bffs) await b.close();
    await redis?.dispose();
  });

  it('records the refusals of one address once per window, whichever replica refused them', async () => {
    const { user, before } = await realEvents(bffs[0]!);
    await flood(bffs);
    expectOnlyAFewAdded(before, await trail(user));
  });
});

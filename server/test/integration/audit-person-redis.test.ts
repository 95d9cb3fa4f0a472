import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditStore, type NewAuditEvent } from '../../src/features/audit/audit-store.js';
import { createLogger } from '../../src/lib/logger.js';
import { connectRedis, createRedisClient, type RedisClient } from '../../src/session/redis-client.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

// The audit trail on a real Redis filtered by person: a stream has no index, so the store reads it in
// batches until a page of that person's events is found. Many other events between them must not make
// the page short, nor the cursor skip or repeat one.

const event = (n: number, who: string | undefined): NewAuditEvent => ({
  time: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  clusterId: 'a',
  action: 'job.submit',
  outcome: 'success',
  jobId: `job-${n}`,
  clientAddress: '127.0.0.1',
  ...(who ? { person: { subject: `sub-${who}`, issuer: 'https://idp.test', name: who } } : {}),
});

describe('RedisAuditStore: one person’s events', () => {
  let redis: TestRedis;
  let client: RedisClient;
  let store: RedisAuditStore;

  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient(redis.url, { timeoutMs: 2000, logger: createLogger('silent') });
    await connectRedis(client, redis.url, 5000);
    store = new RedisAuditStore(client, 10_000, 'test:audit:');
    // alice's three events far apart, with 500 of bob's and some from before people were named.
    let n = 0;
    await store.append(event(++n, 'alice'));
    for (let i = 0; i < 250; i++) await store.append(event(++n, 'bob'));
    await store.append(event(++n, undefined));
    await store.append(event(++n, 'alice'));
    for (let i = 0; i < 250; i++) await store.append(event(++n, 'bob'));
    await store.append(event(n + 1, 'alice'));
  });

  afterAll(async () => {
    await client?.quit();
    await redis?.dispose();
  });

  it('pages through one person’s events across batches, newest first, without a gap or a repeat', async () => {
    const first = await store.page('a', { limit: 2, person: 'sub-alice' });
    expect(first.events.map((e) => e.jobId)).toEqual(['job-504', 'job-253']);
    expect(first.nextCursor).toBeDefined();
    const second = await store.page('a', { limit: 2, person: 'sub-alice', before: first.nextCursor! });
    expect(second.events.map((e) => e.jobId)).toEqual(['job-1']);
    expect(second.nextCursor).toBeUndefined();
    expect((await store.page('a', { limit: 5, person: 'sub-nobody' })).events).toEqual([]);
  });

  it('still pages everyone’s events as before, events without a person included', async () => {
    const page = await store.page('a', { limit: 3, before: undefined });
    expect(page.events.map((e) => e.jobId)).toEqual(['job-504', 'job-503', 'job-502']);
    const around = await store.page('a', { limit: 500 });
    expect(around.events.some((e) => e.person === undefined)).toBe(true);
  });
});

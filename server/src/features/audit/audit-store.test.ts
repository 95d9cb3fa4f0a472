import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAuditStore, type NewAuditEvent } from './audit-store.js';

const event = (clusterId: string, n: number): NewAuditEvent => ({
  time: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  clusterId,
  action: 'sign-in',
  outcome: 'success',
  jobId: `job-${n}`,
  clientAddress: '127.0.0.1',
});

describe('SqliteAuditStore', () => {
  let dir: string;
  let store: SqliteAuditStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-store-test-'));
    store = new SqliteAuditStore(path.join(dir, 'audit.db'), 5);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a cluster’s events newest first, and only that cluster’s', async () => {
    for (let n = 1; n <= 3; n++) await store.append(event('a', n));
    await store.append(event('b', 99));
    const page = await store.page('a', { limit: 10 });
    expect(page.events.map((e) => e.jobId)).toEqual(['job-3', 'job-2', 'job-1']);
    expect(page.nextCursor).toBeUndefined();
    expect((await store.page('b', { limit: 10 })).events.map((e) => e.jobId)).toEqual(['job-99']);
    expect((await store.page('nobody', { limit: 10 })).events).toEqual([]);
  });

  it('pages with the cursor of the previous page', async () => {
    for (let n = 1; n <= 4; n++) await store.append(event('a', n));
    const first = await store.page('a', { limit: 3 });
    expect(first.events.map((e) => e.jobId)).toEqual(['job-4', 'job-3', 'job-2']);
    expect(first.nextCursor).toBe(first.events[2]!.id);
    const second = await store.page('a', { limit: 3, before: first.nextCursor! });
    expect(second.events.map((e) => e.jobId)).toEqual(['job-1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('keeps only the newest events of each cluster (bounded retention)', async () => {
    for (let n = 1; n <= 8; n++) await store.append(event('a', n));
    await store.append(event('b', 1));
    const page = await store.page('a', { limit: 100 });
    expect(page.events.map((e) => e.jobId)).toEqual(['job-8', 'job-7', 'job-6', 'job-5', 'job-4']);
    // Another cluster's trail is not trimmed by this one's.
    expect((await store.page('b', { limit: 100 })).events).toHaveLength(1);
  });

  it('keeps the trail across a restart (it is a file in the data folder)', async () => {
    await store.append(event('a', 1));
    await store.close();
    store = new SqliteAuditStore(path.join(dir, 'audit.db'), 5);
    expect((await store.page('a', { limit: 10 })).events).toHaveLength(1);
  });
});

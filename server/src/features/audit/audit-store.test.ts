import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
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

  it('filters by person (subject), paging within that person’s events', async () => {
    const by = (n: number, who: string): NewAuditEvent => ({
      ...event('a', n),
      person: { subject: `sub-${who}`, issuer: 'https://idp.test', name: who },
    });
    await store.close();
    store = new SqliteAuditStore(path.join(dir, 'audit.db'), 100);
    for (let n = 1; n <= 6; n++) await store.append(by(n, n % 2 === 0 ? 'alice' : 'bob'));
    await store.append(event('a', 7));
    const first = await store.page('a', { limit: 2, person: 'sub-alice' });
    expect(first.events.map((e) => [e.jobId, e.person?.name])).toEqual([
      ['job-6', 'alice'],
      ['job-4', 'alice'],
    ]);
    const second = await store.page('a', { limit: 2, person: 'sub-alice', before: first.nextCursor! });
    expect(second.events.map((e) => e.jobId)).toEqual(['job-2']);
    expect(second.nextCursor).toBeUndefined();
    expect((await store.page('a', { limit: 10 })).events).toHaveLength(7);
  });

  it('reads a trail kept by a console from before events named a person, and adds people from then on', async () => {
    await store.close();
    // The table as the previous release created it, with one of its rows.
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.exec(
      'CREATE TABLE audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, cluster_id TEXT NOT NULL, time INTEGER NOT NULL, event TEXT NOT NULL);' +
        'CREATE INDEX audit_events_cluster ON audit_events (cluster_id, seq);',
    );
    const before = event('a', 1);
    old
      .prepare('INSERT INTO audit_events (cluster_id, time, event) VALUES (?, ?, ?)')
      .run('a', 1, JSON.stringify(before));
    old.close();
    store = new SqliteAuditStore(file, 5);
    await store.append({
      ...event('a', 2),
      person: { subject: 'sub-alice', issuer: 'https://idp.test', name: 'alice' },
    });
    const page = await store.page('a', { limit: 10 });
    expect(page.events.map((e) => [e.jobId, e.person?.name])).toEqual([
      ['job-2', 'alice'],
      ['job-1', undefined],
    ]);
    expect((await store.page('a', { limit: 10, person: 'sub-alice' })).events.map((e) => e.jobId)).toEqual(['job-2']);
  });
});

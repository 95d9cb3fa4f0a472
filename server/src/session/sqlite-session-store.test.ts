import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type session from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from './sqlite-session-store.js';

// Promise forms of the callback API, as express-session uses it.
const get = (store: SqliteSessionStore, sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, value) => (err ? reject(err) : resolve(value))),
  );
const set = (store: SqliteSessionStore, sid: string, sess: session.SessionData) =>
  new Promise<void>((resolve, reject) => store.set(sid, sess, (err) => (err ? reject(err) : resolve())));
const touch = (store: SqliteSessionStore, sid: string, sess: session.SessionData) =>
  new Promise<void>((resolve, reject) => store.touch(sid, sess, (err) => (err ? reject(err) : resolve())));
const destroy = (store: SqliteSessionStore, sid: string) =>
  new Promise<void>((resolve, reject) => store.destroy(sid, (err) => (err ? reject(err) : resolve())));
const length = (store: SqliteSessionStore) =>
  new Promise<number>((resolve, reject) => store.length((err, n) => (err ? reject(err) : resolve(n ?? -1))));
const clear = (store: SqliteSessionStore) =>
  new Promise<void>((resolve, reject) => store.clear((err) => (err ? reject(err) : resolve())));

/** A session as express-session hands it to the store, expiring `inMs` from now. */
function sessionData(inMs: number, extra: Partial<session.SessionData> = {}): session.SessionData {
  const expires = new Date(Date.now() + inMs);
  return {
    cookie: { originalMaxAge: inMs, expires, httpOnly: true, path: '/' },
    csrfToken: 'csrf-1',
    createdAt: Date.now(),
    ...extra,
  } as session.SessionData;
}

describe('SqliteSessionStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteSessionStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-test-'));
    // A folder that does not exist yet: the store creates it.
    file = path.join(dir, 'nested', 'sessions.db');
    store = new SqliteSessionStore(file, 60_000);
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back what was set, and nothing for an unknown id', async () => {
    const sess = sessionData(60_000, {
      clusters: { default: { sealedToken: 'v1.a.b.c', authMode: 'token', rayVersion: '2.60.0', signedInAt: 1 } },
    });
    await set(store, 'sid-1', sess);
    const back = await get(store, 'sid-1');
    expect(back?.csrfToken).toBe('csrf-1');
    expect(back?.clusters?.default?.sealedToken).toBe('v1.a.b.c');
    expect(await get(store, 'sid-unknown')).toBeNull();
  });

  it('replaces a session that is set again', async () => {
    await set(store, 'sid-1', sessionData(60_000, { csrfToken: 'first' }));
    await set(store, 'sid-1', sessionData(60_000, { csrfToken: 'second' }));
    expect((await get(store, 'sid-1'))?.csrfToken).toBe('second');
    expect(await length(store)).toBe(1);
  });

  it('forgets a destroyed session', async () => {
    await set(store, 'sid-1', sessionData(60_000));
    await destroy(store, 'sid-1');
    expect(await get(store, 'sid-1')).toBeNull();
    expect(await length(store)).toBe(0);
  });

  it('does not hand out an expired session, even before the purge runs', async () => {
    await set(store, 'sid-old', sessionData(-1));
    expect(await get(store, 'sid-old')).toBeNull();
    expect(await length(store)).toBe(0);
  });

  it('touch moves the expiry, so an active session lives on', async () => {
    await set(store, 'sid-1', sessionData(-1));
    expect(await get(store, 'sid-1')).toBeNull();
    await touch(store, 'sid-1', sessionData(60_000));
    expect((await get(store, 'sid-1'))?.csrfToken).toBe('csrf-1');
  });

  it('uses the default lifetime for a session without a cookie expiry', async () => {
    const noExpiry = { cookie: { originalMaxAge: null, httpOnly: true, path: '/' }, csrfToken: 'x' };
    await set(store, 'sid-1', noExpiry as unknown as session.SessionData);
    expect((await get(store, 'sid-1'))?.csrfToken).toBe('x');
  });

  it('purges expired rows and keeps live ones', async () => {
    await set(store, 'sid-old-1', sessionData(-1000));
    await set(store, 'sid-old-2', sessionData(-1));
    await set(store, 'sid-live', sessionData(60_000));
    expect(store.purgeExpired()).toBe(2);
    expect(store.purgeExpired()).toBe(0);
    expect((await get(store, 'sid-live'))?.csrfToken).toBe('csrf-1');
  });

  it('purges expired rows when a store opens the file', async () => {
    await set(store, 'sid-old', sessionData(-1));
    await set(store, 'sid-live', sessionData(60_000));
    store.close();
    store = new SqliteSessionStore(file, 60_000);
    expect(store.purgeExpired()).toBe(0);
    expect(await get(store, 'sid-live')).not.toBeNull();
  });

  it('keeps sessions in the file, so a new store on the same file (a restarted BFF) finds them', async () => {
    await set(store, 'sid-1', sessionData(60_000, { csrfToken: 'kept' }));
    store.close();
    store = new SqliteSessionStore(file, 60_000);
    expect((await get(store, 'sid-1'))?.csrfToken).toBe('kept');
  });

  it('clear forgets every session', async () => {
    await set(store, 'sid-1', sessionData(60_000));
    await set(store, 'sid-2', sessionData(60_000));
    await clear(store);
    expect(await length(store)).toBe(0);
  });

  it('reports a failure through the callback instead of throwing', async () => {
    store.close();
    await expect(get(store, 'sid-1')).rejects.toThrow();
    await expect(set(store, 'sid-1', sessionData(60_000))).rejects.toThrow();
    // Reopen so afterEach can close it.
    store = new SqliteSessionStore(file, 60_000);
  });
});

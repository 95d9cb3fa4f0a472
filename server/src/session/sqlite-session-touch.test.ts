import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type session from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from './sqlite-session-store.js';

// express-session touches the store on every request; the SQLite store writes only when the expiry moves
// by a tenth of the idle timeout (at most 5 s), so a busy console does not write on every request.

const IDLE_MS = 30 * 60_000;
const sessionExpiring = (at: number) =>
  ({
    cookie: { originalMaxAge: IDLE_MS, expires: new Date(at), httpOnly: true, path: '/' },
    csrfToken: 'c',
  }) as unknown as session.SessionData;

const call = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

describe('SqliteSessionStore touch', () => {
  let dir: string;
  let file: string;
  let store: SqliteSessionStore;
  const storedExpiry = (sid: string) => {
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT expires FROM sessions WHERE sid = ?').get(sid) as { expires: number } | undefined;
    db.close();
    return row?.expires;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-touch-test-'));
    file = path.join(dir, 'sessions.db');
    store = new SqliteSessionStore(file, IDLE_MS);
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips a touch that moves the expiry by less than 5 s, and writes one that moves it more', async () => {
    const t0 = Date.now() + IDLE_MS;
    await call((cb) => store.set('sid', sessionExpiring(t0), cb));
    await call((cb) => store.touch('sid', sessionExpiring(t0 + 3_000), cb));
    expect(storedExpiry('sid')).toBe(t0);
    await call((cb) => store.touch('sid', sessionExpiring(t0 + 5_000), cb));
    expect(storedExpiry('sid')).toBe(t0 + 5_000);
    // Each request of a busy minute touches; the stored expiry never lags the last request by 5 s or more.
    for (let ms = 5_000; ms <= 65_000; ms += 250) {
      await call((cb) => store.touch('sid', sessionExpiring(t0 + ms), cb));
      expect(t0 + ms - storedExpiry('sid')!).toBeLessThan(5_000);
    }
  });

  it('always writes a touch after a set by another process or an earlier run (nothing remembered)', async () => {
    const t0 = Date.now() + IDLE_MS;
    await call((cb) => store.set('sid', sessionExpiring(t0), cb));
    store.close();
    store = new SqliteSessionStore(file, IDLE_MS);
    await call((cb) => store.touch('sid', sessionExpiring(t0 + 1000), cb));
    expect(storedExpiry('sid')).toBe(t0 + 1000);
  });
});

import type Database from 'better-sqlite3';
import { openSqlite } from '../lib/sqlite.js';
import session from 'express-session';
import { TouchThrottle, touchSlackMs } from './touch-throttle.js';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/**
 * An express-session store in a SQLite file (better-sqlite3). The maintained SQLite stores on npm use
 * the `sqlite3` package or are unmaintained, and this is a small table with four statements, so it is
 * written here. WAL mode lets a restarted BFF (or a second process) open the same file.
 */
export class SqliteSessionStore extends session.Store {
  private readonly db: Database.Database;
  private readonly purgeTimer: NodeJS.Timeout;
  /** Touches that would move an expiry by less than a few seconds are not written. */
  private readonly touches: TouchThrottle;
  private readonly stmt: {
    get: Database.Statement<[string, number], { sess: string }>;
    set: Database.Statement<[string, string, number]>;
    touch: Database.Statement<[number, string]>;
    destroy: Database.Statement<[string]>;
    purge: Database.Statement<[number]>;
    clear: Database.Statement<[]>;
    count: Database.Statement<[number], { n: number }>;
  };

  constructor(
    file: string,
    private readonly defaultTtlMs: number,
    purgeEveryMs = 5 * 60_000,
  ) {
    super();
    this.touches = new TouchThrottle(touchSlackMs(defaultTtlMs));
    this.db = openSqlite(file);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, sess TEXT NOT NULL, expires INTEGER NOT NULL);' +
        'CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires);',
    );
    this.stmt = {
      get: this.db.prepare('SELECT sess FROM sessions WHERE sid = ? AND expires > ?'),
      set: this.db.prepare(
        'INSERT INTO sessions (sid, sess, expires) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET sess = excluded.sess, expires = excluded.expires',
      ),
      touch: this.db.prepare('UPDATE sessions SET expires = ? WHERE sid = ?'),
      destroy: this.db.prepare('DELETE FROM sessions WHERE sid = ?'),
      purge: this.db.prepare('DELETE FROM sessions WHERE expires <= ?'),
      clear: this.db.prepare('DELETE FROM sessions'),
      count: this.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE expires > ?'),
    };
    this.purgeExpired();
    this.purgeTimer = setInterval(() => this.purgeExpired(), purgeEveryMs);
    this.purgeTimer.unref();
  }

  /** Deletes expired sessions; returns how many. */
  purgeExpired(): number {
    return this.stmt.purge.run(Date.now()).changes;
  }

  private expiryOf(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }

  override get(sid: string, cb: Callback<session.SessionData | null>): void {
    try {
      const row = this.stmt.get.get(sid, Date.now());
      cb(null, row ? (JSON.parse(row.sess) as session.SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      const expiry = this.expiryOf(sess);
      this.stmt.set.run(sid, JSON.stringify(sess), expiry);
      this.touches.wrote(sid, expiry);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      const expiry = this.expiryOf(sess);
      if (!this.touches.due(sid, expiry)) return cb?.();
      this.stmt.touch.run(expiry, sid);
      this.touches.wrote(sid, expiry);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: Callback): void {
    try {
      this.stmt.destroy.run(sid);
      this.touches.forget(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override clear(cb?: Callback): void {
    try {
      this.stmt.clear.run();
      this.touches.forgetAll();
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override length(cb: Callback<number>): void {
    try {
      cb(null, this.stmt.count.get(Date.now())?.n ?? 0);
    } catch (err) {
      cb(err);
    }
  }

  close(): void {
    clearInterval(this.purgeTimer);
    this.db.close();
  }
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (creating it and its folder) a SQLite file the way every store of the console uses it: WAL, so
 * a restarted or second process can open it too; `synchronous = NORMAL`, because better-sqlite3 runs on
 * the event loop and FULL makes every commit wait for an fsync (NORMAL in WAL mode survives a process
 * crash; a power loss may lose the last writes, never corrupt the file); and a busy timeout for
 * writers in other processes.
 */
export function openSqlite(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

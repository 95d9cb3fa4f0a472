import type session from 'express-session';
import type { Config } from '../config.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

export interface ClosableStore {
  store: session.Store;
  close(): Promise<void>;
}

/** The session store the configuration names. express-session's MemoryStore is never used. */
export async function createSessionStore(config: Readonly<Config>): Promise<ClosableStore> {
  const { sessionStore } = config;
  if (sessionStore.kind === 'sqlite') {
    const store = new SqliteSessionStore(sessionStore.file, config.sessionIdleMs);
    return { store, close: async () => store.close() };
  }
  throw new Error('Redis session stores are not built yet: use SESSION_STORE=sqlite:<file>.');
}

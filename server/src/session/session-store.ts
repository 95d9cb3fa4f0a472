import path from 'node:path';
import type session from 'express-session';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
// The audit trail is kept beside the sessions (same backend), so replicas that share Redis share it.
import { RedisAuditStore, SqliteAuditStore, type AuditStore } from '../features/audit/audit-store.js';
import { connectRedis, createRedisClient, REDIS_KEY_PREFIX } from './redis-client.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';
import { ThrottledRedisStore } from './redis-session-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

/** Everything the console keeps between requests, on the backend SESSION_STORE names. */
export interface ClosableStore {
  store: session.Store;
  /** The queryable audit trail. */
  audit: AuditStore;
  /** Counters of the sign-in rate limit; absent means express-rate-limit's per-process memory. */
  loginAttempts?: RateLimitStore;
  /** False while the backend cannot be reached, so requests get a 503 at once instead of waiting. */
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * Opens the session store the configuration names: a SQLite file (one host) or Redis (replicas).
 * express-session's MemoryStore is never used: it leaks and works in one process only. With Redis the
 * connection is made here, so a Redis that cannot be reached stops the start with a message that says
 * what to fix (the error is thrown; index.ts prints it).
 */
export async function createSessionStore(config: Readonly<Config>, logger?: Logger): Promise<ClosableStore> {
  const { sessionStore } = config;
  if (sessionStore.kind === 'sqlite') {
    const store = new SqliteSessionStore(sessionStore.file, config.sessionIdleMs);
    const audit = new SqliteAuditStore(path.join(config.dataDir, 'audit.db'), config.auditMaxEventsPerCluster);
    return {
      store,
      audit,
      // Login counters stay in memory: with SQLite there is one host, and usually one process.
      isReady: () => true,
      close: async () => {
        store.close();
        await audit.close();
      },
    };
  }

  const client = createRedisClient(sessionStore.url, {
    timeoutMs: config.storeTimeoutMs,
    logger: logger ?? pino({ level: 'silent' }),
  });
  await connectRedis(client, sessionStore.url, Math.max(config.storeTimeoutMs, 5000));
  const store = new ThrottledRedisStore(
    {
      client,
      prefix: `${REDIS_KEY_PREFIX}sess:`,
      // Used only for a session without a cookie expiry; otherwise the key expires with the cookie.
      ttl: Math.ceil(config.sessionIdleMs / 1000),
    },
    config.sessionIdleMs,
  );
  return {
    store,
    audit: new RedisAuditStore(client, config.auditMaxEventsPerCluster, `${REDIS_KEY_PREFIX}audit:`),
    loginAttempts: new RedisRateLimitStore(client, 'login'),
    isReady: () => client.isReady,
    close: async () => {
      // close() lets commands in flight finish; destroy() would drop them.
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}

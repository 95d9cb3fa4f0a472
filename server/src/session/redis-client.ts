import { createClient } from 'redis';
import type { Logger } from 'pino';

/** The client with the console's fail-fast settings (see {@link createRedisClient}). */
function buildClient(url: string, timeoutMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: timeoutMs,
      // Never give up: a replica that stopped reconnecting would answer 503 until someone restarted it.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
}

export type RedisClient = ReturnType<typeof buildClient>;

/** Every key the console writes starts with this, so one Redis can serve other applications too. */
export const REDIS_KEY_PREFIX = 'ray-console:';

/** `host:port` of a Redis URL, for messages: never the password a URL may carry. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'Redis';
  }
}

/**
 * The one Redis connection of a process, shared by the session store, the audit trail and the sign-in
 * rate limit. It is built to fail fast: while Redis is away, commands are refused at once (no offline
 * queue) and a command that gets no answer times out, so a request becomes a clear 503 instead of
 * hanging; the client reconnects by itself, backing off up to 2 s, for as long as the process lives.
 */
export function createRedisClient(url: string, options: { timeoutMs: number; logger: Logger }): RedisClient {
  const client = buildClient(url, options.timeoutMs);
  const where = redisWhere(url);
  let down = false;
  // Without an 'error' listener node-redis rethrows connection errors and would crash the process;
  // one line when the connection drops and one when it is back, not one per retry.
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    options.logger.warn(
      { redis: where, err: err.message },
      'Redis cannot be reached; requests get 503 until it is back',
    );
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger.info({ redis: where }, 'Redis connection is back');
  });
  return client;
}

/**
 * Connects, or explains why not within `timeoutMs`: at start-up an unreachable Redis is a configuration
 * problem the operator must see, not something to wait for silently.
 */
export async function connectRedis(client: RedisClient, url: string, timeoutMs: number): Promise<void> {
  const where = redisWhere(url);
  const fix = 'fix SESSION_STORE (redis://[:password@]host:6379[/db], or rediss:// for TLS)';
  let timer: NodeJS.Timeout | undefined;
  let lastError = '';
  let refuse: (err: Error) => void = () => {};
  const onError = (err: Error) => {
    lastError = err.message;
    // Retrying cannot fix a wrong password: say so at once.
    if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(err.message)) {
      refuse(new Error(`Redis at ${where} refused the credentials in SESSION_STORE (${err.message}); ${fix}.`));
    }
  };
  client.on('error', onError);
  try {
    const connecting = client.connect();
    // When the deadline wins, destroy() below rejects the pending connect; that is expected.
    connecting.catch(() => {});
    await Promise.race([
      connecting,
      new Promise<never>((_resolve, reject) => {
        refuse = reject;
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Redis at ${where} (SESSION_STORE) could not be used within ${timeoutMs} ms` +
                  `${lastError ? ` (${lastError})` : ''}. Start Redis, or ${fix}.`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}

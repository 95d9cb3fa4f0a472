import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { AppError } from '../lib/app-error.js';
import type { RedisClient } from './redis-client.js';

/**
 * Sign-in attempt counters in Redis, so the limit holds for the whole deployment: behind a load
 * balancer with three replicas, an in-memory counter would allow three times the attempts. A fixed
 * window per client address (a counter that expires with its window).
 */
export class RedisRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly client: RedisClient,
    name: string,
  ) {
    this.prefix = `ray-console:rate:${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [hits, ttl] = await this.guard(() =>
      Promise.all([this.client.get(this.prefix + key), this.client.pTTL(this.prefix + key)]),
    );
    if (hits === null) return undefined;
    return { totalHits: Number(hits), resetTime: new Date(Date.now() + Math.max(0, ttl)) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const k = this.prefix + key;
    const [hits, ttl] = await this.guard(async () => {
      // SET NX opens a window only when none is running (works on Redis 6.2, unlike PEXPIRE NX).
      const reply = await this.client
        .multi()
        .set(k, '0', { expiration: { type: 'PX', value: this.windowMs }, condition: 'NX' })
        .incr(k)
        .pTTL(k)
        .exec();
      return [Number(reply[1]), Number(reply[2])] as const;
    });
    return { totalHits: hits, resetTime: new Date(Date.now() + Math.max(0, ttl)) };
  }

  async decrement(key: string): Promise<void> {
    await this.guard(() => this.client.decr(this.prefix + key));
  }

  async resetKey(key: string): Promise<void> {
    await this.guard(() => this.client.del(this.prefix + key));
  }

  /** Fails closed: without its counters the limiter cannot tell, so the sign-in gets a 503, not a pass. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new AppError(
        'unavailable',
        'The session store is not available right now; try again in a moment.',
        undefined,
        {
          cause: err,
        },
      );
    }
  }
}

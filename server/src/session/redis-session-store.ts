import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { TouchThrottle, touchSlackMs } from './touch-throttle.js';

type Callback = (err?: unknown, data?: unknown) => unknown;

/**
 * connect-redis's store, whose touch (an EXPIRE round trip, sent by express-session on every request to
 * roll the idle expiry) is written only when it moves the expiry by more than a few seconds, as the SQLite
 * store does (see TouchThrottle).
 */
export class ThrottledRedisStore extends RedisStore {
  private readonly touches: TouchThrottle;

  constructor(
    options: ConstructorParameters<typeof RedisStore>[0],
    private readonly idleMs: number,
  ) {
    super(options);
    this.touches = new TouchThrottle(touchSlackMs(idleMs));
  }

  private expiryOf(sess: SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.idleMs;
  }

  override set(sid: string, sess: SessionData, cb?: Callback): Promise<unknown> {
    const expiry = this.expiryOf(sess);
    return super.set(sid, sess, (err, data) => {
      if (err) this.touches.forget(sid);
      else this.touches.wrote(sid, expiry);
      return cb?.(err, data);
    });
  }

  override touch(sid: string, sess: SessionData, cb?: Callback): Promise<unknown> {
    const expiry = this.expiryOf(sess);
    if (!this.touches.due(sid, expiry)) return Promise.resolve(cb?.());
    return super.touch(sid, sess, (err, data) => {
      if (!err) this.touches.wrote(sid, expiry);
      return cb?.(err, data);
    });
  }

  override destroy(sid: string, cb?: Callback): Promise<unknown> {
    this.touches.forget(sid);
    return super.destroy(sid, cb);
  }
}

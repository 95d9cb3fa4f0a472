import type session from 'express-session';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThrottledRedisStore } from '../../src/session/redis-session-store.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

// express-session touches the store on every request to roll the idle expiry. With Redis each touch was
// an EXPIRE round trip; the store now sends one only when the expiry moves by 5 s or more, and a session
// in use still never expires earlier than 5 s before its idle limit.

const IDLE_MS = 30 * 60_000;
const sessionExpiring = (at: number) =>
  ({
    cookie: { originalMaxAge: IDLE_MS, expires: new Date(at), httpOnly: true, path: '/' },
    csrfToken: 'c',
  }) as unknown as session.SessionData;

let redis: TestRedis;
let client: ReturnType<typeof createClient>;
let store: ThrottledRedisStore;

const call = (fn: (cb: (err?: unknown) => void) => unknown) =>
  new Promise<void>((resolve, reject) => void fn((err) => (err ? reject(err as Error) : resolve())));
/** When Redis will drop the session's key, in ms from now. */
const keyLifeMs = () => client.pTTL('test:sess:sid');

beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
  store = new ThrottledRedisStore({ client, prefix: 'test:sess:' }, IDLE_MS);
});

afterAll(async () => {
  await client?.close();
  await redis?.dispose();
});

describe('ThrottledRedisStore touch', () => {
  it('skips a touch that moves the expiry by less than 5 s, and writes one that moves it more', async () => {
    const t0 = Date.now() + IDLE_MS;
    await call((cb) => store.set('sid', sessionExpiring(t0), cb));
    const first = await keyLifeMs();
    expect(first).toBeGreaterThan(IDLE_MS - 5_000);

    await call((cb) => store.touch('sid', sessionExpiring(t0 + 3_000), cb));
    // Not written: the key's life only went down.
    expect(await keyLifeMs()).toBeLessThanOrEqual(first);

    await call((cb) => store.touch('sid', sessionExpiring(t0 + 6_000), cb));
    expect(await keyLifeMs()).toBeGreaterThan(first + 4_000);
  });

  it('forgets what it wrote for a destroyed session, so a new one under the same id is touched', async () => {
    const t0 = Date.now() + IDLE_MS;
    await call((cb) => store.set('sid', sessionExpiring(t0), cb));
    await call((cb) => store.destroy('sid', cb));
    expect(await keyLifeMs()).toBe(-2);
    // Another replica signs a new session in under the same id, with a key that lives 60 s for now; a touch
    // here, within 5 s of what this store once wrote for the old session, must still reach Redis.
    await client.set('test:sess:sid', JSON.stringify(sessionExpiring(t0)), { PX: 60_000 });
    await call((cb) => store.touch('sid', sessionExpiring(t0 + 1_000), cb));
    expect(await keyLifeMs()).toBeGreaterThan(60_000);
  });
});

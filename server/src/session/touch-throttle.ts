/**
 * How far a touch must move a session's expiry before a store writes it: a tenth of the idle timeout, at
 * most 5 s. express-session touches the store on every request (rolling expiry); writing each one would
 * cost a SQLite write or a Redis round trip per request for nothing anyone notices. A session therefore
 * expires between `idle - slack` and `idle` after its last request (29 min 55 s to 30 min by default).
 */
export const touchSlackMs = (idleMs: number) => Math.min(5_000, idleMs / 10);

/**
 * The expiry this process last wrote for each session, so a touch that would move it by less than the
 * slack is skipped. Nothing is remembered across processes: a session written by another replica (or an
 * earlier run) is touched at its first request here, then throttled.
 */
export class TouchThrottle {
  private readonly written = new Map<string, number>();
  private writes = 0;

  constructor(readonly slackMs: number) {}

  /** Whether a touch that moves the session's expiry to `expiry` must reach the store. */
  due(sid: string, expiry: number): boolean {
    const last = this.written.get(sid);
    return last === undefined || expiry < last || expiry - last >= this.slackMs;
  }

  /** The store now holds `expiry` for the session (after a set or a touch that was written). */
  wrote(sid: string, expiry: number): void {
    this.written.set(sid, expiry);
    // Sessions that ended without a sign-out are forgotten now and then (for every store alike), so the
    // map stays as small as the store.
    if (++this.writes % 1024 === 0) this.forgetExpired(Date.now());
  }

  forget(sid: string): void {
    this.written.delete(sid);
  }

  forgetAll(): void {
    this.written.clear();
  }

  private forgetExpired(now: number): void {
    for (const [sid, expiry] of this.written) if (expiry <= now) this.written.delete(sid);
  }
}

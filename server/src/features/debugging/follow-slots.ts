import { AppError } from '../../lib/app-error.js';

/**
 * Caps the logs followed at once: per session (a browser with many tabs) and per process (each one holds
 * a connection to a Ray head). Answered with 429 `too_many_tails` naming the limit.
 */
export class FollowSlots {
  private total = 0;
  private readonly bySession = new Map<string, number>();

  constructor(
    private readonly perSession = 4,
    private readonly perProcess = 200,
  ) {}

  take(sessionId: string): () => void {
    const mine = this.bySession.get(sessionId) ?? 0;
    if (mine >= this.perSession) {
      throw new AppError(
        'too_many_tails',
        `You follow ${mine} logs already; close one (at most ${this.perSession} at once).`,
        undefined,
        { params: { scope: 'session', limit: this.perSession } },
      );
    }
    if (this.total >= this.perProcess) {
      throw new AppError(
        'too_many_tails',
        'The console follows as many logs as it can right now; try again shortly.',
        undefined,
        { params: { scope: 'replica', limit: this.perProcess } },
      );
    }
    this.total += 1;
    this.bySession.set(sessionId, mine + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.total -= 1;
      const left = (this.bySession.get(sessionId) ?? 1) - 1;
      if (left > 0) this.bySession.set(sessionId, left);
      else this.bySession.delete(sessionId);
    };
  }
}

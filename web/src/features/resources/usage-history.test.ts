import { describe, expect, it } from 'vitest';
import { binSamples, share } from './usage-history';

describe('usage history on the time axis', () => {
  const opts = { now: 100_000, windowMs: 50_000, intervalMs: 10_000 };

  it('puts each sample in its interval and leaves intervals without one empty', () => {
    const history = [
      { t: 55_000, cpuPercent: 10 },
      { t: 75_000, cpuPercent: 30 },
      { t: 100_000, cpuPercent: 50 },
    ];
    expect(binSamples(history, (s) => s.cpuPercent, opts)).toEqual([10, null, 30, null, 50]);
  });

  it('drops samples older than the window and keeps the latest of two in one interval', () => {
    const history = [
      { t: 10_000, cpuPercent: 99 },
      { t: 91_000, cpuPercent: 1 },
      { t: 99_000, cpuPercent: 2 },
    ];
    expect(binSamples(history, (s) => s.cpuPercent, opts)).toEqual([null, null, null, null, 2]);
  });

  it('skips samples that lack the figure (a node without a GPU)', () => {
    expect(binSamples([{ t: 99_000 }], (s) => s.gpuPercent, opts)).toEqual([null, null, null, null, null]);
  });

  it('gives a share only when the total is known', () => {
    expect(share({ used: 1, total: 4 })).toBe(0.25);
    expect(share({ used: 1, total: 0 })).toBeUndefined();
    expect(share(undefined)).toBeUndefined();
  });
});

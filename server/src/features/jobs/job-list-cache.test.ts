import { describe, expect, it } from 'vitest';
import { JobListCache } from './job-list-cache.js';
import { JobSnapshot } from './job-list.js';

const snapshot = () => new JobSnapshot([], 0);

describe('JobListCache', () => {
  it('shares one read between concurrent callers and reuses it for the TTL, then reads again', async () => {
    let now = 1000;
    const cache = new JobListCache(2000, () => now);
    let reads = 0;
    const load = async () => {
      reads += 1;
      return snapshot();
    };
    const [a, b] = await Promise.all([cache.get('c1', 't', load), cache.get('c1', 't', load)]);
    expect(a).toBe(b);
    now += 1999;
    expect(await cache.get('c1', 't', load)).toBe(a);
    now += 1;
    expect(await cache.get('c1', 't', load)).not.toBe(a);
    expect(reads).toBe(2);
  });

  it('keeps clusters and tokens apart, and forgets a cluster on invalidate', async () => {
    const cache = new JobListCache(60_000);
    let reads = 0;
    const load = async () => {
      reads += 1;
      return snapshot();
    };
    await cache.get('c1', 'token-a', load);
    await cache.get('c1', 'token-b', load);
    await cache.get('c2', 'token-a', load);
    expect(reads).toBe(3);
    cache.invalidate('c1');
    await cache.get('c1', 'token-a', load);
    await cache.get('c2', 'token-a', load);
    expect(reads).toBe(4);
  });

  it('does not keep a failed read', async () => {
    const cache = new JobListCache(60_000);
    await expect(cache.get('c1', null, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.get('c1', null, async () => snapshot())).resolves.toBeInstanceOf(JobSnapshot);
  });
});

import { describe, expect, it } from 'vitest';
import { JobListCache } from './job-list-cache.js';
import { JobSnapshot } from './job-list.js';

const snapshot = () => new JobSnapshot([], 0);

describe('JobListCache', () => {
  it('shares one read between concurrent callers and reuses it for the TTL, then reads again', async () => {
    let now = 1000;
    const cache = new JobListCache(2000, 2000, () => now);
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

  it('serves a stale copy at once while one background read replaces it, until it is too old', async () => {
    let now = 0;
    const cache = new JobListCache(2000, 30_000, () => now);
    const snapshots: JobSnapshot[] = [];
    let release: (() => void) | undefined;
    const load = () => {
      const s = snapshot();
      snapshots.push(s);
      // The second read hangs until released, like a slow Ray listing 10,000 jobs.
      if (snapshots.length === 2) return new Promise<JobSnapshot>((r) => (release = () => r(s)));
      return Promise.resolve(s);
    };
    const first = await cache.get('c1', 't', load);
    now = 5000;
    // Stale: answered at once with the old copy, and one refresh starts however many ask.
    expect(await cache.get('c1', 't', load)).toBe(first);
    expect(await cache.get('c1', 't', load)).toBe(first);
    expect(snapshots).toHaveLength(2);
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('c1', 't', load)).toBe(snapshots[1]);
    // Past the stale limit the request waits for a fresh read.
    now = 5000 + 30_000;
    const third = await cache.get('c1', 't', load);
    expect(third).toBe(snapshots[2]);
  });

  it('lets an invalidation win over a background refresh that started before it', async () => {
    let now = 0;
    const cache = new JobListCache(1000, 30_000, () => now);
    let release: (() => void) | undefined;
    let reads = 0;
    const load = () => {
      reads += 1;
      if (reads === 2) return new Promise<JobSnapshot>((r) => (release = () => r(snapshot())));
      return Promise.resolve(snapshot());
    };
    await cache.get('c1', 't', load);
    now = 2000;
    await cache.get('c1', 't', load); // starts the background read
    cache.invalidate('c1');
    const afterWrite = await cache.get('c1', 't', load); // a fresh read after the write
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('c1', 't', load)).toBe(afterWrite);
  });

  it('does not keep a failed read', async () => {
    const cache = new JobListCache(60_000);
    await expect(cache.get('c1', null, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.get('c1', null, async () => snapshot())).resolves.toBeInstanceOf(JobSnapshot);
  });
});

import { describe, expect, it } from 'vitest';
import { jobActorsQuery, jobFailuresQuery, jobTasksQuery, jobWaitsQuery } from './debug-api';

type Interval = (query: { state: { data?: { terminal: boolean; timingPending?: boolean } } }) => number | false;
const intervalOf = (options: { refetchInterval?: unknown }) => options.refetchInterval as Interval;

describe('job debugging queries', () => {
  it('poll while the job runs and stop once it has ended', () => {
    for (const options of [jobTasksQuery('c', 'j'), jobFailuresQuery('c', 'j', 100), jobWaitsQuery('c', 'j', 100)]) {
      const interval = intervalOf(options);
      expect(interval({ state: {} })).toBeGreaterThan(0);
      expect(interval({ state: { data: { terminal: false } } })).toBeGreaterThan(0);
      expect(interval({ state: { data: { terminal: true } } })).toBe(false);
    }
    // An ended job's progress is asked again while the console still reads its groups' times.
    expect(intervalOf(jobTasksQuery('c', 'j'))({ state: { data: { terminal: true, timingPending: true } } })).toBe(
      3000,
    );
    expect(jobActorsQuery('c', 'j', 100, true).refetchInterval).toBe(false);
    expect(jobActorsQuery('c', 'j', 100, false).refetchInterval).toBeGreaterThan(0);
  });

  it('are cached under the cluster and the job, so sign-out and job deletion drop them', () => {
    for (const { queryKey } of [
      jobTasksQuery('c1', 'j1'),
      jobFailuresQuery('c1', 'j1', 100),
      jobWaitsQuery('c1', 'j1', 200),
      jobActorsQuery('c1', 'j1', 100, false),
    ]) {
      expect(queryKey.slice(0, 2)).toEqual(['cluster', 'c1']);
      expect(queryKey).toContain('j1');
    }
    // Two pages of one list are two entries, not one overwritten.
    expect(jobWaitsQuery('c1', 'j1', 100).queryKey).not.toEqual(jobWaitsQuery('c1', 'j1', 200).queryKey);
  });
});

import { describe, expect, it } from 'vitest';
import type { TaskGroup } from '@ray-console/shared';
import type { StateListOptions, StatePage } from '../../ray/ray-dashboard-client.js';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { GroupTimings, TIMED_GROUPS, TIMING_ATTEMPTS, timingOf } from './group-timings.js';
import { emptyCounts } from './task-states.js';

const row = (task_id: string, start?: number, end?: number, name = 'f'): RayTask => ({
  task_id,
  attempt_number: 0,
  state: end ? 'FINISHED' : 'RUNNING',
  name,
  type: 'NORMAL_TASK',
  func_or_class_name: name,
  start_time_ms: start ?? null,
  end_time_ms: end ?? null,
});

const group = (name: string, counts: Partial<TaskGroup['counts']>): TaskGroup => {
  const c = { ...emptyCounts(), ...counts };
  c.total = c.finished + c.failed + c.running + c.pendingArgs + c.pendingResources + c.other;
  return { name, type: 'NORMAL_TASK', counts: c, attemptStateCounts: {}, retriedTasks: 0, extraAttempts: 0 };
};

describe('timingOf', () => {
  it('takes the earliest start, and the latest end only once the group has ended', () => {
    const page: StatePage<RayTask> = {
      items: [row('a', 2000, 5000), row('b', 1000, 3000), row('c'), row('d', 1500, 9000)],
      total: 4,
      truncated: false,
    };
    expect(timingOf(page, true)).toEqual({ firstStartMs: 1000, lastEndMs: 9000, exact: true, attemptsRead: 4 });
    expect(timingOf(page, false)).toEqual({ firstStartMs: 1000, exact: true, attemptsRead: 4 });
  });

  it('says a sample is not exact, and has no start while nothing has run', () => {
    expect(timingOf({ items: [row('a')], total: 5000, truncated: true }, false)).toEqual({
      exact: false,
      attemptsRead: 1,
    });
  });
});

describe('GroupTimings', () => {
  function cluster(token: string, calls: StateListOptions[], rows: (o: StateListOptions) => RayTask[]) {
    return {
      cluster: { id: 'c1' },
      credential: { token },
      ray: {
        listTasks: (_t: string, o: StateListOptions) => {
          calls.push(o);
          const items = rows(o);
          return Promise.resolve({ items, total: items.length, truncated: false });
        },
      },
    } as unknown as SignedInCluster;
  }
  const nameOf = (o: StateListOptions) => o.filters?.[1]?.[2];

  it('never holds a summary up: answers with what it knows, reads the rest, and says so', async () => {
    const timings = new GroupTimings();
    const calls: StateListOptions[] = [];
    const c = cluster('a', calls, (o) => [row('a', 10, 20, nameOf(o))]);
    const first = timings.timeAll(c, '01000000', [group('f', { finished: 1 })]);
    expect(first).toEqual({ groups: [expect.not.objectContaining({ timing: expect.anything() })], pending: true });
    await timings.settled();
    const second = timings.timeAll(c, '01000000', [group('f', { finished: 1 })]);
    expect(second.pending).toBe(false);
    expect(second.groups[0]?.timing).toEqual({ firstStartMs: 10, lastEndMs: 20, exact: true, attemptsRead: 1 });
    expect(calls).toEqual([
      {
        filters: [
          ['job_id', '=', '01000000'],
          ['name', '=', 'f'],
        ],
        detail: true,
        limit: TIMING_ATTEMPTS,
      },
    ]);
  });

  it('reads a group again only when what it shows can change: its end, its first start, new tasks', async () => {
    let now = 0;
    const timings = new GroupTimings(15_000, 100, () => now);
    const calls: StateListOptions[] = [];
    let started = false;
    const c = cluster('a', calls, (o) => [
      started ? row('a', 30, undefined, nameOf(o)) : row('a', undefined, undefined, nameOf(o)),
    ]);
    const read = async (g: TaskGroup) => {
      timings.timeAll(c, '01000000', [g]);
      await timings.settled();
      return timings.timeAll(c, '01000000', [g]).groups[0]?.timing;
    };
    // Running, nothing started yet: read again only after the TTL.
    expect(await read(group('g', { pendingResources: 1 }))).toEqual({ exact: true, attemptsRead: 1 });
    expect(calls).toHaveLength(1);
    started = true;
    now = 16_000;
    expect(await read(group('g', { running: 1 }))).toEqual({ firstStartMs: 30, exact: true, attemptsRead: 1 });
    expect(calls).toHaveLength(2);
    // Started: the first start is fixed, so no more reads while it runs, however long.
    now = 1_000_000;
    await read(group('g', { running: 5 }));
    expect(calls).toHaveLength(2);
    // Ended: one read for the last end, then none while its tasks stay the same; new tasks read again.
    await read(group('g', { finished: 5 }));
    await read(group('g', { finished: 5 }));
    expect(calls).toHaveLength(3);
    await read(group('g', { finished: 6 }));
    expect(calls).toHaveLength(4);
    // Another token reads for itself.
    await timings.settled();
    timings.timeAll(
      cluster('b', calls, () => [row('x', 1, 2, 'g')]),
      '01000000',
      [group('g', { finished: 6 })],
    );
    expect(calls).toHaveLength(5);
  });

  it('falls back to func_or_class_name (Ray 2.52 groups by it), and leaves groups beyond the largest untimed', async () => {
    const timings = new GroupTimings();
    const calls: StateListOptions[] = [];
    const c = cluster('a', calls, (o) =>
      o.filters?.[1]?.[0] === 'func_or_class_name' ? [row('a', 5, 6, 'mod.f')] : [],
    );
    const groups = Array.from({ length: TIMED_GROUPS + 2 }, (_, i) =>
      group(i === 0 ? 'mod.f' : `g${i}`, { finished: 1 }),
    );
    timings.timeAll(c, '01000000', groups);
    await timings.settled();
    const timed = timings.timeAll(c, '01000000', groups).groups;
    expect(timed[0]?.timing).toMatchObject({ firstStartMs: 5, lastEndMs: 6 });
    expect(timed.filter((g) => g.timing === undefined)).toHaveLength(TIMED_GROUPS + 1);
    // Two reads (name, then func_or_class_name) for each timed group, none for the rest.
    expect(calls).toHaveLength(TIMED_GROUPS * 2);
  });

  it('leaves a group untimed when Ray’s read fails, and reads it again after the TTL', async () => {
    let now = 0;
    const timings = new GroupTimings(15_000, 100, () => now);
    let fail = true;
    const c = {
      cluster: { id: 'c1' },
      credential: { token: 'a' },
      ray: {
        listTasks: () =>
          fail
            ? Promise.reject(new Error('Ray timed out'))
            : Promise.resolve({ items: [row('a', 1, 2)], total: 1, truncated: false }),
      },
    } as unknown as SignedInCluster;
    timings.timeAll(c, '01000000', [group('f', { finished: 1 })]);
    await timings.settled();
    expect(timings.timeAll(c, '01000000', [group('f', { finished: 1 })])).toMatchObject({ pending: false });
    fail = false;
    now = 15_000;
    timings.timeAll(c, '01000000', [group('f', { finished: 1 })]);
    await timings.settled();
    expect(timings.timeAll(c, '01000000', [group('f', { finished: 1 })]).groups[0]?.timing).toMatchObject({
      firstStartMs: 1,
      lastEndMs: 2,
    });
  });
});

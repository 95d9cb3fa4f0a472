import { describe, expect, it } from 'vitest';
import { LogFileQuery } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';
import { RayHttpError } from '../../ray/ray-dashboard-client.js';
import type { RayTask } from '../../ray/ray-state-schemas.js';
import { actorDeath, lastExceptionType } from './actor-view.js';
import { groupLogFiles, logError } from './logs.service.js';
import { foldRetries } from './task-summary.service.js';
import { UsageHistory } from './usage-history.js';
import { usageOf } from './node-usage.service.js';
import { RetryRows } from './retry-rows.js';
import { oomFigures } from './failures.service.js';
import { plainText, replicaOf } from './serve.service.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { missingOnEveryNode, splitDemands } from './waits.service.js';

const attempt = (task_id: string, attempt_number: number, state: string, name = 'f'): RayTask => ({
  task_id,
  attempt_number,
  state,
  name,
  type: 'NORMAL_TASK',
  func_or_class_name: name,
});

describe('foldRetries', () => {
  it('counts a task retried twice once, by its latest attempt, with its extra attempts beside', () => {
    // Ray: one task, attempts 0 and 1 FAILED, attempt 2 FINISHED; plus 5 tasks that finished at once.
    const groups = foldRetries({ f: { type: 'NORMAL_TASK', state_counts: { FAILED: 2, FINISHED: 6 } } }, [
      attempt('t1', 1, 'FAILED'),
      attempt('t1', 2, 'FINISHED'),
    ]);
    expect(groups[0]).toMatchObject({
      name: 'f',
      counts: { finished: 6, failed: 0, total: 6 },
      attemptStateCounts: { FAILED: 2, FINISHED: 6 },
      retriedTasks: 1,
      extraAttempts: 2,
    });
  });

  it('keeps a retried task that failed every time as one failure', () => {
    const groups = foldRetries({ f: { type: 'NORMAL_TASK', state_counts: { FAILED: 3 } } }, [
      attempt('t1', 1, 'FAILED'),
      attempt('t1', 2, 'FAILED'),
    ]);
    expect(groups[0]?.counts).toMatchObject({ failed: 1, total: 1 });
  });

  it('finds the group by func_or_class_name where Ray groups by it (2.52) and the name differs', () => {
    const row = { ...attempt('t1', 1, 'RUNNING', 'custom-name'), func_or_class_name: 'mod.fn' };
    const groups = foldRetries({ 'mod.fn': { type: 'NORMAL_TASK', state_counts: { FAILED: 1, RUNNING: 1 } } }, [row]);
    expect(groups[0]?.counts).toMatchObject({ running: 1, failed: 0, total: 1 });
  });

  it('folds Ray’s states into what a user asks, unknown ones as other', () => {
    const [g] = foldRetries(
      {
        f: {
          type: 'NORMAL_TASK',
          state_counts: {
            PENDING_NODE_ASSIGNMENT: 2,
            PENDING_ARGS_AVAIL: 3,
            RUNNING_IN_RAY_GET: 1,
            NIL: 1,
            SOMETHING_NEW: 1,
          },
        },
      },
      [],
    );
    expect(g?.counts).toEqual({
      pendingResources: 2,
      pendingArgs: 3,
      running: 1,
      finished: 0,
      failed: 0,
      other: 2,
      total: 8,
    });
  });
});

describe('actorDeath', () => {
  it('reads an exception in __init__ from its formatted traceback', () => {
    const d = actorDeath({
      creation_task_failure_context: {
        serialized_exception: 'gAW…',
        formatted_exception_string: 'Traceback…\nRuntimeError: boom\n',
      },
    });
    expect(d).toEqual({ kind: 'creation_failed', message: 'Traceback…\nRuntimeError: boom\n' });
  });

  it('names a ray.kill, an OOM kill and an unknown cause', () => {
    expect(
      actorDeath({ actor_died_error_context: { reason: 'RAY_KILL', error_message: 'killed by `ray.kill`' } }),
    ).toEqual({
      kind: 'killed',
      reason: 'RAY_KILL',
      message: 'killed by `ray.kill`',
    });
    expect(
      actorDeath({ oom_context: { error_message: 'Task was killed due to the node running low on memory.' } })?.kind,
    ).toBe('oom');
    expect(actorDeath({ something_new: {} })).toEqual({ kind: 'other', message: 'The actor died (something_new).' });
    expect(actorDeath(null)).toBeUndefined();
  });
});

describe('lastExceptionType', () => {
  it('finds the exception class on the traceback’s last such line', () => {
    expect(lastExceptionType('ray::f() (pid=1)\n  File "x.py", line 9\nKeyError: \'flaky\'')).toBe('KeyError');
    expect(lastExceptionType('…\nray.exceptions.ActorDiedError: The actor died')).toBe('ActorDiedError');
    expect(lastExceptionType('no exception here')).toBeUndefined();
  });
});

describe('missingOnEveryNode / splitDemands', () => {
  const nodes: Record<string, number>[] = [{ CPU: 2, memory: 100 }, { CPU: 4 }];
  it('names a resource no node has, and one more than any single node has', () => {
    expect(missingOnEveryNode({ CPU: 1, console_no_such_thing: 1 }, nodes)).toEqual(['console_no_such_thing']);
    expect(missingOnEveryNode({ CPU: 6 }, nodes)).toEqual(['CPU']);
    expect(missingOnEveryNode({ CPU: 3 }, nodes)).toEqual([]);
    // Each fits some node, but no node has both.
    expect(missingOnEveryNode({ CPU: 3, memory: 50 }, nodes)).toEqual(['CPU', 'memory']);
    // A placement group's own resources are not a node's.
    expect(missingOnEveryNode({ CPU_group_abc: 1 }, nodes)).toEqual([]);
  });
  it('splits the autoscaler’s demands into pending and infeasible', () => {
    expect(
      splitDemands(
        [
          [{ CPU: 1 }, 3],
          [{ GPU: 1 }, 1],
        ],
        nodes,
      ),
    ).toEqual({
      pending: [{ resources: { CPU: 1 }, count: 3 }],
      infeasible: [{ resources: { GPU: 1 }, count: 1 }],
    });
  });
});

describe('groupLogFiles', () => {
  it('groups Ray’s categories, sorted, and leaves out names the console would not open', () => {
    const groups = groupLogFiles({
      worker_out: ['worker-b.out', 'worker-a.out'],
      worker_err: ['worker-a.err'],
      raylet: ['raylet.out'],
      gcs_server: ['gcs_server.out'],
      agent: ['runtime_env_agent.log'],
      brand_new: ['x.log', '../escape.log', 'has space.log'],
    });
    expect(groups).toEqual([
      { group: 'workers', files: ['worker-a.err', 'worker-a.out', 'worker-b.out'], truncated: false },
      { group: 'raylet', files: ['raylet.out'], truncated: false },
      { group: 'gcs', files: ['gcs_server.out'], truncated: false },
      { group: 'runtime_env', files: ['runtime_env_agent.log'], truncated: false },
      { group: 'other', files: ['x.log'], truncated: false },
    ]);
  });

  it('keeps at most 500 files per group and says so', () => {
    const files = Array.from({ length: 600 }, (_, i) => `worker-${String(i).padStart(3, '0')}.out`);
    const [workers] = groupLogFiles({ worker_out: files });
    expect(workers?.files).toHaveLength(500);
    expect(workers?.truncated).toBe(true);
  });
});

describe('logError', () => {
  it('turns Ray 2.52’s UNAUTHENTICATED into unsupported_by_ray_version naming the version', () => {
    const err = logError(
      new RayHttpError(500, 'debug_error_string = "UNAUTHENTICATED:Invalid or missing authentication token"', 'x'),
      '2.52.0',
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unsupported_by_ray_version');
    expect((err as AppError).message).toMatch(/Ray 2\.52\.0 cannot read .* Ray 2\.60 can/);
    expect((err as AppError).params).toEqual({ fixedIn: '2.60' });
  });
  it('turns Ray’s “not found” sentences into not_found, without Ray’s file paths', () => {
    const err = logError(
      new RayHttpError(500, 'A file is not found at: /tmp/ray/session/logs/x.out', 'x'),
      '2.60.0',
    ) as AppError;
    expect(err.code).toBe('not_found');
    expect(err.message).not.toContain('/tmp');
  });
});

describe('LogFileQuery', () => {
  it('takes exactly one target, a filename only with its node, and no path that climbs', () => {
    const node = 'a'.repeat(56);
    expect(LogFileQuery.safeParse({ nodeId: node, filename: 'raylet.out' }).success).toBe(true);
    expect(LogFileQuery.safeParse({ nodeId: node, filename: 'events/event_GCS.log' }).success).toBe(true);
    expect(LogFileQuery.safeParse({ filename: 'raylet.out' }).success).toBe(false);
    expect(LogFileQuery.safeParse({ nodeId: node, filename: '../../etc/passwd' }).success).toBe(false);
    expect(LogFileQuery.safeParse({ nodeId: node, filename: '/etc/passwd' }).success).toBe(false);
    expect(LogFileQuery.safeParse({ taskId: 'b'.repeat(48), actorId: 'c'.repeat(32) }).success).toBe(false);
    expect(LogFileQuery.safeParse({}).success).toBe(false);
    expect(LogFileQuery.safeParse({ taskId: 'not-hex!' }).success).toBe(false);
    expect(LogFileQuery.parse({ actorId: 'c'.repeat(32) }).lines).toBe(5000);
  });
});

describe('UsageHistory', () => {
  it('keeps one sample per interval, drops what is older than the window, and bounds the nodes', () => {
    const h = new UsageHistory({ intervalMs: 10, windowMs: 100, maxNodes: 2 });
    const s = (t: number) => new Map([['n1', { t, cpuPercent: t }]]);
    expect(h.record('c', s(0), 0)).toBe(true);
    expect(h.record('c', s(5), 5)).toBe(false);
    for (let t = 10; t <= 200; t += 10) h.record('c', s(t), t);
    const kept = h.of('c', 'n1', 200);
    expect(kept[0]?.t).toBe(100);
    expect(kept.at(-1)?.t).toBe(200);
    h.record(
      'c',
      new Map([
        ['n2', { t: 210 }],
        ['n3', { t: 210 }],
      ]),
      210,
    );
    expect(h.of('c', 'n1', 210)).toEqual([]);
    expect(h.of('c', 'n3', 210)).toHaveLength(1);
  });
});

describe('RetryRows', () => {
  function cluster(token: string, calls: string[]) {
    return {
      cluster: { id: 'c1' },
      credential: { token },
      ray: {
        listTasks: (t: string) => {
          calls.push(t);
          return Promise.resolve({ items: [], total: 0, truncated: false });
        },
      },
    } as unknown as SignedInCluster;
  }

  it('reads a job’s later attempts once for the calls a page makes at once, never across tokens', async () => {
    let now = 0;
    const rows = new RetryRows(2000, 10, () => now);
    const calls: string[] = [];
    await Promise.all([rows.get(cluster('a', calls), '01000000'), rows.get(cluster('a', calls), '01000000')]);
    expect(calls).toEqual(['a']);
    await rows.get(cluster('b', calls), '01000000');
    expect(calls).toEqual(['a', 'b']);
    now = 2500;
    await rows.get(cluster('a', calls), '01000000');
    expect(calls).toEqual(['a', 'b', 'a']);
  });
});

describe('usageOf', () => {
  it('takes the object store’s size from the node’s resources (the raylet reads 0/0 until its first stats poll)', () => {
    const u = usageOf(
      {
        cpu: 12.5,
        cpus: [2, 2],
        mem: [1000, 600, 40, 400],
        disk: { '/': { total: 100, used: 25 } },
        raylet: { nodeId: 'n', objectStoreUsedMemory: 0, objectStoreAvailableMemory: 0 },
      },
      { object_store_memory: 268435456 },
    );
    expect(u).toMatchObject({
      cpuPercent: 12.5,
      cpus: 2,
      memory: { used: 400, total: 1000 },
      disk: { used: 25, total: 100 },
      objectStore: { used: 0, total: 268435456 },
      gpus: [],
    });
  });
});

describe('Serve: plainText / replicaOf', () => {
  it('takes the terminal colour codes out of Serve’s messages', () => {
    expect(plainText('Error:\n\x1b[36mray::ServeReplica:broken:Broken.initialize()\x1b[39m (pid=1)')).toBe(
      'Error:\nray::ServeReplica:broken:Broken.initialize() (pid=1)',
    );
  });

  it('links a replica to Serve’s log file for it, and to nothing it would not open', () => {
    const nodeId = 'a'.repeat(56);
    const r = { state: 'RUNNING', replica_id: 'r1', node_id: nodeId, pid: 7, actor_id: 'b'.repeat(32) };
    expect(replicaOf({ ...r, log_file_path: '/serve/replica_app_Dep_r1.log' })).toMatchObject({
      replicaId: 'r1',
      pid: 7,
      log: { nodeId, filename: 'serve/replica_app_Dep_r1.log' },
    });
    expect(replicaOf({ ...r, log_file_path: '/serve/../../etc/passwd' }).log).toBeUndefined();
    expect(replicaOf({ ...r, node_id: 'not-a-node', log_file_path: '/serve/x.log' }).log).toBeUndefined();
  });
});

describe('oomFigures', () => {
  it('reads the node’s and the task’s memory from Ray 2.52’s and 2.60’s OOM messages', () => {
    expect(
      oomFigures(
        'Task was killed due to the node running low on memory.\nMemory on the node (IP: 10.0.0.1, ID: abc) where the task (task ID: 1, name=f, pid=7, memory used=3.05GB) was running was 22.15GB / 23.54GB (0.940952), which exceeds the memory usage threshold of 0.93.',
      ),
    ).toBe('the node used 22.15 of 23.54 GB, this task’s worker 3.05 GB');
    expect(
      oomFigures(
        '1 worker(s) were killed due to the node running low on memory. Memory on the node (IP: 10.0.0.1, ID: abc) was 22.15GB used / 23.54GB limit (0.94). (task ID: 1, name=f, pid=7, actual memory used=3.05GB, worker ID=w)',
      ),
    ).toBe('the node used 22.15 of 23.54 GB, this task’s worker 3.05 GB');
    expect(oomFigures('something else')).toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ActorList,
  ApiErrorBody,
  ClusterNodesUsage,
  JobFailures,
  JobTaskSummary,
  JobWaits,
  NodeLogList,
} from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import {
  rayStateOracle,
  startDebugWorkload,
  type DebugWorkload,
  type OracleAnswer,
} from '../support/ray-debug-workload.js';
import { readEventStream, type SseEvent } from '../support/sse.js';
import { waitFor } from '../support/wait.js';

// The debugging routes (issue 9) against the real head, checked against Ray's own Python State API
// (list_tasks, summarize_tasks, list_actors) on the same head. One workload per run: 40 tasks of one
// function, 3 of another that raise ValueError, one retried twice, an actor killed with ray.kill, one
// whose __init__ raises, a task needing a resource no node has, and a placement group no node can hold.

const head = inject('rayHead');
const tag = randomBytes(4).toString('hex');
const fn = (name: string) => `dbg_${name}_${tag}`;
let bff: RunningBff;
let client: BffClient;
let workload: DebugWorkload;
let oracle: OracleAnswer;
let base: string;

/** Ray 2.52's State API cannot read logs on a token-protected head (see docs/ray-debugging-behaviour.md). */
const logsReadable = head.version !== '2.52.0';

async function getJson<T>(path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await client.get(path);
  expect(res.status, res.text).toBe(200);
  return schema.parse(res.json());
}

beforeAll(async () => {
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
  workload = await startDebugWorkload(head, tag);
  base = `/api/clusters/default/jobs/${workload.jobId}`;
  // Ray records task and actor events asynchronously: wait until the oracle sees everything settled.
  oracle = await waitFor(
    'Ray to report every task and actor of the workload',
    async () => {
      const o = await rayStateOracle(head, workload.jobId);
      const broken = o.actors.find((a) => a.class_name === 'Broken');
      const victim = o.actors.find((a) => a.class_name === 'Victim');
      const explode = o.tasks.filter((t) => t.name === fn('explode') && t.state === 'FAILED');
      const flaky = o.tasks.filter((t) => t.name === fn('flaky') && t.state === 'FAILED');
      const square = o.tasks.filter((t) => t.name === fn('square') && t.state === 'FINISHED');
      const ready =
        broken?.state === 'DEAD' &&
        victim?.state === 'DEAD' &&
        explode.length === 3 &&
        flaky.length === 3 &&
        square.length === 40 &&
        o.tasks.some((t) => t.name === fn('infeasible'));
      return ready ? o : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
}, 300_000);

afterAll(async () => {
  await workload?.stop();
  await bff?.close();
});

describe('job progress: GET …/jobs/{jobId}/tasks/summary', () => {
  it('groups the job’s tasks by function with per-state counts that agree with summarize_tasks, retries counted once', async () => {
    const summary = await getJson(`${base}/tasks/summary`, JobTaskSummary.strict());
    expect(summary).toMatchObject({ id: workload.jobId, rayJobId: workload.jobId, status: 'RUNNING', terminal: false });
    const group = (name: string) => summary.groups.find((g) => g.name === fn(name));
    // Ray's raw per-attempt counts are exactly Python's summarize_tasks for the same functions.
    for (const name of ['square', 'explode', 'flaky', 'infeasible']) {
      expect(group(name)?.attemptStateCounts, name).toEqual(oracle.summary[fn(name)]?.state_counts);
    }
    expect(group('square')?.counts).toMatchObject({ finished: 40, failed: 0, total: 40 });
    expect(group('explode')?.counts).toMatchObject({ failed: 3, total: 3 });
    // Ray says 3 FAILED attempts; it is one task that took 3 attempts.
    expect(oracle.summary[fn('flaky')]?.state_counts).toEqual({ FAILED: 3 });
    expect(group('flaky')).toMatchObject({ retriedTasks: 1, extraAttempts: 2, counts: { failed: 1, total: 1 } });
    expect(group('infeasible')?.counts).toMatchObject({ pendingResources: 1, total: 1 });
    // Each task once: as many as the oracle's distinct task ids per function.
    for (const name of ['square', 'explode', 'flaky', 'infeasible']) {
      const ids = new Set(oracle.tasks.filter((t) => t.name === fn(name)).map((t) => t.task_id));
      expect(group(name)?.counts.total, name).toBe(ids.size);
    }
    expect(group('square')?.type).toBe('NORMAL_TASK');
    expect(summary.groups.find((g) => g.name === 'Broken.__init__')).toMatchObject({ type: 'ACTOR_CREATION_TASK' });
    expect(summary.truncated).toBe(false);
  });
});

describe('how long each task group has run: TaskGroup.timing', () => {
  it('is the first start and last end list_tasks(detail=True) reports for the group’s attempts', async () => {
    // A summary never waits for the times: it says they are pending, and a later one has them.
    const summary = await waitFor(
      'the console to have read every group’s times',
      async () => {
        const s = await getJson(`${base}/tasks/summary`, JobTaskSummary.strict());
        return s.timingPending ? undefined : s;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const group = (name: string) => summary.groups.find((g) => g.name === name);
    const oracleTiming = (name: string, ended: boolean) => {
      const rows = oracle.tasks.filter((t) => t.name === name);
      const starts = rows.map((t) => t.start_time_ms).filter((v): v is number => typeof v === 'number' && v > 0);
      const ends = rows.map((t) => t.end_time_ms).filter((v): v is number => typeof v === 'number' && v > 0);
      return {
        ...(starts.length ? { firstStartMs: Math.min(...starts) } : {}),
        ...(ended && ends.length ? { lastEndMs: Math.max(...ends) } : {}),
        exact: true,
        attemptsRead: rows.length,
      };
    };
    // Every group here has fewer attempts than the console reads per group: the figures are Ray's own.
    // Actor tasks are compared too: Ray may record their end without a start (see docs/ray-debugging-behaviour.md).
    for (const name of [
      fn('square'),
      fn('explode'),
      fn('flaky'),
      'Broken.__init__',
      'Victim.__init__',
      'Victim.ping',
    ]) {
      expect(group(name)?.timing, name).toEqual(oracleTiming(name, true));
    }
    const square = group(fn('square'))!.timing!;
    expect(square.lastEndMs! - square.firstStartMs!).toBeGreaterThan(0);
    // The infeasible task never started: the group is timed, with no start and no end.
    expect(group(fn('infeasible'))?.timing).toEqual({ exact: true, attemptsRead: 1 });
  });
});

describe('why it failed: GET …/jobs/{jobId}/failures', () => {
  it('lists every failed attempt Ray lists, with the traceback, node and worker, and leads with the first failure', async () => {
    const failures = await getJson(`${base}/failures?limit=100`, JobFailures.strict());
    const oracleFailed = oracle.tasks.filter((t) => t.state === 'FAILED');
    expect(failures.failedTasks.items.map((t) => `${t.taskId}/${t.attemptNumber}`).sort()).toEqual(
      oracleFailed.map((t) => `${t.task_id}/${t.attempt_number}`).sort(),
    );
    const explode = failures.failedTasks.items.filter((t) => t.name === fn('explode'));
    expect(explode).toHaveLength(3);
    for (const t of explode) {
      const o = oracleFailed.find((x) => x.task_id === t.taskId)!;
      expect(t).toMatchObject({
        errorType: 'TASK_EXECUTION_EXCEPTION',
        exceptionType: 'ValueError',
        retried: false,
        nodeId: o.node_id,
        workerId: o.worker_id,
        workerPid: o.worker_pid,
      });
      expect(t.errorMessage).toBe(o.error_message);
      expect(t.errorMessage).toMatch(/ValueError: console-debug failure \d/);
      expect(t.nodeIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(t.taskLog).toEqual({ taskId: t.taskId, attemptNumber: 0, suffix: 'err', highlight: 'ValueError' });
      expect(t.workerLog?.filename).toMatch(new RegExp(`^worker-${o.worker_id}-[0-9a-f]+-${o.worker_pid}\\.err$`));
    }
    const flaky = failures.failedTasks.items.filter((t) => t.name === fn('flaky'));
    expect(flaky.map((t) => [t.attemptNumber, t.retried]).sort()).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ]);
    // The first failure of this job is the first ValueError (Ray's ordering by end time).
    expect(failures.firstFailure).toMatchObject({ kind: 'task_exception' });
    expect(failures.firstFailure?.title).toMatch(new RegExp(`^Task ${fn('explode')} raised ValueError on node \\d+`));

    const dead = failures.deadActors.items;
    expect(dead.map((a) => a.actorId).sort()).toEqual(
      oracle.actors
        .filter((a) => a.state === 'DEAD')
        .map((a) => a.actor_id)
        .sort(),
    );
    const broken = dead.find((a) => a.className === 'Broken');
    expect(broken?.death).toMatchObject({ kind: 'creation_failed' });
    expect(broken?.death?.message).toMatch(/RuntimeError: console-debug init failure/);
    expect(broken?.log).toEqual({ actorId: broken?.actorId, suffix: 'err', highlight: 'RuntimeError' });
    const victim = dead.find((a) => a.className === 'Victim');
    expect(victim?.death).toMatchObject({ kind: 'killed', reason: 'RAY_KILL' });
    expect(victim?.death?.message).toMatch(/ray\.kill/);
  });

  it('bounds the lists by ?limit= and says they were cut', async () => {
    const failures = await getJson(`${base}/failures?limit=2`, JobFailures.strict());
    expect(failures.failedTasks.items).toHaveLength(2);
    expect(failures.failedTasks).toMatchObject({ truncated: true, limit: 2 });
    expect(failures.failedTasks.total).toBe(oracle.tasks.filter((t) => t.state === 'FAILED').length);
    const bad = await client.get(`${base}/failures?limit=100000`);
    expect(bad.status).toBe(400);
    expect(ApiErrorBody.parse(bad.json()).error.code).toBe('validation');
  });
});

describe('why it is stuck: GET …/jobs/{jobId}/waits', () => {
  it('explains the infeasible task and the placement group no node can hold', async () => {
    const waits = await waitFor(
      'the autoscaler to report the infeasible demand',
      async () => {
        const w = await getJson(`${base}/waits`, JobWaits.strict());
        return w.infeasible.some((d) => d.resources.console_no_such_thing === 1) ? w : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const task = waits.waitingTasks.items.find((t) => t.name === fn('infeasible'));
    expect(task).toMatchObject({
      state: 'PENDING_NODE_ASSIGNMENT',
      waitsFor: 'resources',
      missingResources: ['console_no_such_thing'],
    });
    expect(task?.explanation).toMatch(/no node of this cluster has console_no_such_thing/);
    // Only waiting tasks: none of the finished or failed ones.
    expect(waits.waitingTasks.items.every((t) => t.name === fn('infeasible'))).toBe(true);
    const group = waits.placementGroups.find((g) => g.bundles.some((b) => b.CPU === 64));
    expect(group?.state).toBe('PENDING');
    expect(group?.explanation).toMatch(/fit no node/);
    expect(waits.clusterTotals.CPU).toBe(2);
    expect(waits.autoscalerReport).toBe(true);
  });
});

describe('actors: GET …/jobs/{jobId}/actors', () => {
  it('lists the job’s actors as list_actors does', async () => {
    const actors = await getJson(`${base}/actors`, ActorList.strict());
    expect(actors.items.map((a) => [a.actorId, a.className, a.state, a.pid ?? null, a.nodeId ?? null]).sort()).toEqual(
      oracle.actors.map((a) => [a.actor_id, a.class_name, a.state, a.pid, a.node_id]).sort(),
    );
    expect(actors.items.every((a) => a.jobId === workload.jobId && a.numRestarts === 0)).toBe(true);
  });
});

describe('logs', () => {
  it('lists a node’s log files in groups, worker logs among them', async () => {
    const nodeId = oracle.tasks.find((t) => t.name === fn('explode'))!.node_id!;
    const logs = await getJson(`/api/clusters/default/nodes/${nodeId}/logs`, NodeLogList.strict());
    const names = logs.groups.map((g) => g.group);
    expect(names).toEqual(expect.arrayContaining(['workers', 'raylet', 'gcs', 'dashboard']));
    expect(logs.groups.find((g) => g.group === 'raylet')?.files).toEqual(expect.arrayContaining(['raylet.out']));
    const explode = oracle.tasks.find((t) => t.name === fn('explode'))!;
    expect(logs.groups.find((g) => g.group === 'workers')?.files.some((f) => f.includes(explode.worker_id!))).toBe(
      true,
    );
  });

  it('opens what a failed task wrote and the crashed actor’s worker log, or says which Ray version can (2.52)', async () => {
    const failures = await getJson(`${base}/failures`, JobFailures);
    const task = failures.failedTasks.items.find((t) => t.name === fn('explode'))!;
    const q = new URLSearchParams({ taskId: task.taskId, attemptNumber: '0', suffix: 'err' });
    const own = await client.get(`/api/clusters/default/logs/file?${q}`);
    if (!logsReadable) {
      // Ray 2.52 answers 500 UNAUTHENTICATED to every log read on a token-protected head.
      expect(own.status).toBe(422);
      const body = ApiErrorBody.parse(own.json());
      expect(body.error.code).toBe('unsupported_by_ray_version');
      expect(body.error.message).toMatch(/Ray 2\.52\.0 cannot read worker and node logs.*Ray 2\.60 can/);
      return;
    }
    expect(own.status, own.text).toBe(200);
    expect(own.text).toMatch(/about to fail \d/);
    const broken = failures.deadActors.items.find((a) => a.className === 'Broken')!;
    const actorLog = await client.get(`/api/clusters/default/logs/file?actorId=${broken.actorId}&suffix=err`);
    expect(actorLog.status, actorLog.text).toBe(200);
    expect(actorLog.text).toContain('RuntimeError: console-debug init failure');
    const file = await client.get(
      `/api/clusters/default/logs/file?nodeId=${task.workerLog!.nodeId}&filename=${task.workerLog!.filename}&lines=50`,
    );
    expect(file.status).toBe(200);
    expect(file.text).toMatch(/about to fail \d/);
  });

  it('follows a log as Server-Sent Events in the job log viewer’s format, or says which Ray version can (2.52)', async () => {
    const nodeId = oracle.tasks.find((t) => t.name === fn('explode'))!.node_id!;
    const events: SseEvent[] = [];
    const q = new URLSearchParams({ nodeId, filename: 'raylet.out', lines: '5' });
    const result = await readEventStream(
      `${bff.url}/api/clusters/default/logs/stream?${q}`,
      { cookie: client.cookieHeader() },
      (e) => events.push(e),
      () => events.some((e) => e.event === 'message'),
    );
    if (!logsReadable) {
      expect(result.status).toBe(422);
      expect(ApiErrorBody.parse(JSON.parse(result.body ?? '')).error.code).toBe('unsupported_by_ray_version');
      return;
    }
    expect(result.status).toBe(200);
    const first = events.find((e) => e.event === 'message')!;
    expect(Number(first.id)).toBe(first.data.split('\n').length);
  });

  it('says a node the cluster does not have is not found (Ray itself answers a bare 500)', async () => {
    const res = await client.get(`/api/clusters/default/nodes/${'e'.repeat(56)}/logs`);
    expect(res.status).toBe(404);
    expect(ApiErrorBody.parse(res.json()).error).toMatchObject({ code: 'not_found' });
  });

  it('refuses a file name that climbs out of Ray’s log folder before calling Ray', async () => {
    const nodeId = oracle.tasks[0]!.node_id!;
    const res = await client.get(`/api/clusters/default/logs/file?nodeId=${nodeId}&filename=../../etc/passwd`);
    expect(res.status).toBe(400);
    expect(ApiErrorBody.parse(res.json()).error.code).toBe('validation');
  });
});

describe('cluster: GET …/nodes/usage', () => {
  it('reports per-node usage from Ray’s node summary and keeps the console’s own samples', async () => {
    const usage = await getJson('/api/clusters/default/nodes/usage', ClusterNodesUsage.strict());
    const node = usage.nodes.find((n) => n.isHead)!;
    expect(node.state).toBe('ALIVE');
    expect(node.cpus).toBeGreaterThan(0);
    expect(node.memory?.total).toBeGreaterThan(0);
    expect(node.objectStore?.total).toBe(268435456);
    expect(node.disk?.total).toBeGreaterThan(0);
    expect(node.history.length).toBeGreaterThanOrEqual(1);
    expect(node.history.at(-1)?.t).toBe(usage.fetchedAt);
    expect(usage.autoscaler?.infeasible.some((d) => d.resources.console_no_such_thing === 1)).toBe(true);
    // The test head has no Grafana: no link.
    expect(usage.grafanaUrl).toBeUndefined();
  });
});

describe('the token', () => {
  it('is in no answer of the debugging routes and in no line the console logged', () => {
    expect(client.responses.length).toBeGreaterThan(10);
    for (const r of client.responses) expect(r.text).not.toContain(head.token);
    expect(bff.logs.join('\n')).not.toContain(head.token);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobDetails, JobLogEnd, JobSubmitResponse } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBffProcess, type BffProcess } from '../support/bff-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { readEventStream, type SseEvent } from '../support/sse.js';
import { waitFor } from '../support/wait.js';

// One of two replicas (real processes sharing Redis) is stopped with SIGTERM in the middle of a live
// log tail. It drains: its readiness turns 503, the tail ends cleanly, and the browser reconnects with
// Last-Event-ID through the load balancer, which now picks the other replica; the tail continues
// without losing or repeating a line.

const head = inject('rayHead');
const py = JSON.stringify(head.python);
let redis: TestRedis;
let a: BffProcess;
let b: BffProcess;
const dirs: string[] = [];

async function replica(): Promise<BffProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-failover-'));
  dirs.push(dataDir);
  return startBffProcess({
    SESSION_SECRET: 'failover-secret-0123456789abcdef01234567',
    SESSION_STORE: redis.url,
    DATA_DIR: dataDir,
    RAY_DASHBOARD_URL: head.dashboardUrl,
    // Long on purpose: the tail must end because the replica drains it, not because time ran out.
    DRAIN_TIMEOUT_MS: '60000',
  });
}

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([replica(), replica()]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What a load balancer with health checks does: send each new connection to a ready replica. */
async function pickReady(): Promise<BffProcess> {
  return waitFor(
    'a ready replica',
    async () => {
      for (const r of [a, b]) {
        const ok = await fetch(`${r.url}/api/readyz`, { signal: AbortSignal.timeout(2000) })
          .then((res) => res.ok)
          .catch(() => false);
        if (ok) return r;
      }
      return undefined;
    },
    { timeoutMs: 15_000 },
  );
}

const linesOf = (events: SseEvent[]) => events.filter((e) => e.event === 'message').flatMap((e) => e.data.split('\n'));

describe('a replica stopped with SIGTERM during a live log tail', () => {
  it('drains, and the tail continues through the other replica without losing or repeating lines', async () => {
    const viaA = new BffClient(a.url);
    expect((await viaA.login('default', head.token)).status).toBe(200);
    const submitted = await viaA.post('/api/clusters/default/jobs', {
      entrypoint: `${py} -u -c "import time\nfor i in range(1, 81):\n    print(f'line {i}', flush=True)\n    time.sleep(0.1)"`,
    });
    expect(submitted.status, submitted.text).toBe(201);
    const id = JobSubmitResponse.parse(submitted.json()).submissionId;
    const stream = `/api/clusters/default/jobs/${id}/logs/stream`;

    // The browser: an EventSource that reconnects with Last-Event-ID whenever a stream ends without `end`.
    const events: SseEvent[] = [];
    const served: { replica: string; ended: string; lastEventId: number }[] = [];
    let lastEventId = 0;
    let stopping: Promise<void> | undefined;
    let stoppedAt = 0;
    let endedAt = 0;
    while (!events.some((e) => e.event === 'end')) {
      const target = served.length === 0 ? a : await pickReady();
      const result = await readEventStream(
        target.url + stream,
        { cookie: viaA.cookieHeader(), ...(lastEventId > 0 ? { 'last-event-id': String(lastEventId) } : {}) },
        (event) => {
          events.push(event);
          if (event.id !== undefined) lastEventId = Number(event.id);
          // Once the tail is well under way through A, A is told to stop, as Kubernetes would.
          if (target === a && !stopping && linesOf(events).includes('line 10')) {
            stoppedAt = performance.now();
            stopping = a.stop();
          }
        },
      );
      if (target === a && stopping) endedAt = performance.now();
      served.push({ replica: target === a ? 'a' : 'b', ended: result.ended, lastEventId });
      expect(served.length, JSON.stringify(served)).toBeLessThan(10);
    }
    await stopping;

    // A ended the stream itself, soon after SIGTERM (not at the 60 s drain timeout), and exited cleanly.
    expect(served[0]).toMatchObject({ replica: 'a', ended: 'server' });
    expect(endedAt - stoppedAt).toBeLessThan(5000);
    expect(a.logs.some((l) => l.includes('"msg":"draining"'))).toBe(true);
    expect(a.logs.some((l) => l.includes('"msg":"drained"'))).toBe(true);
    // Everything after that came through B.
    expect(served.slice(1).every((s) => s.replica === 'b')).toBe(true);

    const lines = linesOf(events);
    expect(lines.filter((l) => l.startsWith('line '))).toEqual(Array.from({ length: 80 }, (_, i) => `line ${i + 1}`));
    const end = JobLogEnd.parse(JSON.parse(events.at(-1)!.data));
    expect(end).toMatchObject({ status: 'SUCCEEDED', lines: lines.length });
    // Ids count lines from the start of the log and only ever go up: nothing was sent twice.
    const ids = events.filter((e) => e.event === 'message').map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);

    const viaB = new BffClient(b.url);
    for (const [k, v] of viaA.cookies) viaB.cookies.set(k, v);
    const job = JobDetails.parse((await viaB.get(`/api/clusters/default/jobs/${id}`)).json());
    expect(job.status).toBe('SUCCEEDED');
    expect([...a.logs, ...b.logs].join('\n')).not.toContain(head.token);
  }, 180_000);
});

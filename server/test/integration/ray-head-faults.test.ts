import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditPage, ClusterList } from '@ray-console/shared';
import { newRayToken, startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import { BffClient } from '../support/bff-client.js';
import { startBffProcess, type BffProcess } from '../support/bff-process.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { waitFor } from '../support/wait.js';

// A Ray head of this file's own is killed and comes back, once with the same token and once with a
// new one, under a running console (the real built server). A second cluster, the run's shared head,
// shows that only the cluster at fault is affected.

const shared = inject('rayHead');
const log = (line: string) => process.stderr.write(`${line}\n`);

let head: RayHead;
let bff: BffProcess;
let client: BffClient;
let firstToken: string;

beforeAll(async () => {
  firstToken = newRayToken();
  head = await startRayHead({ version: shared.version, token: firstToken, numCpus: 1, log });
  const config = writeClustersConfig([
    { id: 'flaky', displayName: 'The head that crashes', dashboardUrl: head.dashboardUrl },
    { id: 'steady', displayName: 'The head that stays', dashboardUrl: shared.dashboardUrl },
  ]);
  bff = await startBffProcess({
    SESSION_SECRET: 'ray-faults-secret-0123456789abcdef012345',
    DATA_DIR: `${head.workDir}/console-data`,
    RAY_CONSOLE_CONFIG: config,
    // The default, stated: an unreachable head must answer well within this.
    RAY_REQUEST_TIMEOUT_MS: '10000',
  });
  client = new BffClient(bff.url);
  expect((await client.login('flaky', firstToken)).status).toBe(200);
  expect((await client.login('steady', shared.token)).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await bff?.stop();
  await head?.stop();
});

const code = (res: { json<T>(): T }) => res.json<{ error: { code: string; message: string } }>().error;

async function restartHead(token: string): Promise<void> {
  head = await startRayHead({
    version: shared.version,
    token,
    dashboardPort: head.dashboardPort,
    numCpus: 1,
    workDir: head.workDir,
    log,
  });
}

describe('a Ray head that dies and comes back', () => {
  it('says within a few seconds that the cluster is unreachable, without hanging any request', async () => {
    expect((await client.get('/api/clusters/flaky/resources')).status).toBe(200);
    await head.kill();

    const started = performance.now();
    const [resources, list, steady] = await Promise.all([
      client.get('/api/clusters/flaky/resources'),
      client.get('/api/clusters'),
      client.get('/api/clusters/steady/resources'),
    ]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(resources.status).toBe(502);
    expect(code(resources).code).toBe('ray_unreachable');
    expect(code(resources).message).toContain('cannot be reached');
    // The list still answers and the session keeps the cluster; the other cluster is unaffected.
    const clusters = ClusterList.parse(list.json());
    expect(clusters.find((c) => c.id === 'flaky')).toMatchObject({ signedIn: true });
    expect(steady.status).toBe(200);
  });

  it('lets the user carry on without signing in again when the head returns with the same token', async () => {
    await restartHead(firstToken);
    await waitFor(
      'the console to reach the restarted head',
      async () => {
        const res = await client.get('/api/clusters/flaky/resources');
        // Never signed out along the way: only 502 (still starting) or 200.
        expect([200, 502]).toContain(res.status);
        return res.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const clusters = ClusterList.parse((await client.get('/api/clusters')).json());
    expect(clusters.find((c) => c.id === 'flaky')).toMatchObject({ signedIn: true });
  }, 300_000);

  it('asks for the token again for that cluster only, when the head returns with a different token', async () => {
    await head.kill();
    const secondToken = newRayToken();
    await restartHead(secondToken);

    await waitFor(
      'the head to answer again',
      async () => {
        const res = await client.get('/api/clusters/flaky/resources');
        return res.status !== 502 ? res : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).then((res) => {
      expect(res.status).toBe(403);
      expect(code(res).code).toBe('token_rejected');
    });

    // That cluster is signed out, with the reason the prompt shows; the other cluster is not.
    const after = await client.get('/api/clusters/flaky/resources');
    expect(after.status).toBe(401);
    expect(code(after).code).toBe('signed_out');
    expect(code(after).message).toContain('rejected the token');
    const clusters = ClusterList.parse((await client.get('/api/clusters')).json());
    expect(clusters.find((c) => c.id === 'flaky')).toMatchObject({ signedIn: false, signOutReason: 'token_rejected' });
    expect(clusters.find((c) => c.id === 'steady')).toMatchObject({ signedIn: true });
    expect((await client.get('/api/clusters/steady/resources')).status).toBe(200);

    // Signing in with the new token brings it back; the trail says what happened, in order.
    expect((await client.login('flaky', secondToken)).status).toBe(200);
    expect((await client.get('/api/clusters/flaky/resources')).status).toBe(200);
    const trail = AuditPage.parse((await client.get('/api/clusters/flaky/audit?limit=3')).json());
    expect(trail.events.map((e) => [e.action, e.reason ?? null])).toEqual([
      ['sign-in', null],
      ['sign-out', 'token_rejected'],
      ['sign-in', null],
    ]);
    expect(bff.logs.join('\n')).not.toContain(firstToken);
    expect(bff.logs.join('\n')).not.toContain(secondToken);
  }, 300_000);
});

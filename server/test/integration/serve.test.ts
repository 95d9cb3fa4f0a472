import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ServeStatus } from '@ray-console/shared';
import { freePort, startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { deployServeApps, serveStatusOracle, type ServeOracle } from '../support/ray-serve-workload.js';
import { waitFor } from '../support/wait.js';

// The Serve page (issue 9) against real Ray Serve applications, checked against Ray's own serve.status()
// on the same head. The head is this file's own: Serve's controller, proxy and replicas are detached
// actors that would otherwise stay on the run's shared head; stopping the head ends all of them.

const shared = inject('rayHead');
// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
let head: RayHead;
let bff: RunningBff;
let client: BffClient;

async function consoleServe(): Promise<ServeStatus> {
  const res = await client.get('/api/clusters/default/serve');
  expect(res.status, res.text).toBe(200);
  return ServeStatus.strict().parse(res.json());
}

beforeAll(async () => {
  head = await startRayHead({ version: shared.version, log: (l) => process.stderr.write(`${l}\n`) });
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await bff?.close();
  await head?.stop();
});

describe('Serve: GET …/serve', () => {
  it('says Serve is not running on a head with Serve installed where nobody started it', async () => {
    expect(await consoleServe()).toMatchObject({ running: false, applications: [] });
  });

  it('shows each application and deployment as serve.status() does: status, replicas by state, messages', async () => {
    await deployServeApps(head, await freePort());
    // Serve retries a failing constructor a few times before it gives the application up.
    const oracle: ServeOracle = await waitFor(
      'serve.status() to show the healthy app running on 2 replicas and the broken one failed',
      async () => {
        const o = await serveStatusOracle(head);
        const greeter = o.applications.greeter;
        const broken = o.applications.broken;
        return greeter?.status === 'RUNNING' &&
          greeter.deployments.Greeter?.replica_states.RUNNING === 2 &&
          broken?.status === 'DEPLOY_FAILED'
          ? o
          : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 2000 },
    );
    const serve = await consoleServe();
    expect(serve.running).toBe(true);
    expect(serve.applications.map((a) => a.name).sort()).toEqual(Object.keys(oracle.applications).sort());
    for (const app of serve.applications) {
      const o = oracle.applications[app.name]!;
      expect(app.status, app.name).toBe(o.status);
      expect(app.message ?? '', app.name).toBe(o.message);
      expect(app.lastDeployedTimeS).toBe(o.last_deployed_time_s);
      expect(app.deployments.map((d) => d.name).sort()).toEqual(Object.keys(o.deployments).sort());
      for (const d of app.deployments) {
        const od = o.deployments[d.name]!;
        expect(d.status, d.name).toBe(od.status);
        // Serve's message without the terminal colour codes it carries (a page would show them as garbage).
        expect(d.message ?? '', d.name).toBe(stripAnsi(od.message));
        expect(d.message ?? '').not.toContain('\x1b');
        expect(d.replicaStates, d.name).toEqual(od.replica_states);
      }
    }
    const greeter = serve.applications.find((a) => a.name === 'greeter')!;
    expect(greeter).toMatchObject({ status: 'RUNNING', routePrefix: '/greeter' });
    expect(greeter.deployments).toEqual([
      expect.objectContaining({ name: 'Greeter', status: 'HEALTHY', replicaStates: { RUNNING: 2 }, targetReplicas: 2 }),
    ]);
    // Each replica is one of Serve's replica actors list_actors reports: its actor, pid and node.
    const replicas = greeter.deployments[0]!.replicas;
    expect(replicas.map((r) => [r.actorId, r.pid, r.nodeId, r.state]).sort()).toEqual(
      oracle.replica_actors
        .filter((a) => a.class_name === 'ServeReplica:greeter:Greeter')
        .map((a) => [a.actor_id, a.pid, a.node_id, 'RUNNING'])
        .sort(),
    );
    for (const r of replicas) {
      expect(r.log).toEqual({
        nodeId: r.nodeId,
        filename: expect.stringMatching(/^serve\/replica_greeter_Greeter_.+\.log$/),
      });
    }
    // The replica's own log opens in the console (Ray 2.52 reads no log on a token-protected head).
    const q = new URLSearchParams({
      nodeId: replicas[0]!.log!.nodeId!,
      filename: replicas[0]!.log!.filename!,
      lines: '50',
    });
    const log = await client.get(`/api/clusters/default/logs/file?${q}`);
    if (head.version === '2.52.0') expect(log.status).toBe(422);
    else {
      expect(log.status, log.text).toBe(200);
      expect(log.text).toMatch(/replica/i);
    }
    const broken = serve.applications.find((a) => a.name === 'broken')!;
    expect(broken.status).toBe('DEPLOY_FAILED');
    // The application's message names the deployment that failed; the deployment's holds the exception.
    expect(broken.message).toMatch(/Broken/);
    expect(broken.deployments[0]).toMatchObject({ status: 'DEPLOY_FAILED', statusTrigger: 'REPLICA_STARTUP_FAILED' });
    expect(broken.deployments[0]?.message).toMatch(/RuntimeError: console-serve constructor failure/);
    expect(broken.deployments[0]?.replicas).toEqual([]);
    // Ray 2.60 lists the replicas it stopped after their constructor raised, each with its log file.
    if (head.version === '2.52.0') expect(broken.deployments[0]?.recentDeadReplicas).toEqual([]);
    else {
      expect(broken.deployments[0]?.recentDeadReplicas.length).toBeGreaterThan(0);
      for (const r of broken.deployments[0]!.recentDeadReplicas) {
        expect(r).toMatchObject({
          state: 'STOPPED',
          log: { filename: expect.stringMatching(/^serve\/replica_broken_Broken_/) },
        });
      }
      const dead = broken.deployments[0]!.recentDeadReplicas[0]!.log!;
      const q = new URLSearchParams({ nodeId: dead.nodeId!, filename: dead.filename!, lines: '200' });
      const deadLog = await client.get(`/api/clusters/default/logs/file?${q}`);
      expect(deadLog.status, deadLog.text).toBe(200);
      // Serve's file for the replica says it started and shut down; the exception is only in the message.
      expect(deadLog.text).toMatch(/Started initializing replica/);
      expect(deadLog.text).not.toContain('console-serve constructor failure');
    }
  });

  it('keeps the token out of every answer', () => {
    for (const r of client.responses) expect(r.text).not.toContain(head.token);
  });
});

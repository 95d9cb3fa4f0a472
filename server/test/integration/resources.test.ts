import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterResources } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { startRayDriver } from '../support/ray-python.js';
import { waitFor } from '../support/wait.js';

// GET /api/clusters/{id}/resources against the real head, checked against Python's own
// ray.cluster_resources() on the same head.

const head = inject('rayHead');
let bff: RunningBff;
let client: BffClient;

beforeAll(async () => {
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
});

afterAll(async () => {
  await bff?.close();
});

async function resources(): Promise<ClusterResources> {
  const res = await client.get('/api/clusters/default/resources');
  expect(res.status).toBe(200);
  return res.json<ClusterResources>();
}

describe('GET /api/clusters/{id}/resources', () => {
  it('answers {rayVersion, totals, nodes[], used?, available?} and nothing else', async () => {
    const body = await resources();
    // Strict: a renamed or extra field fails here rather than in the browser.
    const parsed = ClusterResources.strict().parse(body);
    expect(parsed.rayVersion).toBe(head.version);
    expect(parsed.nodes).toHaveLength(1);
    const [node] = parsed.nodes;
    expect(node).toMatchObject({ isHead: true, state: 'ALIVE' });
    expect(node?.nodeId).toMatch(/^[0-9a-f]{56}$/);
    expect(node?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // One node: its resources are the cluster's.
    expect(node?.resourcesTotal).toEqual(parsed.totals);
    // The head was started with --num-cpus=2 and a custom resource of 3.
    expect(parsed.totals.CPU).toBe(2);
    expect(parsed.totals.console_test_widget).toBe(3);
    expect(parsed.totals.object_store_memory).toBe(268435456);
    expect(Object.keys(parsed.totals)).toEqual(expect.arrayContaining(['memory', 'node:__internal_head__']));
    expect(Object.keys(parsed.totals).filter((k) => /^node:\d+\.\d+\.\d+\.\d+$/.test(k))).toHaveLength(1);
    if (parsed.used) {
      expect(Object.keys(parsed.used).sort()).toEqual(Object.keys(parsed.totals).sort());
      for (const [name, total] of Object.entries(parsed.totals)) {
        expect(parsed.available?.[name]).toBeCloseTo(total - (parsed.used[name] ?? 0), 6);
      }
    } else {
      expect(parsed.available).toBeUndefined();
    }
  });

  it('has the totals Python’s ray.cluster_resources() reports, and shows an actor’s resources as used', async () => {
    // One driver does both, to start Python once: read the totals, then hold 1 console_test_widget.
    const driver = await startRayDriver(head, { console_test_widget: 1 });
    try {
      const ours = await resources();
      expect(ours.totals).toEqual(driver.clusterResources);

      await driver.holding;
      // The autoscaler's load report, where `used` comes from, is refreshed every few seconds.
      const busy = await waitFor(
        'the actor’s console_test_widget to show as used',
        async () => {
          const r = await resources();
          return r.used?.console_test_widget === 1 ? r : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      // console_test_widget comes back from the report as consoleTestWidget; the BFF maps it back.
      expect(busy.available?.console_test_widget).toBe(2);
      expect(busy.totals).toEqual(driver.clusterResources);
    } finally {
      await driver.stop();
    }
    await waitFor(
      'the resources to be free again once the driver is gone',
      async () => (await resources()).used?.console_test_widget === 0,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });
});

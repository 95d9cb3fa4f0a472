import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JobList, LoginResponse } from '@ray-console/shared';
import { startConsole, writeConsoleConfig, type RunningConsole } from './support/console.js';
import { Kube, kubeContext, sampleObjects } from './support/kube.js';
import { KubeRay, rayClusterFromSample, type RayClusterJson } from './support/kuberay.js';

const ctx = kubeContext();
const head = inject('rayHead');
const kube = new Kube(ctx);
const kuberay = new KubeRay(kube, ctx.operator);

let ns: string;
let running: RunningConsole;

beforeAll(async () => {
  ns = await kube.createNamespace('connect');
  const [sample] = sampleObjects('ray-cluster.auth.yaml', ns) as [RayClusterJson];
  await Promise.all([
    kuberay.createCluster(sample),
    kuberay.createCluster(rayClusterFromSample(sample, 'elsewhere', ns)),
  ]);
  running = await startConsole({
    KUBERNETES_DISCOVERY: 'true',
    KUBECONFIG: ctx.kubeconfigPath,
    KUBERNETES_NAMESPACES: ns,
    // As in a Pod: heads at their Services, except the one the configuration points elsewhere.
    KUBERNETES_CONNECT: 'service',
    KUBERNETES_REFRESH_SECONDS: '1',
    RAY_CONSOLE_CONFIG: writeConsoleConfig({
      kubernetes: { dashboardUrls: { [`${ns}/ray-cluster-with-auth`]: head.dashboardUrl } },
    }),
  });
});

afterAll(async () => {
  await running?.close();
});

describe('connecting to a discovered cluster', () => {
  it('reaches heads at <service>.<namespace>.svc:<dashboard port>, or at a configured URL', async () => {
    const list = await running.waitForDiscovery('both clusters', (s, l) => s.state === 'ok' && l.length === 2);
    expect(list.find((c) => c.id === `k8s~${ns}~elsewhere`)?.kubernetes?.connection).toEqual({
      via: 'service',
      url: `http://elsewhere-head-svc.${ns}.svc:8265`,
    });
    expect(list.find((c) => c.id === `k8s~${ns}~ray-cluster-with-auth`)?.kubernetes?.connection).toEqual({
      via: 'override',
      url: head.dashboardUrl,
    });
  });

  it('signs in to a discovered cluster with its token and lists its jobs through the console', async () => {
    const id = `k8s~${ns}~ray-cluster-with-auth`;
    await running.waitForDiscovery(
      'the real head to answer',
      (_s, l) => l.find((c) => c.id === id)?.authMode === 'token',
    );
    const submissionId = `k8s-discovered-${Date.now()}`;
    await submitToHead(submissionId);

    const login = await running.client.login(id, head.token);
    expect(login.status, login.text).toBe(200);
    expect(login.json<LoginResponse>()).toMatchObject({ id, rayVersion: head.version, authMode: 'token' });
    expect((await running.clusters()).find((c) => c.id === id)?.signedIn).toBe(true);
    const jobs = await running.client.get(`/api/clusters/${encodeURIComponent(id)}/jobs`);
    expect(jobs.status, jobs.text).toBe(200);
    expect(jobs.json<JobList>().items.map((j) => j.id)).toContain(submissionId);
    for (const res of running.client.responses) expect(res.text).not.toContain(head.token);
    expect(running.logs.join('')).not.toContain(head.token);
  });
});

/** Submits a job straight to the head (Ray's Jobs API), so the console has one to list. */
function submitToHead(submissionId: string): Promise<void> {
  const body = JSON.stringify({ entrypoint: 'echo discovered', submission_id: submissionId });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${head.dashboardUrl}/api/jobs/`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${head.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`job submission: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

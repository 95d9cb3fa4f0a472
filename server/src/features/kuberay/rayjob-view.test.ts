import { describe, expect, it } from 'vitest';
import { RayJobDetail, RayJobSummary } from '@ray-console/shared';
import { byNewest, detailOf, RayJobObject, summaryOf, suspendBlockedOf } from './rayjob-view.js';

/** A RayJob as the API server returns it after KubeRay v1.6 has started its cluster and submitted the job. */
const running = () => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata: {
    name: 'train',
    namespace: 'team-a',
    uid: '4f1c',
    resourceVersion: '812',
    generation: 1,
    creationTimestamp: '2026-11-30T22:00:00Z',
    finalizers: ['ray.io/rayjob-stopjob-finalizer'],
  },
  spec: {
    entrypoint: 'python train.py --epochs 3',
    backoffLimit: 2,
    shutdownAfterJobFinishes: true,
    ttlSecondsAfterFinished: 60,
    activeDeadlineSeconds: 3600,
    submissionMode: 'K8sJobMode',
    runtimeEnvYAML: 'pip:\n  - requests\n',
    metadata: { owner: 'ana' },
    rayClusterSpec: {
      rayVersion: '2.52.0',
      authOptions: { mode: 'token' },
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
      },
    },
  },
  status: {
    jobDeploymentStatus: 'Running',
    jobStatus: 'RUNNING',
    jobId: 'train-x7k2p',
    rayClusterName: 'train-x7k2p',
    dashboardURL: 'train-x7k2p-head-svc.team-a.svc.cluster.local:8265',
    startTime: '2026-11-30T22:00:01Z',
    failed: 1,
    succeeded: 0,
    observedGeneration: 1,
    rayClusterStatus: { state: 'ready', desiredWorkerReplicas: 1 },
  },
});

const known = (ids: string[]) => (id: string) => ids.includes(id);

describe('the RayJob view', () => {
  it('shows the status as the operator wrote it, with retries, the cluster and the Ray job', () => {
    const view = summaryOf(RayJobObject.parse(running()), known(['k8s~team-a~train-x7k2p']));
    expect(RayJobSummary.parse(view)).toEqual({
      namespace: 'team-a',
      name: 'train',
      createdAt: '2026-11-30T22:00:00Z',
      entrypoint: 'python train.py --epochs 3',
      deploymentStatus: 'Running',
      jobStatus: 'RUNNING',
      failed: 1,
      succeeded: 0,
      backoffLimit: 2,
      startTime: '2026-11-30T22:00:01Z',
      suspend: false,
      rayClusterName: 'train-x7k2p',
      jobId: 'train-x7k2p',
      clusterId: 'k8s~team-a~train-x7k2p',
    });
  });

  it('links to the Ray job only when discovery lists its cluster', () => {
    const view = summaryOf(RayJobObject.parse(running()), known([]));
    expect(view.clusterId).toBeUndefined();
    expect(view.rayClusterName).toBe('train-x7k2p');
  });

  it('gives no link for a cluster name or job id Kubernetes or Ray would not accept (whoever patches the status writes them)', () => {
    const job = running();
    job.status.rayClusterName = 'evil:80/#';
    job.status.jobId = '../../api/jobs';
    const view = summaryOf(RayJobObject.parse(job), () => true);
    expect(view.clusterId).toBeUndefined();
    expect(view.jobId).toBeUndefined();
  });

  it('reads a RayJob the operator has not touched yet (no status) and one written with odd fields', () => {
    const fresh = running() as Record<string, unknown>;
    delete fresh.status;
    expect(summaryOf(RayJobObject.parse(fresh), () => true)).toMatchObject({
      failed: 0,
      succeeded: 0,
      suspend: false,
    });
    const odd = running();
    (odd.status as Record<string, unknown>).failed = -3;
    (odd.status as Record<string, unknown>).startTime = 'yesterday';
    const view = summaryOf(RayJobObject.parse(odd), () => true);
    expect(view.failed).toBe(0);
    expect(view.startTime).toBeUndefined();
  });

  it('gives the settings and whether the cluster it makes checks a token', () => {
    const detail = detailOf(RayJobObject.parse(running()), () => false, { patch: true, delete: false });
    expect(RayJobDetail.parse(detail)).toMatchObject({
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 60,
      activeDeadlineSeconds: 3600,
      submissionMode: 'K8sJobMode',
      runtimeEnvYAML: 'pip:\n  - requests\n',
      metadata: { owner: 'ana' },
      rayVersion: '2.52.0',
      tokenAuth: true,
      clusterState: 'ready',
      permissions: { patch: true, delete: false },
    });
    expect(detail.suspendBlocked).toBeUndefined();
  });

  it('says why KubeRay would not suspend it: a cluster selector, no shutdown after the job, or a state it ignores the flag in', () => {
    const job = running();
    expect(suspendBlockedOf(RayJobObject.parse(job))).toBeUndefined();
    expect(
      suspendBlockedOf(RayJobObject.parse({ ...job, spec: { ...job.spec, shutdownAfterJobFinishes: false } })),
    ).toBe('no-shutdown');
    expect(
      suspendBlockedOf(
        RayJobObject.parse({ ...job, spec: { ...job.spec, clusterSelector: { 'ray.io/cluster': 'x' } } }),
      ),
    ).toBe('cluster-selector');
    expect(
      suspendBlockedOf(RayJobObject.parse({ ...job, status: { ...job.status, jobDeploymentStatus: 'Complete' } })),
    ).toBe('state');
    expect(
      suspendBlockedOf(RayJobObject.parse({ ...job, status: { ...job.status, jobDeploymentStatus: 'Initializing' } })),
    ).toBeUndefined();
  });

  it('lists newest first', () => {
    const a = summaryOf(RayJobObject.parse(running()), () => false);
    const b = { ...a, name: 'later', createdAt: '2026-11-30T23:00:00Z' };
    expect([a, b].sort(byNewest).map((j) => j.name)).toEqual(['later', 'train']);
  });
});

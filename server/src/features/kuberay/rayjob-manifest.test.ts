import { describe, expect, it } from 'vitest';
import { RayJobForm } from '@ray-console/shared';
import { rayJobFormFieldOf, rayJobManifest } from './rayjob-manifest.js';

const form = RayJobForm.parse({
  name: 'train',
  namespace: 'team-a',
  entrypoint: 'python train.py',
  runtimeEnv: { env_vars: { A: '1' }, pip: ['requests'] },
  metadata: { team: 'ml' },
  entrypointNumCpus: 1,
  cluster: {
    rayVersion: '2.53.0',
    image: '',
    head: { cpu: '2', memory: '8Gi' },
    worker: { cpu: '1', memory: '4Gi', scaling: { mode: 'autoscaling', minReplicas: 0, maxReplicas: 3 } },
    auth: 'authOptions',
  },
  shutdownAfterJobFinishes: true,
  ttlSecondsAfterFinished: 120,
  backoffLimit: 1,
  activeDeadlineSeconds: 600,
});

describe('the RayJob a form stands for', () => {
  it("has the job part, the lifetime settings and the RayCluster form's spec with authOptions", () => {
    const job = rayJobManifest(form);
    expect(job.metadata).toEqual({ name: 'train', namespace: 'team-a' });
    expect(job.spec).toMatchObject({
      entrypoint: 'python train.py',
      runtimeEnvYAML: 'env_vars:\n  A: "1"\npip:\n  - requests\n',
      metadata: { team: 'ml' },
      entrypointNumCpus: 1,
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 120,
      backoffLimit: 1,
      activeDeadlineSeconds: 600,
    });
    expect(job.spec.rayClusterSpec).toMatchObject({
      rayVersion: '2.53.0',
      authOptions: { mode: 'token' },
      enableInTreeAutoscaling: true,
      workerGroupSpecs: [{ minReplicas: 0, maxReplicas: 3 }],
    });
    expect(job.spec.rayClusterSpec.headGroupSpec.template.spec.containers[0]).toMatchObject({
      image: 'rayproject/ray:2.53.0',
      resources: { limits: { cpu: '2', memory: '8Gi' } },
    });
  });

  it('names the form input an API server refusal belongs to', () => {
    expect(rayJobFormFieldOf('spec.backoffLimit', true)).toBe('form.backoffLimit');
    expect(rayJobFormFieldOf('spec.rayClusterSpec.rayVersion', true)).toBe('form.cluster.rayVersion');
    expect(
      rayJobFormFieldOf(
        'spec.rayClusterSpec.workerGroupSpecs[0].template.spec.containers[0].resources.limits.cpu',
        true,
      ),
    ).toBe('form.cluster.worker.cpu');
    expect(rayJobFormFieldOf('spec.submitterPodTemplate', true)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { RAYCLUSTER_FORM_DEFAULTS, RayClusterForm } from '@ray-console/shared';
import { authOf } from '../kubernetes/raycluster-view.js';
import { RayClusterObject } from '../../kubernetes/kube-objects.js';
import { newAuthToken, rayClusterManifest, rayClusterSpecOf } from './raycluster-manifest.js';

const form = RayClusterForm.parse({
  ...RAYCLUSTER_FORM_DEFAULTS,
  name: 'demo',
  namespace: 'team-a',
  rayVersion: '2.54.1',
  head: { cpu: '2', memory: '8Gi' },
  worker: { cpu: '500m', memory: '2Gi', scaling: { mode: 'fixed', replicas: 3 } },
});

describe('rayClusterManifest', () => {
  it('makes the RayCluster of KubeRay token-auth sample with the form choices', () => {
    const { rayCluster, secret } = rayClusterManifest(form);
    expect(secret).toBeUndefined();
    expect(rayCluster).toMatchObject({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'demo', namespace: 'team-a' },
      spec: { rayVersion: '2.54.1', authOptions: { mode: 'token' } },
    });
    const spec = rayCluster.spec;
    expect(spec.enableInTreeAutoscaling).toBeUndefined();
    const head = spec.headGroupSpec.template.spec.containers[0];
    expect(head).toMatchObject({
      image: 'rayproject/ray:2.54.1',
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '2', memory: '8Gi' } },
    });
    expect(head?.ports).toContainEqual({ containerPort: 8265, name: 'dashboard' });
    expect(head?.env).toBeUndefined();
    expect(spec.workerGroupSpecs).toHaveLength(1);
    expect(spec.workerGroupSpecs[0]).toMatchObject({ replicas: 3, minReplicas: 3, maxReplicas: 3 });
    expect(spec.workerGroupSpecs[0]?.template.spec.containers[0]).toMatchObject({
      image: 'rayproject/ray:2.54.1',
      resources: { requests: { cpu: '500m', memory: '2Gi' } },
    });
    // What discovery reads back from it: token auth from authOptions, in the operator's Secret.
    expect(authOf(RayClusterObject.parse(rayCluster))).toMatchObject({
      mode: 'token',
      source: 'authOptions',
      secret: { name: 'demo', key: 'auth_token' },
    });
  });

  it('turns autoscaling bounds into KubeRay in-tree autoscaling', () => {
    const spec = rayClusterSpecOf({
      ...form,
      image: 'registry.example.com/ray:custom',
      worker: { ...form.worker, scaling: { mode: 'autoscaling', minReplicas: 1, maxReplicas: 5 } },
    });
    expect(spec.enableInTreeAutoscaling).toBe(true);
    expect(spec.autoscalerOptions).toBeUndefined();
    expect(spec.workerGroupSpecs[0]).toMatchObject({ replicas: 1, minReplicas: 1, maxReplicas: 5 });
    expect(spec.headGroupSpec.template.spec.containers[0]?.image).toBe('registry.example.com/ray:custom');
  });

  it('for older operators, makes the Secret and the env of the manual way on every Ray container', () => {
    const manual = { ...form, auth: 'secret-env' as const };
    const { rayCluster, secret } = rayClusterManifest(manual, { token: 'tok-123' });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'demo', namespace: 'team-a', labels: { 'ray.io/cluster': 'demo' } },
      type: 'Opaque',
      stringData: { auth_token: 'tok-123' },
    });
    const spec = rayCluster.spec;
    expect(spec.authOptions).toBeUndefined();
    const env = [
      { name: 'RAY_AUTH_MODE', value: 'token' },
      { name: 'RAY_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'demo', key: 'auth_token' } } },
    ];
    expect(spec.headGroupSpec.template.spec.containers[0]?.env).toEqual(env);
    expect(spec.workerGroupSpecs[0]?.template.spec.containers[0]?.env).toEqual(env);
    expect(authOf(RayClusterObject.parse(rayCluster))).toMatchObject({ mode: 'token', source: 'env' });

    const scaled = rayClusterSpecOf(
      { ...manual, worker: { ...manual.worker, scaling: { mode: 'autoscaling', minReplicas: 0, maxReplicas: 2 } } },
      { tokenSecretName: 'demo' },
    );
    expect(scaled).toMatchObject({ enableInTreeAutoscaling: true, autoscalerOptions: { env } });
  });

  it('generates a fresh token for each Secret unless one is given', () => {
    const manual = { ...form, auth: 'secret-env' as const };
    const a = rayClusterManifest(manual).secret as { stringData: { auth_token: string } };
    const b = rayClusterManifest(manual).secret as { stringData: { auth_token: string } };
    expect(a.stringData.auth_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.stringData.auth_token).not.toBe(b.stringData.auth_token);
    expect(newAuthToken()).not.toBe(newAuthToken());
  });
});

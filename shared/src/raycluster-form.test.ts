import { describe, expect, it } from 'vitest';
import { RAYCLUSTER_FORM_DEFAULTS, RayClusterForm, compareRayVersions } from './raycluster-form.js';

const valid = { ...RAYCLUSTER_FORM_DEFAULTS, name: 'demo', namespace: 'team-a' };

/** The message zod puts on each field path, as the form shows them. */
function fieldErrors(input: unknown): Record<string, string> {
  const result = RayClusterForm.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('RayClusterForm', () => {
  it('accepts the defaults with a name and a namespace', () => {
    expect(RayClusterForm.parse(valid)).toMatchObject({ name: 'demo', rayVersion: '2.53.0', auth: 'authOptions' });
  });

  it('refuses names KubeRay refuses, saying what to change', () => {
    expect(fieldErrors({ ...valid, name: '1demo' }).name).toMatch(/starting with a letter/);
    expect(fieldErrors({ ...valid, name: 'Demo' }).name).toMatch(/lower-case/);
    expect(fieldErrors({ ...valid, name: 'a'.repeat(54) }).name).toMatch(/at most 53/);
    expect(fieldErrors({ ...valid, name: 'a'.repeat(53) })).toEqual({});
    expect(fieldErrors({ ...valid, namespace: 'Team_A' }).namespace).toMatch(/lower-case/);
  });

  it('needs a Ray version with token authentication, written as three numbers', () => {
    expect(fieldErrors({ ...valid, rayVersion: '2.51.1' }).rayVersion).toMatch(/2\.52\.0 or later/);
    expect(fieldErrors({ ...valid, rayVersion: '2.53' }).rayVersion).toMatch(/three numbers/);
    expect(fieldErrors({ ...valid, rayVersion: '2.100.0' })).toEqual({});
    expect(compareRayVersions('2.100.0', '2.52.0')).toBeGreaterThan(0);
  });

  it('refuses a negative or unit-less amount on the field it is in', () => {
    const errors = fieldErrors({
      ...valid,
      head: { cpu: '-1', memory: '8' },
      worker: { ...valid.worker, cpu: '0', memory: '4 GB' },
    });
    expect(Object.keys(errors).sort()).toEqual(['head.cpu', 'worker.cpu', 'worker.memory']);
    expect(errors['head.cpu']).toMatch(/like "2"/);
    expect(errors['worker.memory']).toMatch(/like "8Gi"/);
    expect(fieldErrors({ ...valid, head: { cpu: '500m', memory: '1.5Gi' } })).toEqual({});
  });

  it('wants the autoscaling maximum at least the minimum, and whole worker counts', () => {
    const scaling = (s: unknown) => fieldErrors({ ...valid, worker: { ...valid.worker, scaling: s } });
    expect(scaling({ mode: 'autoscaling', minReplicas: 3, maxReplicas: 2 })).toEqual({
      'worker.scaling.maxReplicas': expect.stringMatching(/at least the minimum \(3\)/),
    });
    expect(scaling({ mode: 'fixed', replicas: -1 })['worker.scaling.replicas']).toMatch(/cannot be negative/);
    expect(scaling({ mode: 'fixed', replicas: 1.5 })['worker.scaling.replicas']).toMatch(/whole number/);
    expect(scaling({ mode: 'autoscaling', minReplicas: 0, maxReplicas: 5 })).toEqual({});
  });

  it('takes an empty image (the default) or a reference, not a sentence', () => {
    expect(fieldErrors({ ...valid, image: '' })).toEqual({});
    expect(fieldErrors({ ...valid, image: 'registry.example.com:5000/team/ray:2.53.0-gpu' })).toEqual({});
    expect(fieldErrors({ ...valid, image: 'ray project' }).image).toMatch(/image reference/);
  });
});

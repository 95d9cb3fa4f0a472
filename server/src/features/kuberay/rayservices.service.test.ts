import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.js';
import type { PersonKube } from '../../kubernetes/person-kube.js';
import { listRayServices, rayServiceYaml } from './rayservices.service.js';

const rayService = (namespace: string, name: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: { name, namespace, uid: 'u-1', resourceVersion: '7', creationTimestamp: '2026-11-30T10:00:00Z' },
  spec: { serveConfigV2: 'applications: []\n' },
  status: { serviceStatus: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

/** The person may list RayServices in `team-a` and `team-c` only. */
const kube = {
  list: (_kind: string, namespace: string) =>
    namespace === 'team-b'
      ? Promise.reject(
          new AppError('kube_forbidden', 'User "alice" cannot list resource "rayservices" in namespace "team-b".'),
        )
      : Promise.resolve(
          namespace === 'team-a' ? [rayService('team-a', 'zeta'), rayService('team-a', 'alpha')] : [{ bogus: 1 }],
        ),
  get: (_kind: string, namespace: string, name: string) => Promise.resolve(rayService(namespace, name)),
} as unknown as PersonKube;

describe('listRayServices', () => {
  it('lists every namespace looked in, names those refused, and skips what is not a RayService', async () => {
    const list = await listRayServices(kube, ['team-a', 'team-b', 'team-c'], { explicit: false });
    expect(list.items.map((s) => `${s.namespace}/${s.name}:${s.ready}`)).toEqual([
      'team-a/alpha:true',
      'team-a/zeta:true',
    ]);
    expect(list.namespaces).toEqual(['team-a', 'team-b', 'team-c']);
    expect(list.problems).toEqual([
      { namespace: 'team-b', message: 'User "alice" cannot list resource "rayservices" in namespace "team-b".' },
    ]);
  });

  it('answers with the refusal when the one namespace asked for is refused', async () => {
    await expect(listRayServices(kube, ['team-b'], { explicit: true })).rejects.toThrow(/cannot list/);
  });
});

describe('rayServiceYaml', () => {
  it('is the manifest kubectl apply takes: no status, no server bookkeeping', async () => {
    const yaml = await rayServiceYaml(kube, 'team-a', 'alpha');
    expect(yaml).toBe(
      [
        'apiVersion: ray.io/v1',
        'kind: RayService',
        'metadata:',
        '  name: alpha',
        '  namespace: team-a',
        'spec:',
        '  serveConfigV2: |',
        '    applications: []',
        '',
      ].join('\n'),
    );
  });
});

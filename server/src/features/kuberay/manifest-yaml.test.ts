import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestForApply } from './manifest-yaml.js';

describe('manifestForApply', () => {
  const read = {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: {
      name: 'demo',
      namespace: 'team-a',
      uid: '0b9c',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-11-30T10:00:00Z',
      managedFields: [{ manager: 'kubectl' }],
      labels: { team: 'a' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'kept' },
    },
    spec: { rayVersion: '2.60.0', authOptions: { mode: 'token' } },
    status: { state: 'ready' },
  };

  it('keeps what kubectl apply needs and drops the status and the server bookkeeping', () => {
    expect(parse(manifestForApply(read))).toEqual({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'demo', namespace: 'team-a', labels: { team: 'a' }, annotations: { note: 'kept' } },
      spec: { rayVersion: '2.60.0', authOptions: { mode: 'token' } },
    });
  });

  it('drops an annotations map left empty by removing the last-applied copy', () => {
    const only = {
      ...read,
      metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    };
    expect(parse(manifestForApply(only)).metadata).toEqual({ name: 'x' });
  });
});

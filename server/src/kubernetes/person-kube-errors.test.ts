import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describePersonFailure, fieldsOfCauses } from './person-kube-errors.js';

const who = { user: 'alice', mode: 'token' as const, server: 'https://kube.example.test', timeoutMs: 5000 };
const action = { verb: 'create', kind: 'RayCluster' as const, namespace: 'team-b', name: 'demo' };

describe('describePersonFailure', () => {
  it('a 403 names the verb, resource, namespace and user', () => {
    const err = describePersonFailure(
      new ApiException(403, 'Forbidden', JSON.stringify({ message: 'rayclusters.ray.io "demo" is forbidden' }), {}),
      action,
      who,
    );
    expect(err).toMatchObject({
      code: 'kube_forbidden',
      params: { verb: 'create', resource: 'rayclusters.ray.io', namespace: 'team-b', name: 'demo', user: 'alice' },
    });
    expect(err.message).toMatch(/^alice may not create rayclusters\.ray\.io "demo" in namespace team-b\./);
  });

  it('a 401 with a pasted token asks for a new one; with the console credentials it is the console that is wrong', () => {
    expect(describePersonFailure(new ApiException(401, 'Unauthorized', '', {}), action, who).code).toBe(
      'kube_token_rejected',
    );
    expect(
      describePersonFailure(new ApiException(401, 'Unauthorized', '', {}), action, { ...who, mode: 'kubeconfig' }).code,
    ).toBe('unavailable');
  });

  it('a 422 keeps the causes on their fields', () => {
    const body = {
      kind: 'Status',
      message: 'RayCluster.ray.io "demo" is invalid: ...',
      reason: 'Invalid',
      details: {
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.headGroupSpec.template' },
          { reason: 'FieldValueInvalid', message: 'must be >= 0', field: 'spec.workerGroupSpecs[0].replicas' },
          { reason: 'FieldValueInvalid', message: 'must be <= 10', field: 'spec.workerGroupSpecs[0].replicas' },
          { reason: 'Other', message: 'something general' },
          { field: 'x', message: 42 },
        ],
      },
    };
    const err = describePersonFailure(new ApiException(422, 'Invalid', body, {}), action, who);
    expect(err.code).toBe('validation');
    expect(err.fields).toEqual({
      'spec.headGroupSpec.template': 'Required value',
      'spec.workerGroupSpecs[0].replicas': 'must be >= 0; must be <= 10',
      '': 'something general',
    });
    expect(fieldsOfCauses('not json')).toEqual({});
  });

  it('404 and 409 keep their meaning', () => {
    expect(describePersonFailure(new ApiException(404, 'NotFound', '', {}), action, who).code).toBe('not_found');
    expect(describePersonFailure(new ApiException(409, 'AlreadyExists', '', {}), action, who).code).toBe('conflict');
  });
});

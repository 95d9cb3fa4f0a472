import { describe, expect, it } from 'vitest';
import type { RayNodeState } from '../../ray/ray-schemas.js';
import { rayCamelCase, sumAliveResources, usedByResource } from './resources.service.js';

function node(
  state: string,
  resources: Record<string, number>,
  id = Math.random().toString(16).slice(2),
): RayNodeState {
  return { node_id: id, node_ip: '10.0.0.1', is_head_node: false, state, resources_total: resources };
}

describe('sumAliveResources', () => {
  it('adds up resources_total over ALIVE nodes, as ray.cluster_resources() does', () => {
    const totals = sumAliveResources([
      node('ALIVE', { CPU: 8, memory: 1000, 'node:10.0.0.1': 1, 'node:__internal_head__': 1 }),
      node('ALIVE', { CPU: 4, GPU: 1, memory: 500, 'node:10.0.0.2': 1 }),
    ]);
    expect(totals).toEqual({
      CPU: 12,
      GPU: 1,
      memory: 1500,
      'node:10.0.0.1': 1,
      'node:10.0.0.2': 1,
      'node:__internal_head__': 1,
    });
  });

  it('ignores DEAD nodes (their resources are gone from the cluster)', () => {
    const totals = sumAliveResources([
      node('ALIVE', { CPU: 2, object_store_memory: 268435456 }),
      node('DEAD', { CPU: 64, GPU: 8, object_store_memory: 1e9 }),
    ]);
    expect(totals).toEqual({ CPU: 2, object_store_memory: 268435456 });
  });

  it('is empty for a cluster with no live node', () => {
    expect(sumAliveResources([])).toEqual({});
    expect(sumAliveResources([node('DEAD', { CPU: 1 })])).toEqual({});
  });
});

describe('rayCamelCase', () => {
  it('camelCases like Ray’s to_camel_case', () => {
    expect(rayCamelCase('object_store_memory')).toBe('objectStoreMemory');
    expect(rayCamelCase('node:__internal_head__')).toBe('node:InternalHead');
    expect(rayCamelCase('console_test_widget')).toBe('consoleTestWidget');
    expect(rayCamelCase('CPU')).toBe('CPU');
  });
});

describe('usedByResource', () => {
  const totals = {
    CPU: 8,
    GPU: 2,
    memory: 1000,
    object_store_memory: 500,
    'node:__internal_head__': 1,
    console_test_widget: 3,
  };

  it('maps the usage report’s camelCased names back to the totals’ own names', () => {
    const used = usedByResource(totals, {
      CPU: [3, 8],
      GPU: [1, 2],
      memory: [100, 1000],
      objectStoreMemory: [50, 500],
      'node:InternalHead': [0.5, 1],
      consoleTestWidget: [1, 3],
    });
    expect(used).toEqual({
      CPU: 3,
      GPU: 1,
      memory: 100,
      object_store_memory: 50,
      'node:__internal_head__': 0.5,
      console_test_widget: 1,
    });
  });

  it('counts a resource the report leaves out as unused', () => {
    expect(usedByResource({ CPU: 8, custom_thing: 1 }, { CPU: [2, 8] })).toEqual({ CPU: 2, custom_thing: 0 });
  });

  it('prefers an exact name when the report has one', () => {
    expect(usedByResource({ my_res: 4 }, { my_res: [1, 4], myRes: [3, 4] })).toEqual({ my_res: 1 });
  });

  it('knows nothing without a usage report', () => {
    expect(usedByResource(totals, undefined)).toBeUndefined();
  });
});

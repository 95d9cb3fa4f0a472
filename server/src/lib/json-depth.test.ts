import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './json-depth.js';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({ a: { b: [1, { c: 2 }] } }, 4)).toBe(false);
    expect(jsonDepthExceeds({ a: { b: [1, { c: 2 }] } }, 3)).toBe(true);
  });

  it('handles a value nested 200,000 deep without overflowing the stack', () => {
    expect(jsonDepthExceeds(nested(200_000), 32)).toBe(true);
    expect(jsonDepthExceeds(nested(32), 32)).toBe(false);
  });
});

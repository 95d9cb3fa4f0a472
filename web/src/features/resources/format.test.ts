import { describe, expect, it } from 'vitest';
import { formatAmount, formatBytes, orderResources } from './format';

describe('resource formatting', () => {
  it('shows memory in binary units and counts as numbers', () => {
    expect(formatBytes(17228382618)).toBe('16.0 GiB');
    expect(formatAmount('memory', 1024)).toBe('1.0 KiB');
    expect(formatAmount('CPU', 2)).toBe('2');
    expect(formatAmount('CPU', 0.5)).toBe('0.5');
  });

  it('orders well-known resources first and node markers last', () => {
    expect(orderResources(['node:127.0.0.1', 'memory', 'zeta', 'CPU', 'alpha', 'object_store_memory'])).toEqual([
      'CPU',
      'memory',
      'object_store_memory',
      'alpha',
      'zeta',
      'node:127.0.0.1',
    ]);
  });
});

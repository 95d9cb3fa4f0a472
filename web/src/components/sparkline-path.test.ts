import { describe, expect, it } from 'vitest';
import { sparklinePath, sparklineSummary } from './sparkline-path';

describe('sparkline', () => {
  it('draws samples left to right, zero at the bottom and max at the top', () => {
    expect(sparklinePath([0, 50, 100], { width: 100, height: 20, max: 100 })).toBe('M0 20 L50 10 L100 0');
  });

  it('breaks the line at a missing sample instead of drawing a fall to zero', () => {
    expect(sparklinePath([10, null, 10, 10], { width: 30, height: 10, max: 10 })).toBe('M0 0 M20 0 L30 0');
  });

  it('keeps values above the scale inside the chart', () => {
    expect(sparklinePath([200], { width: 10, height: 10, max: 100 })).toBe('M0 0');
  });

  it('says lowest, highest and latest of the samples that exist', () => {
    expect(sparklineSummary([null, 3, 9, 1, null])).toEqual({ min: 1, max: 9, last: 1 });
    expect(sparklineSummary([null])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { LINE_OVERHEAD_BYTES, LogWindow } from './log-window.js';

const held = (w: LogWindow) => Array.from({ length: w.size }, (_, i) => w.lineAt(w.base + i));

describe('LogWindow', () => {
  it('keeps the latest lines, numbered from the start of the log, up to its line limit', () => {
    const w = new LogWindow(3, 1 << 20, 100);
    for (let i = 1; i <= 10; i++) w.push(`line ${i}`);
    expect(w.base).toBe(7);
    expect(w.total).toBe(10);
    expect(held(w)).toEqual(['line 8', 'line 9', 'line 10']);
  });

  it('counts UTF-8 bytes and a little per line, and wraps around its buffer without losing a line', () => {
    const line = (i: number) => `${i % 10}é😀${'x'.repeat(i % 37)}`;
    const cost = (s: string) => Buffer.byteLength(s) + LINE_OVERHEAD_BYTES;
    const maxBytes = 64 * 1024;
    const w = new LogWindow(1_000_000, maxBytes, 200);
    const all: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      all.push(line(i));
      w.push(line(i));
      if (i % 97 !== 0) continue;
      const kept = held(w);
      expect(kept.reduce((n, s) => n + cost(s), 0)).toBeLessThanOrEqual(maxBytes);
      // Dropped only when the next oldest would not have fitted as well.
      if (w.base > 0) expect(kept.reduce((n, s) => n + cost(s), 0) + cost(all[w.base - 1]!)).toBeGreaterThan(maxBytes);
    }
    expect(held(w)).toEqual(all.slice(w.base));
    expect(w.lengthOf(w.total - 1)).toBe(Buffer.byteLength(all.at(-1)!));
    // The buffer is allocated once it is large enough, and never beyond the limit and room to wrap.
    expect(w.capacity).toBeLessThanOrEqual(maxBytes + 2 * 200);
  });

  it('always keeps the newest line, even one larger than the byte limit', () => {
    const w = new LogWindow(100, 64, 4000);
    w.push('short');
    w.push('y'.repeat(3000));
    expect(w.base).toBe(1);
    expect(held(w)).toEqual(['y'.repeat(3000)]);
    w.push('');
    expect(held(w)).toEqual(['']);
  });
});

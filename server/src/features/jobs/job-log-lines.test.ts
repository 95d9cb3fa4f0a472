import { describe, expect, it } from 'vitest';
import { LogLineRelay, type LineBatch } from './job-log-lines.js';

/** Feeds chunks, then ends; returns every batch sent. */
function relay(chunks: readonly string[], skip = 0): LineBatch[] {
  const r = new LogLineRelay(skip);
  const out: LineBatch[] = [];
  for (const c of chunks) {
    const b = r.push(c);
    if (b) out.push(b);
  }
  const last = r.end();
  if (last) out.push(last);
  return out;
}

const lines = (batches: readonly LineBatch[]) => batches.flatMap((b) => b.lines);

/** Splits text into chunks at pseudo-random places (deterministic per seed). */
function chunked(text: string, seed: number): string[] {
  const out: string[] = [];
  let x = seed;
  let i = 0;
  while (i < text.length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const n = 1 + (x % 7);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('LogLineRelay', () => {
  it('sends only complete lines, joins lines cut across chunks, and flushes the last partial line at the end', () => {
    const batches = relay(['line 1\nli', 'ne 2\nline', ' 3']);
    expect(batches).toEqual([
      { lines: ['line 1'], delivered: 1 },
      { lines: ['line 2'], delivered: 2 },
      { lines: ['line 3'], delivered: 3 },
    ]);
  });

  it('ends lines at \\n, \\r\\n and a lone \\r, also when \\r\\n is cut between chunks', () => {
    expect(lines(relay(['a\r\nb\rc\n']))).toEqual(['a', 'b', 'c']);
    expect(lines(relay(['a\r', '\nb\r', 'c']))).toEqual(['a', 'b', 'c']);
    expect(lines(relay(['a\r']))).toEqual(['a']);
  });

  it('numbers lines the same way whatever the chunking, so a resume skips exactly what was delivered', () => {
    const log =
      Array.from({ length: 60 }, (_, i) => (i % 9 === 0 ? '' : `line ${i}${i % 5 === 0 ? '\r' : ''}`)).join('\n') +
      '\npartial';
    const whole = lines(relay([log]));
    for (let seed = 1; seed < 40; seed++) {
      const first = relay(chunked(log, seed));
      expect(lines(first)).toEqual(whole);
      // Cut after any batch, resume from its id with another chunking: the rest, nothing more, nothing less.
      for (const cut of first) {
        const rest = relay(chunked(log, seed + 100), cut.delivered);
        const before = whole.slice(0, cut.delivered);
        expect([...before, ...lines(rest)]).toEqual(whole);
        expect(rest.at(-1)?.delivered ?? cut.delivered).toBe(whole.length);
      }
    }
  });

  it('counts every line in the event ids, from the start of the log', () => {
    const batches = relay(['a\nb\nc\nd\n'], 2);
    expect(batches).toEqual([{ lines: ['c', 'd'], delivered: 4 }]);
    expect(relay(['a\nb\n'], 5)).toEqual([]);
  });

  it('never sends an empty line alone (EventSource would drop it) and drops an empty last line', () => {
    const r = new LogLineRelay(0);
    expect(r.push('a\n')).toEqual({ lines: ['a'], delivered: 1 });
    expect(r.push('\n')).toBeUndefined();
    expect(r.push('b\n')).toEqual({ lines: ['', 'b'], delivered: 3 });
    expect(r.push('\n')).toBeUndefined();
    expect(r.end()).toBeUndefined();
    expect(r.delivered).toBe(3);
    // Two empty lines together are fine: their data is "\n", which EventSource keeps.
    expect(relay(['x\n\n\n'])).toEqual([{ lines: ['x', '', ''], delivered: 3 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { LOG_LINE_CONTINUED as C, LogLineSplitter, splitLogText } from './log-lines.js';

/** Feeds `text` in chunks of `size` characters. */
function chunkedSplit(text: string, size: number, max: number): string[] {
  const s = new LogLineSplitter(max);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  return [...out, ...s.end()];
}

describe('LogLineSplitter', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, and the last line without a break is a line too', () => {
    expect(splitLogText('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLogText('a\n')).toEqual(['a']);
    expect(splitLogText('a\r')).toEqual(['a']);
    expect(splitLogText('a\n\r')).toEqual(['a', '']);
    expect(splitLogText('')).toEqual([]);
  });

  it('cuts a line longer than the limit into marked pieces, and leaves a line of exactly the limit whole', () => {
    expect(splitLogText('abcdefghij\nabcd\n', 4)).toEqual(['abcd', `${C}efgh`, `${C}ij`, 'abcd']);
    expect(splitLogText('abcdefgh', 4)).toEqual(['abcd', `${C}efgh`]);
  });

  it('cuts at the same places whatever the chunking, \\r\\n split across chunks included', () => {
    const text = 'x'.repeat(23) + '\r\n' + 'y'.repeat(5) + '\r' + 'z'.repeat(9) + '\n\n' + 'w'.repeat(17);
    const whole = splitLogText(text, 4);
    for (const size of [1, 2, 3, 5, 7, 11, 100]) expect(chunkedSplit(text, size, 4)).toEqual(whole);
  });

  it('never cuts a surrogate pair in half', () => {
    const lines = splitLogText('abc😀def', 4);
    expect(lines).toEqual(['abc', `${C}😀de`, `${C}f`]);
  });

  it('holds no more than one piece of a line that never ends', () => {
    const s = new LogLineSplitter(1000);
    let pieces = 0;
    for (let i = 0; i < 1000; i++) pieces += s.push('.'.repeat(999)).length;
    expect(pieces).toBe(998);
    expect(s.end()).toEqual([C + '.'.repeat(999_000 - 998_000)]);
  });
});

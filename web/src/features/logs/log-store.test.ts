import { describe, expect, it } from 'vitest';
import { LOG_LINE_CONTINUED, LOG_LINE_MAX_CHARS, splitLogText } from '@ray-console/shared';
import { LogStore } from './log-store';
import { findMatches, splitByQuery } from './log-search';

const now = (cb: () => void) => cb();

describe('LogStore', () => {
  it('joins chunks that end mid-line and flushes the last partial line at the end', () => {
    const store = new LogStore(now);
    store.appendText('line 1\nli');
    store.appendText('ne 2\r\nline');
    expect(store.lines).toEqual(['line 1', 'line 2']);
    store.setState({ kind: 'ended', status: 'SUCCEEDED' });
    expect(store.lines).toEqual(['line 1', 'line 2', 'line']);
  });

  it('tells subscribers once per scheduled frame, however many chunks arrived', () => {
    const pending: (() => void)[] = [];
    const store = new LogStore((cb) => pending.push(cb));
    let calls = 0;
    store.subscribe(() => (calls += 1));
    store.appendLines(['a']);
    store.appendLines(['b']);
    store.appendText('c\n');
    expect(pending).toHaveLength(1);
    pending[0]!();
    expect(calls).toBe(1);
    expect(store.version).toBe(1);
    expect(store.lines).toEqual(['a', 'b', 'c']);
  });
});

describe('LogStore numbering', () => {
  it('numbers a reloaded log as the live tail does: a lone \\r ends a line, and an over-long line is cut into marked pieces', () => {
    const long = 'x'.repeat(LOG_LINE_MAX_CHARS + 10);
    const text = `10%\r50%\r100%\n${long}\ndone\n`;
    const store = new LogStore(now);
    // Chunks cut anywhere, as fetch delivers them.
    for (let i = 0; i < text.length; i += 1000) store.appendText(text.slice(i, i + 1000));
    store.setState({ kind: 'ended' });
    expect(store.lines).toEqual([
      '10%',
      '50%',
      '100%',
      'x'.repeat(LOG_LINE_MAX_CHARS),
      LOG_LINE_CONTINUED + 'x'.repeat(10),
      'done',
    ]);
    expect(store.lines).toEqual(splitLogText(text));
  });

  it('keeps line numbers of the whole log after a marker for skipped lines', () => {
    const store = new LogStore(now);
    store.appendLines(['line 1', 'line 2']);
    store.appendSkipped(3, 400);
    store.appendLines(['line 401', 'line 402']);
    expect(store.skippedAt(2)).toEqual({ row: 2, from: 3, to: 400 });
    expect([0, 1, 2, 3, 4].map((row) => store.lineNumber(row))).toEqual([1, 2, 3, 401, 402]);
    expect(store.totalLines).toBe(402);
  });

  it('finds the row of a line of the whole log, so a log opens at the line of an exception', () => {
    const store = new LogStore(now);
    store.appendLines(['line 1', 'line 2']);
    store.appendSkipped(3, 400);
    store.appendLines(['line 401', 'line 402']);
    expect([1, 2, 3, 250, 400, 401, 402].map((n) => store.rowOfLine(n))).toEqual([0, 1, 2, 2, 2, 3, 4]);
    expect(store.rowOfLine(0)).toBeUndefined();
    expect(store.rowOfLine(1.5)).toBeUndefined();
  });
});

describe('log search', () => {
  it('finds every matching line, case-insensitively, across slices', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? `ERROR at step ${i}` : `ok ${i}`));
    const yields: number[] = [];
    const matches = await findMatches(lines, 'error', { sliceSize: 7, yieldTo: async () => void yields.push(1) });
    expect(matches).toEqual([0, 5, 10, 15, 20]);
    // 25 lines in slices of 7: it yielded between the four slices.
    expect(yields).toHaveLength(3);
  });

  it('stops when the search is cancelled', async () => {
    const controller = new AbortController();
    const lines = Array.from({ length: 10 }, () => 'x');
    const search = findMatches(lines, 'x', {
      sliceSize: 2,
      signal: controller.signal,
      yieldTo: async () => controller.abort(),
    });
    await expect(search).rejects.toThrow('search cancelled');
  });

  it('splits a line around each match for highlighting', () => {
    expect(splitByQuery('Foo bar foo', 'foo')).toEqual([
      { text: 'Foo', match: true },
      { text: ' bar ', match: false },
      { text: 'foo', match: true },
    ]);
    expect(splitByQuery('nothing', 'zzz')).toEqual([{ text: 'nothing', match: false }]);
  });
});

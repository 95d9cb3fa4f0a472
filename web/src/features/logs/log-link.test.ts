import { describe, expect, it } from 'vitest';
import { logFileSearch, logPageHref, logRefFromSearch } from './log-link';

const NODE = 'a'.repeat(56);
const TASK = 'b'.repeat(48);

describe('log links', () => {
  it('reopen the same log at the same search from the URL alone', () => {
    const href = logPageHref('dev cluster', { taskId: TASK, attemptNumber: 0, highlight: 'ValueError' });
    expect(href).toBe(`/clusters/dev%20cluster/logs/view?task=${TASK}&attempt=0&find=ValueError`);
    const back = logRefFromSearch(new URL(href, 'http://x').searchParams);
    expect(back).toEqual({ ref: { taskId: TASK, attemptNumber: 0 }, find: 'ValueError' });
  });

  it('keep which stream of a task’s log to open', () => {
    const href = logPageHref('c', { taskId: TASK, attemptNumber: 1, suffix: 'err', highlight: 'ValueError' });
    const back = logRefFromSearch(new URL(href, 'http://x').searchParams)!;
    expect(back.ref).toEqual({ taskId: TASK, attemptNumber: 1, suffix: 'err' });
    expect(logFileSearch(back.ref).toString()).toBe(`taskId=${TASK}&attemptNumber=1&suffix=err`);
  });

  it('carry where a task ran, for when Ray cannot find its part of the log', () => {
    const href = logPageHref('c', { taskId: TASK }, {}, { nodeId: NODE, workerId: 'w1' });
    expect(logRefFromSearch(new URL(href, 'http://x').searchParams)).toEqual({
      ref: { taskId: TASK },
      worker: { nodeId: NODE, workerId: 'w1' },
    });
    expect(logFileSearch({ taskId: TASK }).toString()).toBe(`taskId=${TASK}`);
  });

  it('carry a line to open a node file at', () => {
    const href = logPageHref('c', { nodeId: NODE, filename: 'worker-1.err' }, { line: 42 });
    expect(logRefFromSearch(new URL(href, 'http://x').searchParams)).toEqual({
      ref: { nodeId: NODE, filename: 'worker-1.err' },
      line: 42,
    });
  });

  it('name no log when the URL mixes or lacks the parts of one', () => {
    expect(logRefFromSearch(new URLSearchParams('file=raylet.out'))).toBeUndefined();
    expect(logRefFromSearch(new URLSearchParams(`task=${TASK}&actor=abc`))).toBeUndefined();
    expect(logRefFromSearch(new URLSearchParams(''))).toBeUndefined();
  });

  it('ask the BFF for the log by the names of its query', () => {
    expect(logFileSearch({ nodeId: NODE, filename: 'raylet.out' }).toString()).toBe(
      `nodeId=${NODE}&filename=raylet.out`,
    );
  });
});

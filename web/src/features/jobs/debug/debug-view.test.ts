import { describe, expect, it } from 'vitest';
import { setupI18n } from '@lingui/core';
import timingEn from '../../../i18n/locales/en/taskTiming.json';
import timingZh from '../../../i18n/locales/zh-CN/taskTiming.json';
import { FirstFailureKind } from '@ray-console/shared';
import { toMessages } from '../../../i18n/catalogs';
import en from '../../../i18n/locales/en/debug.json';
import zhCatalog from '../../../i18n/locales/zh-CN/debug.json';
import { translator } from '../../../i18n/use-t';
import {
  demandText,
  doneShare,
  exceptionLine,
  failureExplanation,
  groupTimeText,
  progressSegments,
  retriesText,
  taskTypeText,
} from './debug-view';

function debugT(language: 'en' | 'zh-CN') {
  const i18n = setupI18n();
  i18n.load({ en: toMessages('debug', en), 'zh-CN': toMessages('debug', zhCatalog) } as never);
  i18n.activate(language);
  return translator(i18n, 'debug');
}
const t = debugT('en');
const zh = debugT('zh-CN');

const counts = { pendingResources: 1, pendingArgs: 2, running: 3, finished: 40, failed: 4, other: 0, total: 50 };

describe('job progress in words', () => {
  it('orders the bar done, failed, running, waiting, with every state named', () => {
    expect(progressSegments(counts, t).map((s) => [s.label, s.count])).toEqual([
      ['Finished', 40],
      ['Failed', 4],
      ['Running', 3],
      ['Waiting for arguments', 2],
      ['Waiting for resources', 1],
      ['Other', 0],
    ]);
    expect(doneShare(counts)).toBe(0.88);
    expect(doneShare({ ...counts, total: 0 })).toBe(0);
  });

  it('counts a retried task once and shows its extra attempts apart', () => {
    expect(retriesText({ retriedTasks: 0, extraAttempts: 0 }, t)).toBe('No retries');
    expect(retriesText({ retriedTasks: 1, extraAttempts: 2 }, t)).toBe('1 task retried (2 extra attempts)');
    expect(retriesText({ retriedTasks: 3, extraAttempts: 1 }, t, true)).toBe(
      'at least 3 tasks retried (1 extra attempt)',
    );
    expect(retriesText({ retriedTasks: 1200, extraAttempts: 1 }, zh, true)).toBe(
      '至少 1,200 个任务被重试（额外尝试 1 次）',
    );
  });

  it('names task types without Ray’s enum', () => {
    expect(taskTypeText('ACTOR_CREATION_TASK', t)).toBe('Actor creation');
    expect(taskTypeText('ACTOR_CREATION_TASK', zh)).toBe('Actor 创建');
    expect(taskTypeText('SOMETHING_NEW', t)).toBe('SOMETHING_NEW');
  });
});

describe('first failure in plain words', () => {
  it('explains every kind the BFF can report, with what to do next', () => {
    for (const kind of FirstFailureKind.options) {
      for (const words of [t, zh]) {
        const { what, next } = failureExplanation(kind, words);
        expect(what.length).toBeGreaterThan(5);
        expect(next.length).toBeGreaterThan(10);
        expect(what).not.toMatch(/^debug:/);
      }
    }
    expect(failureExplanation('oom', t).what).toMatch(/out of memory/);
    expect(failureExplanation('oom', zh).what).toMatch(/内存不足/);
    expect(failureExplanation('runtime_env', t).what).toMatch(/runtime environment/);
  });

  it('says a resource request as a person reads it', () => {
    expect(demandText({ e2e_unobtainium: 1, CPU: 0.5, memory: 2 * 1024 ** 3 }, (n) => `${n / 1024 ** 3} GiB`, t)).toBe(
      '0.5 × CPU, 1 × e2e_unobtainium, 2 GiB memory',
    );
  });
});

describe('the line of the exception', () => {
  const traceback = [
    'ray::divide() (pid=1, ip=10.0.0.1)',
    '  File "job.py", line 28, in parse_item',
    '    raise ValueError(BOOM)',
    'ValueError: e2e boom on item 3',
    '',
  ].join('\n');

  it('is the last line of the traceback, not the raise statement above it', () => {
    expect(exceptionLine(traceback, 'ValueError')).toBe('ValueError: e2e boom on item 3');
  });

  it('allows a type qualified with its module', () => {
    expect(exceptionLine('x\nmylib.errors.ParseError: no', 'ParseError')).toBe('mylib.errors.ParseError: no');
  });

  it('is unknown when the text does not end with the exception', () => {
    expect(exceptionLine('Worker died unexpectedly', 'WORKER_DIED')).toBeUndefined();
    expect(exceptionLine(undefined, 'ValueError')).toBeUndefined();
    expect(exceptionLine(traceback, undefined)).toBeUndefined();
  });
});

describe('how long a task group has run, in words', () => {
  const i18n = setupI18n();
  i18n.load({ en: toMessages('taskTiming', timingEn), 'zh-CN': toMessages('taskTiming', timingZh) } as never);
  i18n.activate('en');
  const t = translator(i18n, 'taskTiming');
  const g = (timing?: { firstStartMs?: number; lastEndMs?: number; exact: boolean }) => ({
    counts,
    ...(timing ? { timing: { attemptsRead: 10, ...timing } } : {}),
  });
  it('says took from first start to last end, and running for since the first start', () => {
    expect(groupTimeText(g({ firstStartMs: 1000, lastEndMs: 13_000, exact: true }), false, 99_000, t)).toBe('took 12s');
    expect(groupTimeText(g({ firstStartMs: 1000, exact: true }), false, 201_000, t)).toBe('running for 3m 20s');
  });

  it('says at least when the console read part of the group, and what it cannot measure', () => {
    expect(groupTimeText(g({ firstStartMs: 0, lastEndMs: 65_000, exact: false }), true, 0, t)).toBe(
      'took at least 1m 5s',
    );
    expect(groupTimeText(g({ exact: true }), false, 0, t)).toBe('Not started yet');
    expect(groupTimeText(g({ exact: true }), true, 0, t)).toBe('Never started');
    expect(groupTimeText(g({ firstStartMs: 5, exact: true }), true, 0, t)).toBe('Did not finish');
    expect(groupTimeText(g({ lastEndMs: 5, exact: true }), false, 0, t)).toBe('Ended (Ray recorded no start)');
    expect(groupTimeText(g(), false, 0, t)).toBe('—');
  });
});

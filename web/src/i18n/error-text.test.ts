import { describe, expect, it } from 'vitest';
import { setupI18n } from '@lingui/core';
import { ErrorCode } from '@ray-console/shared';
import { ApiError } from '../lib/api-error';
import { toMessages } from './catalogs';
import { errorText, errorWords } from './error-text';
import { translator } from './use-t';
import en from './locales/en/common.json';
import zh from './locales/zh-CN/common.json';

function tIn(language: 'en' | 'zh-CN') {
  const i18n = setupI18n();
  i18n.load({ en: toMessages('common', en), 'zh-CN': toMessages('common', zh) } as never);
  i18n.activate(language);
  return translator(i18n, 'common');
}

describe('BFF errors in the user’s language', () => {
  it('words every error code in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const t = tIn(language);
      for (const code of [...ErrorCode.options, 'network'] as const) {
        const text = errorText({ code, message: 'English from the BFF' }, t);
        expect(text, `${language} ${code}`).not.toMatch(/^errors\./);
        expect(text).not.toBe('English from the BFF');
      }
    }
    const zhT = tIn('zh-CN');
    expect(errorText({ code: 'token_rejected', message: 'x' }, zhT)).toBe('集群拒绝了该令牌，请输入当前有效的令牌。');
  });

  it('uses the params the message was built from', () => {
    const t = tIn('zh-CN');
    expect(errorText({ code: 'forbidden', message: 'x', params: { role: 'operator' } }, t)).toBe(
      '此操作需要该集群上的 operator 角色。',
    );
    // Without the param it names, the general sentence.
    expect(errorText({ code: 'forbidden', message: 'x' }, t)).toBe('你在该集群上的角色不允许此操作。');
  });

  it('words the limits and versions the BFF names, in both languages', () => {
    const en = tIn('en');
    const zhT = tIn('zh-CN');
    const tails = (scope: string) => ({ code: 'too_many_tails', message: 'x', params: { scope, limit: 8 } });
    expect(errorText(tails('session'), en)).toMatch(/^You already follow 8 live logs, the most one session may/);
    expect(errorText(tails('cluster'), en)).toMatch(/on this cluster, the most it opens to one head/);
    expect(errorText(tails('replica'), zhT)).toMatch(/^控制台已在实时转发 8 个日志/);
    expect(errorText({ code: 'unsupported_by_ray_version', message: 'x', params: { fixedIn: '2.60' } }, zhT)).toContain(
      'Ray 2.60 可以',
    );
    expect(errorText({ code: 'payload_too_large', message: 'x', params: { maxMiB: 500 } }, en)).toContain('500 MiB');
    expect(errorText({ code: 'token_file_outdated', message: 'x', params: { cluster: 'Prod' } }, zhT)).toContain(
      '集群“Prod”',
    );
  });

  it('falls back to the BFF’s English message for a code it does not know', () => {
    const t = tIn('zh-CN');
    expect(errorText({ code: 'from_a_newer_bff', message: 'Something new happened.' }, t)).toBe(
      'Something new happened.',
    );
  });

  it('keeps the BFF’s message as the detail of a panel', () => {
    const t = tIn('zh-CN');
    const error = new ApiError(404, 'not_found', 'There is no job "x" on this cluster.');
    expect(errorWords(error, t)).toEqual({
      text: '未找到该项，它可能已被删除。',
      detail: 'There is no job "x" on this cluster.',
    });
    expect(errorWords('odd', t)).toEqual({ text: '出错了。' });
  });
});

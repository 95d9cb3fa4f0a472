import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it('keeps a path on this console, with its query and fragment', () => {
    expect(safeReturnTo('/clusters/default/jobs?status=RUNNING#top')).toBe('/clusters/default/jobs?status=RUNNING#top');
    expect(safeReturnTo('/')).toBe('/');
  });

  it('sends everything that could leave the console to /', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\r\nSet-Cookie: x=1',
      'clusters',
      '/auth/login',
      '/auth/callback?code=x',
      undefined,
      42,
      `/${'a'.repeat(3000)}`,
    ]) {
      expect(safeReturnTo(bad), String(bad)).toBe('/');
    }
  });
});

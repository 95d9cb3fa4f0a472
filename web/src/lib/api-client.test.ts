import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginResponse } from '@ray-console/shared';
import { api } from './api-client';

// The BFF gives the session a new CSRF token at every sign-in and refuses the old one; the page must
// send the new one on its next write without a refused request first. A stand-in for fetch records
// what the page sends (this is the browser side alone; e2e covers it against the real BFF).

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
  api.forgetCsrf();
});

describe('api client', () => {
  it('takes up the CSRF token a sign-in hands out, and sends it on the next write', async () => {
    const sent: { path: string; csrf: string | null }[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      sent.push({ path, csrf: new Headers(init.headers).get('X-CSRF-Token') });
      if (path === '/api/session') return json({ csrfToken: 'before', clusters: [] });
      if (path.endsWith('/login'))
        return json({ id: 'c1', rayVersion: '2.60.0', authMode: 'token' }, { 'X-CSRF-Token': 'after' });
      return new Response(null, { status: 204 });
    });
    await api.send('POST', '/api/clusters/c1/login', { token: 't' }, LoginResponse);
    await api.send('POST', '/api/clusters/c1/logout', undefined, null);
    expect(sent).toEqual([
      { path: '/api/session', csrf: null },
      { path: '/api/clusters/c1/login', csrf: 'before' },
      { path: '/api/clusters/c1/logout', csrf: 'after' },
    ]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginResponse } from '@ray-console/shared';
import { ApiError } from './api-error';
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

  // A deep link to a job asks for the job before the chunk holding the job's schema has arrived.
  it('sends an early GET at once and parses its answer with the schema given later, failures included', async () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      sent.push(path);
      if (path === '/api/ok') return json({ id: 'c1', rayVersion: '2.60.0', authMode: 'token' });
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'There is no job "x".' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    });
    const ok = api.early('/api/ok');
    const missing = api.early('/api/missing');
    expect(sent).toEqual(['/api/ok', '/api/missing']);
    await expect(ok(LoginResponse)).resolves.toEqual({ id: 'c1', rayVersion: '2.60.0', authMode: 'token' });
    const failure = await missing(LoginResponse).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'not_found', message: 'There is no job "x".' });
  });

  // The browser words an error in the user's language from its code and the values it was built from.
  it('keeps the params of an error body beside its code and English message', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ error: { code: 'forbidden', message: 'Needs operator.', params: { role: 'operator' } } }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
    );
    const failure = await api.get('/api/x', LoginResponse).catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'forbidden', message: 'Needs operator.', params: { role: 'operator' } });
  });

  // A deep link to a finished job's log asks for the log at once, before it knows the job has finished;
  // the log viewer then reads that answer instead of asking again after the job's details arrived.
  it('reads a streamed log asked for early, without a second request', async () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      sent.push(path);
      return new Response('line 1\nline 2\n', { status: 200, headers: { 'content-type': 'text/plain' } });
    });
    api.earlyText('/api/log');
    expect(sent).toEqual(['/api/log']);
    let text = '';
    await api.streamText('/api/log', (chunk) => (text += chunk));
    expect(text).toBe('line 1\nline 2\n');
    expect(sent).toEqual(['/api/log']);
  });

  // An early answer may be from before a sign-in (401), so a failed one is never shown: the log is asked
  // again and that answer (success or the failure as it is now) is what the viewer gets.
  it('asks again when the early log request failed', async () => {
    let signedIn = false;
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      sent.push(path);
      if (!signedIn)
        return new Response(JSON.stringify({ error: { code: 'sign_in_required', message: 'Sign in.' } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        });
      return new Response('after sign-in\n', { status: 200 });
    });
    api.earlyText('/api/log');
    await Promise.resolve();
    signedIn = true;
    let text = '';
    await api.streamText('/api/log', (chunk) => (text += chunk));
    expect(text).toBe('after sign-in\n');
    expect(sent).toEqual(['/api/log', '/api/log']);
  });

  // A running job's log is followed live: the early whole-log request is cancelled, not left streaming.
  it('cancels an early log request that is dropped, and then asks afresh', async () => {
    const signals: AbortSignal[] = [];
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      signals.push(init.signal!);
      return new Response('x\n', { status: 200 });
    });
    api.earlyText('/api/log');
    api.dropEarlyText('/api/log');
    expect(signals[0]!.aborted).toBe(true);
    await api.streamText('/api/log', () => undefined);
    expect(signals).toHaveLength(2);
  });

  // Single sign-on: a session without a person (expired, signed out in another tab) gets 401
  // sign_in_required from every route; the page goes to the sign-in and comes back where it was.
  it('sends the browser to the sign-in route on sign_in_required, keeping where it was, once', async () => {
    const assign = vi.fn();
    vi.stubGlobal('window', {
      location: { pathname: '/clusters/c1/jobs', search: '?status=RUNNING', hash: '', assign },
    });
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({
            error: { code: 'sign_in_required', message: 'Sign in.', params: { loginPath: '/auth/login' } },
          }),
          { status: 401, headers: { 'content-type': 'application/json' } },
        ),
    );
    const first = await api.get('/api/clusters', LoginResponse).catch((err: unknown) => err);
    await api.get('/api/discovery', LoginResponse).catch(() => undefined);
    expect(first).toMatchObject({ status: 401, code: 'sign_in_required' });
    expect(assign.mock.calls).toEqual([
      [`/auth/login?returnTo=${encodeURIComponent('/clusters/c1/jobs?status=RUNNING')}`],
    ]);
  });

  it('signs out: nothing more in the anonymous mode (204), the provider sign-out URL with single sign-on', async () => {
    let answer: Response = new Response(null, { status: 204 });
    vi.stubGlobal('fetch', async (path: string) =>
      path === '/api/session' ? json({ csrfToken: 'c', clusters: [] }) : answer,
    );
    await expect(api.signOut()).resolves.toEqual({});
    answer = json({ signOutUrl: 'https://idp.example.com/logout?client_id=ray-console' });
    await expect(api.signOut()).resolves.toEqual({
      signOutUrl: 'https://idp.example.com/logout?client_id=ray-console',
    });
  });
});

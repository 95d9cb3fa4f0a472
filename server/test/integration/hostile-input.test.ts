import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { startPlainHttpServer, type PlainServer } from '../support/fake-servers.js';

// Hostile input against a BFF signed in to the real head: each attempt gets a clear 4xx with the JSON
// error shape, nothing reaches another host, and the process stays healthy afterwards.

const head = inject('rayHead');
let bff: RunningBff;
let client: BffClient;
/** A server an attacker would like the BFF to call; it must see no request at all. */
let elsewhere: PlainServer;

beforeAll(async () => {
  elsewhere = await startPlainHttpServer(200);
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
});

afterAll(async () => {
  await bff?.close();
  await elsewhere?.close();
});

const errorOf = (res: { json<T>(): T }) => res.json<{ error: { code: string; message: string } }>().error;

/** Sends bytes as they are (no client library fixing them up) and returns the status line and headers. */
function raw(
  request: string | Buffer,
  { endAfterWrite = true } = {},
): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(bff.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let data = '';
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no answer within 10 s; got so far: ${data.slice(0, 200)}`));
    });
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      // One response is enough; the server may keep the connection open.
      const end = data.indexOf('\r\n\r\n');
      if (end >= 0) {
        const length = /content-length: (\d+)/i.exec(data.slice(0, end));
        if (!length || data.length >= end + 4 + Number(length[1])) socket.destroy();
      }
    });
    socket.on('close', () => {
      const [headPart = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headPart)?.[1] ?? 0), head: headPart, body });
    });
    socket.on('error', reject);
    socket.write(request);
    if (endAfterWrite) socket.end();
  });
}

describe('hostile input', () => {
  describe('oversized bodies', () => {
    it('refuses a body over the limit with 413 payload_too_large', async () => {
      const res = await client.post('/api/clusters/default/login', { token: 'x'.repeat(2 * 1024 * 1024) });
      expect(res.status).toBe(413);
      expect(errorOf(res).code).toBe('payload_too_large');
    });

    it('refuses a declared Content-Length over the limit before reading the body', async () => {
      const cookie = client.cookieHeader();
      const res = await raw(
        `POST /api/clusters/default/login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
          `X-CSRF-Token: ${client.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{"token":`,
        { endAfterWrite: false },
      );
      expect(res.status).toBe(413);
      expect(res.body).toContain('payload_too_large');
    });

    it('refuses a token longer than a header to Ray can carry with 400, not a 502 from Ray', async () => {
      const res = await client.post('/api/clusters/default/login', { token: 'x'.repeat(8001) });
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('validation');
    });
  });

  describe('malformed and deeply nested JSON', () => {
    it('refuses JSON nested 100,000 deep with 400, without a stack overflow', async () => {
      const depth = 100_000;
      const res = await client.request('POST', '/api/clusters/default/login', {
        headers: { 'content-type': 'application/json' },
        json: undefined,
      });
      expect(res.status).toBe(400); // no body at all: a clear validation error
      const nested = `{"token":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const deep = await fetch(`${bff.url}/api/clusters/default/login`, {
        method: 'POST',
        headers: {
          cookie: client.cookieHeader(),
          'x-csrf-token': client.csrfToken!,
          'content-type': 'application/json',
        },
        body: nested,
      });
      expect(deep.status).toBe(400);
      expect(((await deep.json()) as { error: { message: string } }).error.message).toContain('nested more than');
    });

    it('refuses a job whose runtime_env nests deeper than any real one, before it reaches Ray (no stack overflow)', async () => {
      // Written as text: JSON.stringify itself would overflow the stack on such a value.
      const depth = 50_000;
      const res = await fetch(`${bff.url}/api/clusters/default/jobs`, {
        method: 'POST',
        headers: {
          cookie: client.cookieHeader(),
          'x-csrf-token': client.csrfToken!,
          'content-type': 'application/json',
        },
        body: `{"entrypoint":"echo never","runtimeEnv":${'{"x":'.repeat(depth)}"leaf"${'}'.repeat(depth)}}`,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    });

    it('refuses broken JSON, and JSON that is not an object, with 400', async () => {
      for (const body of ['{"token":', '"just a string"', '[1,2,3]', 'null', '{"token": "a", "token": 5}']) {
        const res = await fetch(`${bff.url}/api/clusters/default/login`, {
          method: 'POST',
          headers: {
            cookie: client.cookieHeader(),
            'x-csrf-token': client.csrfToken!,
            'content-type': 'application/json',
          },
          body,
        });
        expect(res.status, body).toBe(400);
      }
    });
  });

  describe('header injection attempts', () => {
    it('refuses a cluster id carrying CR/LF, and no header is injected', async () => {
      const res = await client.get('/api/clusters/default%0d%0aSet-Cookie:%20evil=1/resources');
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('validation');
      expect(res.headers.getSetCookie().join('\n')).not.toContain('evil');
    });

    it('refuses job ids carrying CR/LF or path characters on every job route', async () => {
      for (const id of ['abc%0d%0aSet-Cookie:%20evil=1', '..%2F..%2Fnodes', 'a%20b', '%00']) {
        for (const [method, suffix] of [
          ['GET', ''],
          ['GET', '/logs'],
          ['GET', '/logs/stream'],
          ['POST', '/stop'],
          ['DELETE', ''],
        ] as const) {
          const res = await client.request(method, `/api/clusters/default/jobs/${id}${suffix}`);
          expect(res.status, `${method} ${id}${suffix}`).toBe(400);
          expect(res.headers.getSetCookie().join('\n')).not.toContain('evil');
        }
      }
    });

    it('refuses job metadata and submission ids carrying line breaks', async () => {
      const metadata = await client.post('/api/clusters/default/jobs', {
        entrypoint: 'echo never',
        metadata: { owner: 'me\r\nSet-Cookie: evil=1' },
      });
      expect(metadata.status).toBe(400);
      expect(errorOf(metadata).message).toContain('line breaks');
      const key = await client.post('/api/clusters/default/jobs', {
        entrypoint: 'echo never',
        metadata: { 'a\nb': 'c' },
      });
      expect(key.status).toBe(400);
      const submissionId = await client.post('/api/clusters/default/jobs', {
        entrypoint: 'echo never',
        submissionId: 'x\r\ny',
      });
      expect(submissionId.status).toBe(400);
    });

    it('refuses a token with a line break or non-ASCII (it would go into a header to Ray) with 400, not a 502', async () => {
      expect((await client.login('default', `${head.token}é`)).status).toBe(400);
      const res = await client.login('default', `${head.token}\r\nX-Injected: 1`);
      expect(res.status).toBe(400);
      expect(errorOf(res).message).toContain('no line breaks');
      expect(res.text).not.toContain(head.token);
    });
  });

  describe('requests naming other hosts or paths', () => {
    const target = () => new URL(elsewhere.url).host;

    it('refuses cluster ids that look like URLs, hosts or paths', async () => {
      for (const id of [
        encodeURIComponent(`http://${target()}`),
        encodeURIComponent(`//${target()}`),
        encodeURIComponent('../../api/version'),
        '..%2F..%2Fapi%2Fversion',
        '%2e%2e',
        encodeURIComponent(`default@${target()}`),
        encodeURIComponent('default?x=1'),
        encodeURIComponent('default#frag'),
      ]) {
        const res = await client.get(`/api/clusters/${id}/resources`);
        expect([400, 404], id).toContain(res.status);
        expect(['validation', 'unknown_cluster', 'not_found'], id).toContain(errorOf(res).code);
      }
    });

    it('answers a well-formed but unknown cluster id with 404 unknown_cluster: ids are looked up, never dialled', async () => {
      for (const id of ['evil.example', '127.0.0.1', 'localhost', 'metadata.google.internal']) {
        const res = await client.get(`/api/clusters/${id}/resources`);
        expect(res.status, id).toBe(404);
        expect(errorOf(res).code).toBe('unknown_cluster');
        expect((await client.login(id, head.token)).status).toBe(404);
      }
    });

    it('refuses an absolute-form request target (a request meant for a proxy) with 400', async () => {
      const res = await raw(`GET http://${target()}/api/session HTTP/1.1\r\nHost: ${target()}\r\n\r\n`);
      expect(res.status).toBe(400);
      expect(res.body).toContain('not a proxy');
    });

    it('refuses paths that climb out of the API, and unknown API paths, with 404', async () => {
      const climb = await raw('GET /api/clusters/default/../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(climb.status).toBe(404);
      expect(climb.body).not.toContain('root:');
      const unknown = await client.get('/api/clusters/default/dashboard-proxy/api/jobs/');
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown).code).toBe('not_found');
    });

    it('refuses a write whose Host or Origin names another site with 403 csrf', async () => {
      const res = await client.post('/api/clusters/default/logout', undefined, {
        headers: { origin: `http://${target()}` },
      });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('csrf');
      const spoofedHost = await raw(
        `POST /api/clusters/default/logout HTTP/1.1\r\nHost: ${target()}\r\nOrigin: ${bff.url}\r\n` +
          `Cookie: ${client.cookieHeader()}\r\nX-CSRF-Token: ${client.csrfToken}\r\nContent-Length: 0\r\n\r\n`,
      );
      expect(spoofedHost.status).toBe(403);
    });

    it('never sent a request to the other host', () => {
      expect(elsewhere.hits()).toBe(0);
    });
  });

  it('stays healthy and signed in after all of it', async () => {
    expect((await client.get('/api/healthz')).status).toBe(200);
    expect((await client.get('/api/readyz')).status).toBe(200);
    expect((await client.get('/api/clusters/default/resources')).status).toBe(200);
    expect(bff.logs.join('\n')).not.toContain(head.token);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../lib/app-error.js';
import { RayDashboardClient, RayHttpError, type RayEndpoint } from './ray-dashboard-client.js';

// A tiny fake of the Ray dashboard: unit tests only. The integration tests run the real head.

const TOKEN = '3f7c1e0a9b8d4c2e6f5a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e';
const UA = 'ray-console/test';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const seen: Seen[] = [];
let handler: Handler = (_req, res) => res.end();
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

afterEach(() => {
  seen.length = 0;
  handler = (_req, res) => res.end();
});

function reply(status: number, body: string, contentType = 'application/json; charset=utf-8'): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };
}

const versionBody = JSON.stringify({ version: '4', ray_version: '2.60.0', ray_commit: 'abc', session_name: 's' });

/** Exposes the protected plumbing, to check what a write (job submit, stop) would send. */
class WritingClient extends RayDashboardClient {
  post(path: string, token: string | null, json: unknown): Promise<Response> {
    return this.send({ method: 'POST', path, token, json });
  }

  put(path: string, token: string | null, body: ReadableStream<Uint8Array>): Promise<Response> {
    return this.send({ method: 'PUT', path, token, body });
  }
}

function client(endpoint: Partial<RayEndpoint> = {}, timeoutMs = 2000): WritingClient {
  return new WritingClient({ baseUrl, tokenHeader: 'authorization', ...endpoint }, { timeoutMs, userAgent: UA });
}

/** The AppError `promise` rejects with; fails the test when it resolves or rejects with something else. */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw err;
  // Whatever went wrong, the message a user (or a log) sees never holds the token.
  expect(err.message).not.toContain(TOKEN);
  expect(JSON.stringify(err)).not.toContain(TOKEN);
  return err;
}

const BROWSER_HEADERS = [
  'origin',
  'referer',
  'cookie',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-dest',
  'sec-fetch-user',
];

describe('RayDashboardClient', () => {
  it('sends the token as "Bearer <token>", its own User-Agent, and no header that looks like a browser', async () => {
    handler = reply(200, versionBody);
    const version = await client().version(TOKEN);
    expect(version.ray_version).toBe('2.60.0');
    const [req] = seen;
    expect(req?.url).toBe('/api/version');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['user-agent']).toBe(UA);
    for (const h of BROWSER_HEADERS) expect(req?.headers, h).not.toHaveProperty(h);
  });

  it('sends writes without any browser header either (Ray answers 405 to browser-like POSTs)', async () => {
    handler = reply(200, '{"job_id":"x"}');
    const res = await client().post('/api/jobs/', TOKEN, { entrypoint: 'echo hi' });
    expect(res.status).toBe(200);
    const [req] = seen;
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ entrypoint: 'echo hi' });
    expect(req?.headers['user-agent']).toBe(UA);
    for (const h of BROWSER_HEADERS) expect(req?.headers, h).not.toHaveProperty(h);
  });

  it('streams an upload body (package uploads) with the same headers', async () => {
    handler = reply(200, '{}');
    const bytes = new TextEncoder().encode('PK\u0003\u0004 zip bytes');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 5));
        controller.enqueue(bytes.subarray(5));
        controller.close();
      },
    });
    const res = await client().put('/api/packages/gcs/_ray_pkg_x.zip', TOKEN, body);
    expect(res.status).toBe(200);
    expect(seen[0]?.method).toBe('PUT');
    expect(seen[0]?.body).toBe('PK\u0003\u0004 zip bytes');
    for (const h of BROWSER_HEADERS) expect(seen[0]?.headers, h).not.toHaveProperty(h);
  });

  it('sends no credential for a head with auth disabled', async () => {
    handler = reply(200, versionBody);
    await client().version(null);
    expect(seen[0]?.headers).not.toHaveProperty('authorization');
    expect(seen[0]?.headers).not.toHaveProperty('x-ray-authorization');
  });

  it('uses X-Ray-Authorization (and not Authorization) where the endpoint says so, with the path prefix kept', async () => {
    handler = reply(200, versionBody);
    const proxied = client({
      baseUrl: `${baseUrl}/api/v1/namespaces/ray/services/head:8265/proxy/`,
      tokenHeader: 'x-ray-authorization',
      headers: () => ({ authorization: 'Bearer kube-api-token' }),
    });
    await proxied.version(TOKEN);
    expect(seen[0]?.url).toBe('/api/v1/namespaces/ray/services/head:8265/proxy/api/version');
    expect(seen[0]?.headers['x-ray-authorization']).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers.authorization).toBe('Bearer kube-api-token');
  });

  it('asks for every node with detail', async () => {
    handler = reply(
      200,
      JSON.stringify({
        result: true,
        msg: '',
        data: {
          result: {
            total: 1,
            result: [
              { node_id: 'n1', node_ip: '127.0.0.1', is_head_node: true, state: 'ALIVE', resources_total: { CPU: 2 } },
            ],
          },
        },
      }),
    );
    const nodes = await client().nodes(TOKEN);
    expect(nodes.map((n) => n.node_id)).toEqual(['n1']);
    const url = new URL(seen[0]?.url ?? '', baseUrl);
    expect(url.pathname).toBe('/api/v0/nodes');
    expect(url.searchParams.get('limit')).toBe('10000');
    expect(url.searchParams.get('detail')).toBe('true');
  });

  it('reads the auth mode without a token: token, disabled, and k8s (needs a token too)', async () => {
    for (const [said, mode] of [
      ['token', 'token'],
      ['disabled', 'disabled'],
      ['k8s', 'token'],
    ] as const) {
      handler = reply(200, JSON.stringify({ authentication_mode: said }));
      expect(await client().authenticationMode()).toBe(mode);
    }
    expect(seen.every((r) => r.url === '/api/authentication_mode' && r.headers.authorization === undefined)).toBe(true);
  });

  it('maps 401 (no token) to token_missing', async () => {
    handler = reply(401, 'Unauthorized: Missing authentication token', 'text/plain; charset=utf-8');
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('token_missing');
  });

  it('maps 403 (wrong token) to token_rejected', async () => {
    handler = reply(403, 'Forbidden: Invalid authentication token', 'text/plain; charset=utf-8');
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('token_rejected');
  });

  it("through the API server's proxy, a 401/403 Kubernetes Status is the console's identity refused, not the token", async () => {
    const status = (code: number, message: string) =>
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code });
    const proxied = client({
      baseUrl: `${baseUrl}/api/v1/namespaces/ray/services/head:dashboard/proxy`,
      tokenHeader: 'x-ray-authorization',
    });
    handler = reply(
      403,
      status(
        403,
        'services "head" is forbidden: User "console" cannot get resource "services/proxy" in the namespace "ray"',
      ),
    );
    const refused = await appErrorOf(proxied.version(TOKEN));
    expect(refused.code).toBe('unavailable');
    expect(refused.message).toContain("refused the console's own Kubernetes identity (403)");
    expect(refused.message).toContain('your Ray token was not checked, and you stay signed in');
    expect(refused.message).toContain('cannot get resource "services/proxy"');
    handler = reply(401, status(401, 'Unauthorized'));
    expect((await appErrorOf(proxied.version(TOKEN))).message).toContain(
      "did not accept the console's own Kubernetes credentials (401)",
    );
    // Ray's own refusal through the proxy is still the token's.
    handler = reply(403, 'Forbidden: Invalid authentication token', 'text/plain; charset=utf-8');
    expect((await appErrorOf(proxied.version(TOKEN))).code).toBe('token_rejected');
    // Straight to a head there is no API server in between: a Status-shaped body proves nothing.
    handler = reply(403, status(403, 'forbidden'));
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('token_rejected');
  });

  it('maps a refused connection to ray_unreachable', async () => {
    const closed = await closedPort();
    const err = await appErrorOf(client({ baseUrl: `http://127.0.0.1:${closed}` }).version(TOKEN));
    expect(err.code).toBe('ray_unreachable');
    expect(err.message).toContain('connection refused');
  });

  it('maps a head that does not answer in time to ray_unreachable', async () => {
    handler = () => {
      // Never answers; the client's timeout must end the call.
    };
    const err = await appErrorOf(client({}, 300).version(TOKEN));
    expect(err.code).toBe('ray_unreachable');
    expect(err.message).toContain('no answer in time');
  });

  it('maps a head that stops answering halfway through the body to ray_unreachable', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"version": "4", ');
      // ...and nothing more, until the client gives up.
    };
    const err = await appErrorOf(client({}, 300).version(TOKEN));
    expect(err.code).toBe('ray_unreachable');
  });

  it('maps an answer that is not JSON to not_ray', async () => {
    handler = reply(200, '<!doctype html><title>Some other app</title>', 'text/html');
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('not_ray');
    expect((await appErrorOf(client().authenticationMode())).code).toBe('not_ray');
  });

  it('maps JSON of the wrong shape to not_ray', async () => {
    handler = reply(200, JSON.stringify({ hello: 'world' }));
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('not_ray');
  });

  it('maps a 404 on /api/authentication_mode (every Ray dashboard has it) to not_ray', async () => {
    handler = reply(404, '<html>Not Found</html>', 'text/html');
    expect((await appErrorOf(client().authenticationMode())).code).toBe('not_ray');
  });

  it('maps a redirect (a login page in front, say) to not_ray instead of following it', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/login' });
      res.end();
    };
    expect((await appErrorOf(client().version(TOKEN))).code).toBe('not_ray');
    expect(seen).toHaveLength(1);
  });

  it('turns other Ray errors into ray_error with the last line of Ray’s traceback', async () => {
    handler = reply(
      500,
      'Traceback (most recent call last):\n  File "x.py"\nValueError: limit is too large\n',
      'text/plain',
    );
    const err = await appErrorOf(client().nodes(TOKEN));
    expect(err).toBeInstanceOf(RayHttpError);
    expect(err.code).toBe('ray_error');
    expect((err as RayHttpError).status).toBe(500);
    expect((err as RayHttpError).rayMessage).toBe('ValueError: limit is too large');
  });

  it('never puts the token in an error message, even when the head echoes it', async () => {
    handler = (req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`bad header: ${req.headers.authorization ?? ''}`);
    };
    const err = await appErrorOf(client().version(TOKEN));
    expect(err.code).toBe('ray_error');
  });
});

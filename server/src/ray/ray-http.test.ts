import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../lib/app-error.js';
import { RayDashboardClient } from './ray-dashboard-client.js';
import { mayRetryOnNewSocket, RAY_SOCKETS_PER_HEAD } from './ray-http.js';

// A fake Ray dashboard (unit tests only) that counts connections and can drop a kept-alive one the way a
// head that restarted, or a proxy's idle limit, does: the next request written to it gets no answer.

let server: http.Server;
let baseUrl: string;
let connections = 0;
let open = 0;
let mostOpen = 0;
const requests: string[] = [];
/** Requests already served on each connection. */
const served = new WeakMap<Socket, number>();
/** What to do with a request arriving on a connection that already served one. */
let onReusedSocket: 'answer' | 'drop' = 'answer';
let delayMs = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const before = served.get(req.socket) ?? 0;
      served.set(req.socket, before + 1);
      if (before > 0 && onReusedSocket === 'drop') {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        const body =
          req.method === 'POST' ? '{"stopped": true}' : '{"version": "4", "ray_version": "2.60.0", "ray_commit": "x"}';
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      }, delayMs);
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    socket.on('close', () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let client: RayDashboardClient;
const newClient = () =>
  (client = new RayDashboardClient(
    { baseUrl, tokenHeader: 'authorization' },
    { timeoutMs: 5000, userAgent: 'ray-console/test' },
  ));

afterEach(() => {
  client.close();
  server.closeAllConnections();
  requests.length = 0;
  connections = 0;
  mostOpen = 0;
  onReusedSocket = 'answer';
  delayMs = 0;
});

describe('connections to Ray', () => {
  it('reuses one connection for calls one after another', async () => {
    newClient();
    for (let i = 0; i < 5; i++) await client.version('t');
    expect(requests).toHaveLength(5);
    expect(connections).toBe(1);
  });

  it(`opens at most ${RAY_SOCKETS_PER_HEAD} connections to a head however many calls are in flight`, async () => {
    newClient();
    delayMs = 20;
    await Promise.all(Array.from({ length: RAY_SOCKETS_PER_HEAD + 20 }, () => client.version('t')));
    expect(requests).toHaveLength(RAY_SOCKETS_PER_HEAD + 20);
    expect(mostOpen).toBeLessThanOrEqual(RAY_SOCKETS_PER_HEAD);
  });

  it('answers a read whose pooled connection the head had closed, by sending it once more on a new one', async () => {
    newClient();
    await client.version('t');
    onReusedSocket = 'drop';
    await expect(client.version('t')).resolves.toMatchObject({ ray_version: '2.60.0' });
    // The first attempt reached the dropped connection, the second a new one.
    expect(requests).toEqual(['GET /api/version', 'GET /api/version', 'GET /api/version']);
    expect(connections).toBe(2);
  });

  it('never sends a stop twice: a POST on a dropped connection fails with a clear error', async () => {
    newClient();
    await client.stopJob('t', 'job_1');
    onReusedSocket = 'drop';
    const err = await client.stopJob('t', 'job_1').catch((e: unknown) => e);
    expect(isAppError(err, 'ray_unreachable')).toBe(true);
    expect(requests).toEqual(['POST /api/jobs/job_1/stop', 'POST /api/jobs/job_1/stop']);
  });
});

describe('mayRetryOnNewSocket', () => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  it('sends again only a GET or HEAD without a body that failed on a reused socket with a reset', () => {
    expect(mayRetryOnNewSocket('GET', false, true, reset)).toBe(true);
    expect(mayRetryOnNewSocket('HEAD', false, true, { code: 'EPIPE' })).toBe(true);
    expect(mayRetryOnNewSocket('GET', false, false, reset)).toBe(false);
    expect(mayRetryOnNewSocket('GET', true, true, reset)).toBe(false);
    expect(mayRetryOnNewSocket('GET', false, true, { code: 'ECONNREFUSED' })).toBe(false);
    for (const method of ['POST', 'PUT', 'DELETE']) expect(mayRetryOnNewSocket(method, false, true, reset)).toBe(false);
  });
});

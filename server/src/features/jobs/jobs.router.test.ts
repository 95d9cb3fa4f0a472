import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { LOG_LINE_CONTINUED as C } from '@ray-console/shared';
import type { SseEvent } from '../../../test/support/sse.js';
import { waitFor } from '../../../test/support/wait.js';
import { errorMiddleware } from '../../lib/error-middleware.js';
import { RayDashboardClient } from '../../ray/ray-dashboard-client.js';
import type { ClusterAccess, SignedInCluster } from '../clusters/cluster-access.js';
import { LiveTails, type LiveTailsOptions } from './job-log-stream.js';
import { jobsRouter } from './jobs.router.js';

// The jobs routes against a fake Ray head (unit tests only) that records every request and lets each
// test script the log-tail WebSocket: chunk boundaries, closes, a browser that leaves.

const TOKEN = 'fake-token';

interface Recorded {
  method: string;
  path: string;
}

let server: http.Server;
let wss: WebSocketServer;
let baseUrl: string;
const calls: Recorded[] = [];
/** What the fake head does with the next tail socket. */
let onTail: (ws: WebSocket) => void = (ws) => ws.close(1000);
let jobStatus = 'SUCCEEDED';
let v0Logs: { status: number; body: string } = { status: 200, body: '' };

const rayJob = (id: string) => ({
  type: id.startsWith('03') ? 'DRIVER' : 'SUBMISSION',
  job_id: null,
  submission_id: id.startsWith('03') ? null : id,
  driver_info: null,
  status: jobStatus,
  entrypoint: `python ${id}.py`,
  message: null,
  error_type: null,
  start_time: 1,
  end_time: 2,
  metadata: null,
  runtime_env: null,
  driver_agent_http_address: null,
  driver_node_id: 'abc123',
  driver_exit_code: 0,
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push({ method: req.method ?? 'GET', path: url.pathname });
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end('Unauthorized');
    if (url.pathname === '/api/jobs/' && req.method === 'GET')
      return json(200, [rayJob('raysubmit_a'), rayJob('raysubmit_b')]);
    if (url.pathname === '/api/jobs/' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const sent = JSON.parse(body) as { submission_id?: string };
        if (sent.submission_id === 'taken') {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(
            'Traceback ...\nValueError: Job with submission_id taken already exists. Please use a different submission_id.\n.\n',
          );
          return;
        }
        json(200, { submission_id: sent.submission_id ?? 'raysubmit_new', job_id: null });
      });
      return;
    }
    if (url.pathname === '/api/v0/logs/file')
      return res.writeHead(v0Logs.status, { 'content-type': 'text/plain' }).end(v0Logs.body);
    const m = /^\/api\/jobs\/([^/]+)(\/logs)?$/.exec(url.pathname);
    if (m && m[1]!.startsWith('03') && m[2]) return res.writeHead(400).end('Can only get logs of submission type jobs');
    if (m && m[2]) return json(200, { logs: 'from "json"\nline 2\n' });
    if (m) return json(200, rayJob(m[1]!));
    res.writeHead(404).end('404: Not Found');
  });
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push({ method: 'WS', path: url.pathname });
    if (url.pathname.startsWith('/api/jobs/03')) {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 41\r\n\r\nCan only get logs of submission type jobs');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onTail(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  wss.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  calls.length = 0;
  jobStatus = 'SUCCEEDED';
  v0Logs = { status: 200, body: '' };
  onTail = (ws) => ws.close(1000);
});

/** The jobs router alone, with a stand-in for ClusterAccess that is always signed in. */
const LIMITS: LiveTailsOptions = {
  perSession: 8,
  perProcess: 64,
  perHead: 16,
  windowLines: 10_000,
  windowBytes: 4 << 20,
};
let tails = new LiveTails(LIMITS);

function app(options: { heartbeatMs?: number; limits?: Partial<LiveTailsOptions> } = {}): Express {
  tails = new LiveTails({ ...LIMITS, ...options.limits });
  const ray = new RayDashboardClient({ baseUrl, tokenHeader: 'authorization' }, { timeoutMs: 5000, userAgent: 'test' });
  const cluster = { id: 'c1', displayName: 'C1', endpoint: ray.endpoint, source: 'config' as const };
  const signedIn: SignedInCluster = {
    cluster,
    ray,
    credential: { token: TOKEN, authMode: 'token', rayVersion: '2.60.0' },
  };
  const access: Pick<ClusterAccess, 'run' | 'cluster' | 'tokenSource'> = {
    cluster: () => cluster,
    tokenSource: () => 'session',
    run: (_req, fn) => fn(signedIn),
  };
  const a = express();
  a.use(express.json());
  a.use('/api', jobsRouter({ access, tails, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}) }));
  a.use(errorMiddleware);
  return a;
}

/** Parses an SSE body into events (data lines joined with \n, as EventSource does). */
function events(text: string): { event: string; id?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((l) => l.startsWith('data:')))
    .map((block) => {
      const lines = block.split('\n');
      const field = (name: string) =>
        lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).replace(/^ /, ''));
      return {
        event: field('event')[0] ?? 'message',
        ...(field('id')[0] ? { id: field('id')[0] } : {}),
        data: field('data').join('\n'),
      };
    });
}

describe('job ids', () => {
  it('refuses ids outside letters, digits, _ and - with 400 before any call to Ray', async () => {
    for (const path of [
      '/api/clusters/c1/jobs/..%2F',
      '/api/clusters/c1/jobs/a%2Fb/logs',
      '/api/clusters/c1/jobs/a.b/logs/stream',
    ]) {
      const res = await request(app()).get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.fields).toHaveProperty('jobId');
    }
    expect((await request(app()).post('/api/clusters/c1/jobs/a%20b/stop')).status).toBe(400);
    expect((await request(app()).delete('/api/clusters/c1/jobs/%2E%2E')).status).toBe(400);
    expect(calls).toEqual([]);
  });
});

describe('job list', () => {
  it('reads Ray’s list once for a burst of pages, and again after a submit', async () => {
    const a = app();
    const first = await request(a).get('/api/clusters/c1/jobs?limit=1');
    expect(first.body).toMatchObject({ total: 2, items: [{ id: expect.any(String) }] });
    await request(a).get(`/api/clusters/c1/jobs?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(calls.filter((c) => c.path === '/api/jobs/')).toHaveLength(1);
    await request(a)
      .post('/api/clusters/c1/jobs')
      .send({ entrypoint: 'echo' })
      .expect(201, { submissionId: 'raysubmit_new' });
    await request(a).get('/api/clusters/c1/jobs').expect(200);
    expect(calls.filter((c) => c.path === '/api/jobs/' && c.method === 'GET')).toHaveLength(2);
  });

  it('answers 409 on submissionId for a taken id (Ray says 500)', async () => {
    const res = await request(app()).post('/api/clusters/c1/jobs').send({ entrypoint: 'echo', submissionId: 'taken' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', fields: { submissionId: expect.any(String) } });
  });
});

describe('job log', () => {
  it('streams the state API’s text when it works', async () => {
    v0Logs = { status: 200, body: 'plain\ntext\n' };
    const res = await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs?download=1');
    expect(res.text).toBe('plain\ntext\n');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="c1-raysubmit_a.log"');
  });

  it('falls back to the Jobs API’s JSON, decoded as it arrives, when the state API fails (Ray 2.52)', async () => {
    v0Logs = { status: 500, body: '<AioRpcError ... UNAUTHENTICATED>' };
    const res = await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs');
    expect(res.status).toBe(200);
    expect(res.text).toBe('from "json"\nline 2\n');
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  it('explains that a DRIVER job has no job log', async () => {
    const res = await request(app()).get('/api/clusters/c1/jobs/03000000/logs');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('ray.init()');
  });
});

describe('live tail', () => {
  it('relays complete lines with their count as id, then `end` with the final status', async () => {
    onTail = (ws) => {
      for (const chunk of ['one\ntw', 'o\nthree\r', '\nfour']) ws.send(chunk);
      ws.close(1000);
    };
    jobStatus = 'FAILED';
    const res = await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs/stream');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.text.startsWith('retry: 2000\n\n')).toBe(true);
    expect(events(res.text)).toEqual([
      { event: 'message', id: '1', data: 'one' },
      { event: 'message', id: '2', data: 'two' },
      { event: 'message', id: '3', data: 'three' },
      { event: 'message', id: '4', data: 'four' },
      { event: 'end', id: '4', data: JSON.stringify({ status: 'FAILED', driverExitCode: 0, lines: 4 }) },
    ]);
  });

  it('resumes after Last-Event-ID (which wins over ?from=) without repeating a line', async () => {
    onTail = (ws) => {
      ws.send('one\ntwo\nthree\nfour\n');
      ws.close(1000);
    };
    const res = await request(app())
      .get('/api/clusters/c1/jobs/raysubmit_a/logs/stream?from=1')
      .set('Last-Event-ID', '2');
    expect(events(res.text).slice(0, 1)).toEqual([{ event: 'message', id: '4', data: 'three\nfour' }]);
    expect(
      (await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs/stream').set('Last-Event-ID', 'x')).status,
    ).toBe(400);
  });

  it('ends a tail that Ray closed having sent nothing with the polled status', async () => {
    jobStatus = 'FAILED';
    const res = await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs/stream');
    expect(events(res.text)).toEqual([
      { event: 'end', id: '0', data: JSON.stringify({ status: 'FAILED', driverExitCode: 0, lines: 0 }) },
    ]);
  });

  it('sends no `end` when Ray’s socket breaks, so the browser reconnects', async () => {
    onTail = (ws) => {
      ws.send('one\n');
      setTimeout(() => ws.terminate(), 50);
    };
    const res = await request(app()).get('/api/clusters/c1/jobs/raysubmit_a/logs/stream');
    expect(events(res.text)).toEqual([{ event: 'message', id: '1', data: 'one' }]);
  });

  it('answers a DRIVER job with a plain 400 before any event', async () => {
    const res = await request(app()).get('/api/clusters/c1/jobs/03000000/logs/stream');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('keeps an idle tail alive with comments, and closes Ray’s socket when the browser leaves', async () => {
    let upstreamClosed = false;
    onTail = (ws) => {
      ws.send('first\n');
      ws.on('close', () => (upstreamClosed = true));
    };
    const a = app({ heartbeatMs: 20 });
    const listener = a.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    const controller = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${(listener.address() as AddressInfo).port}/api/clusters/c1/jobs/raysubmit_a/logs/stream`,
      {
        signal: controller.signal,
      },
    );
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keep-alive') || !text.includes('data: first')) text += (await reader.read()).value ?? '';
    expect(tails.openUpstreamSockets).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const deadline = Date.now() + 5000;
    while ((!upstreamClosed || tails.openUpstreamSockets !== 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(upstreamClosed).toBe(true);
    expect(tails.openUpstreamSockets).toBe(0);
    expect(tails.openTails).toBe(0);
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
  });
});

describe('live tails are bounded', () => {
  let listener: http.Server | undefined;
  /** Streams left open by a test, closed after it. */
  const open: AbortController[] = [];

  afterEach(async () => {
    for (const c of open.splice(0)) c.abort();
    listener?.closeAllConnections();
    if (listener) await new Promise((resolve) => listener!.close(resolve));
    listener = undefined;
  });

  async function serve(options: Parameters<typeof app>[0]): Promise<string> {
    listener = app(options).listen(0, '127.0.0.1');
    await new Promise((resolve) => listener!.once('listening', resolve));
    return `http://127.0.0.1:${(listener.address() as AddressInfo).port}/api/clusters/c1/jobs`;
  }

  /** Reads a stream's events until `enough`; the connection stays open (a follower that stays) until the test ends. */
  async function follow(
    url: string,
    enough: (events: SseEvent[]) => boolean,
    headers: Record<string, string> = {},
  ): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    const controller = new AbortController();
    open.push(controller);
    const res = await fetch(url, { headers, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop() ?? '';
      for (const block of blocks) {
        const fields = block.split('\n').filter((l) => !l.startsWith(':') && l !== '');
        const data = fields.filter((l) => l.startsWith('data:')).map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
        if (data.length === 0) continue;
        const event = fields.find((l) => l.startsWith('event:'))?.slice(7) ?? 'message';
        const id = fields.find((l) => l.startsWith('id:'))?.slice(4);
        events.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
      }
    }
    return events;
  }

  const lastId = (events: SseEvent[]) => Number(events.filter((e) => e.id !== undefined).at(-1)?.id ?? -1);
  const linesOf = (events: SseEvent[]) =>
    events.filter((e) => e.event === 'message').flatMap((e) => e.data.split('\n'));
  const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

  it('keeps only a window of lines: a late joiner and an old Last-Event-ID are told which lines were skipped', async () => {
    onTail = (ws) => ws.send(numbered(1, 500).join('\n') + '\n');
    const url = `${await serve({ heartbeatMs: 50, limits: { windowLines: 100 } })}/raysubmit_a/logs/stream`;
    // Ray's replay is larger than the window: even the first follower starts at the window.
    const first = await follow(url, (e) => lastId(e) === 500);
    expect(first[0]).toEqual({ event: 'skipped', id: '400', data: JSON.stringify({ from: 1, to: 400 }) });
    expect(linesOf(first)).toEqual(numbered(401, 500));
    // A late joiner shares the socket and gets the same; so does a browser resuming from before the window.
    const late = await follow(url, (e) => lastId(e) === 500);
    expect(late).toEqual(first);
    const resumed = await follow(url, (e) => lastId(e) === 500, { 'last-event-id': '10' });
    expect(resumed[0]).toEqual({ event: 'skipped', id: '400', data: JSON.stringify({ from: 11, to: 400 }) });
    expect(linesOf(resumed)).toEqual(numbered(401, 500));
    // Inside the window, a resume loses and repeats nothing, as before.
    const inside = await follow(url, (e) => lastId(e) === 500, { 'last-event-id': '450' });
    expect(inside.every((e) => e.event === 'message')).toBe(true);
    expect(linesOf(inside)).toEqual(numbered(451, 500));
    expect(calls.filter((c) => c.method === 'WS')).toHaveLength(1);
  });

  it('bounds the window in bytes too', async () => {
    const long = (n: number) => `${n} ${'x'.repeat(995)}`;
    onTail = (ws) => ws.send(Array.from({ length: 50 }, (_, i) => long(i + 1)).join('\n') + '\n');
    // Room for 10 lines of 1,000 bytes (and 16 more per line).
    const url = `${await serve({ limits: { windowBytes: 10 * 1016 } })}/raysubmit_a/logs/stream`;
    const events = await follow(url, (e) => lastId(e) === 50);
    expect(events[0]!.data).toBe(JSON.stringify({ from: 1, to: 40 }));
    expect(linesOf(events)).toEqual(Array.from({ length: 10 }, (_, i) => long(41 + i)));
  });

  it('does not write ahead of a browser that stops reading: it is skipped forward to the window when it reads again', async () => {
    const LINE = 16 * 1024;
    const FRAMES = 4096; // 64 MiB of lines "<n> xxx…"
    let sent!: Promise<void>;
    onTail = (ws) => {
      sent = (async () => {
        for (let i = 0; i < FRAMES; i++) {
          const line = `${i + 1} `.padEnd(LINE - 1, 'x') + '\n';
          await new Promise((resolve) => ws.send(line, resolve));
        }
        ws.close(1000);
      })();
    };
    const url = `${await serve({})}/raysubmit_a/logs/stream`;
    const res = await fetch(url);
    const reader = res.body!.getReader();
    let bytes = (await reader.read()).value!.length;
    // The browser stops reading while Ray sends the whole log, and the tail ends.
    await sent;
    await waitFor('Ray’s socket to close', () => tails.openUpstreamSockets === 0, {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    let text = '';
    let skipped = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      text += Buffer.from(value).toString('latin1');
      skipped ||= text.includes('event: skipped');
      text = text.slice(-(LINE + 4096));
    }
    // What it gets then: what the sockets held, a `skipped` event, the window (4 MiB) and `end`; not 64 MiB.
    expect(bytes).toBeLessThan(24 * 2 ** 20);
    expect(skipped).toBe(true);
    expect(text).toContain(`data: ${FRAMES} x`);
    expect(text).toContain('event: end');
  }, 60_000);

  it('cuts a line longer than the limit into marked pieces as it arrives, before it has ended', async () => {
    let upstream: WebSocket | undefined;
    onTail = (ws) => {
      upstream = ws;
      ws.send('x'.repeat(3500));
    };
    const url = `${await serve({ limits: { maxLineChars: 1000 } })}/raysubmit_a/logs/stream`;
    const events = await follow(url, (e) => lastId(e) === 3);
    expect(linesOf(events)).toEqual(['x'.repeat(1000), C + 'x'.repeat(1000), C + 'x'.repeat(1000)]);
    upstream!.send('yy\nz\n');
    upstream!.close(1000);
    const rest = await follow(url, (e) => e.some((x) => x.event === 'end'), { 'last-event-id': '3' });
    expect(linesOf(rest)).toEqual([C + 'x'.repeat(500) + 'yy', 'z']);
  });

  it('answers 429 past the tails a session may follow, naming LIVE_TAILS_PER_SESSION', async () => {
    onTail = (ws) => ws.send('first\n');
    const base = await serve({ limits: { perSession: 1 } });
    await follow(`${base}/raysubmit_a/logs/stream`, (e) => lastId(e) === 1);
    const res = await fetch(`${base}/raysubmit_b/logs/stream`);
    expect(res.status).toBe(429);
    const { error } = (await res.json()) as { error: { code: string; message: string; params?: unknown } };
    expect(error.code).toBe('too_many_tails');
    expect(error.message).toContain('LIVE_TAILS_PER_SESSION');
    // What the browser words the limit from, in the user's language.
    expect(error.params).toEqual({ scope: 'session', limit: 1 });
  });

  it('answers 429 past the tails a process relays, naming LIVE_TAILS_PER_PROCESS', async () => {
    onTail = (ws) => ws.send('first\n');
    const base = await serve({ limits: { perProcess: 2 } });
    await follow(`${base}/raysubmit_a/logs/stream`, (e) => lastId(e) === 1);
    await follow(`${base}/raysubmit_a/logs/stream`, (e) => lastId(e) === 1);
    const res = await fetch(`${base}/raysubmit_a/logs/stream`);
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('LIVE_TAILS_PER_PROCESS');
    expect(tails.openTails).toBe(2);
  });

  it('opens at most LIVE_TAILS_PER_HEAD sockets to a head, so job calls still get through; followers of an open one still join', async () => {
    let sockets = 0;
    let most = 0;
    onTail = (ws) => {
      sockets += 1;
      most = Math.max(most, sockets);
      ws.on('close', () => (sockets -= 1));
      ws.send('first\n');
    };
    const base = await serve({ limits: { perHead: 2 } });
    await follow(`${base}/raysubmit_a/logs/stream`, (e) => lastId(e) === 1);
    await follow(`${base}/raysubmit_b/logs/stream`, (e) => lastId(e) === 1);
    const refused = await fetch(`${base}/raysubmit_c/logs/stream`);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('LIVE_TAILS_PER_HEAD');
    // Another browser following job a shares its socket, and other job calls are answered meanwhile.
    await follow(`${base}/raysubmit_a/logs/stream`, (e) => lastId(e) === 1);
    expect((await fetch(`${base}/raysubmit_c`)).status).toBe(200);
    expect(most).toBe(2);
    expect(tails.openUpstreamSockets).toBe(2);
    // Once job b's follower leaves, its socket is given back.
    open[1]!.abort();
    await waitFor('job b’s socket to close', () => tails.openUpstreamSockets === 1, {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    await follow(`${base}/raysubmit_c/logs/stream`, (e) => lastId(e) === 1);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { errorMiddleware } from '../../lib/error-middleware.js';
import { RayDashboardClient } from '../../ray/ray-dashboard-client.js';
import { serveWebApp } from '../../web-app.js';
import type { ClusterAccess, SignedInCluster } from '../clusters/cluster-access.js';
import { DriverNodes } from './driver-nodes.js';
import { EarlyLogs, jobPageIds, openLogForJobPage } from './early-logs.js';
import { LiveTails } from './job-log-stream.js';
import { jobsRouter } from './jobs.router.js';

// A deep link to a job's page has the console open the job's log while the browser loads the scripts,
// for that session's first read of it. Against a fake Ray head (unit tests only) that counts its calls.

const TOKEN = 'fake-token';
let server: http.Server;
let baseUrl: string;
let calls: string[] = [];
let webDist: string;
let status = 'SUCCEEDED';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end('Unauthorized');
    if (url.pathname === '/api/v0/logs/file') return res.writeHead(200).end('line 1\nline 2\n');
    if (url.pathname === '/api/jobs/raysubmit_a') {
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          type: 'SUBMISSION',
          submission_id: 'raysubmit_a',
          status,
          entrypoint: 'python a.py',
          driver_node_id: 'abc123',
        }),
      );
    }
    res.writeHead(404).end('404: Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  webDist = mkdtempSync(path.join(os.tmpdir(), 'early-logs-test-'));
  writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><div id="root"></div>');
});

afterAll(async () => {
  rmSync(webDist, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  calls = [];
  status = 'SUCCEEDED';
});

/** Stands for the session middleware: the cookie `sid=<id>` is the session. */
const fakeSessions: RequestHandler = (req, _res, next) => {
  const id = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
  if (id) Object.assign(req, { session: {}, sessionID: id });
  next();
};

/** The console's pages and its jobs routes, signed in to cluster `c1` for every session. */
function app(earlyLogs = new EarlyLogs()) {
  const ray = new RayDashboardClient({ baseUrl, tokenHeader: 'authorization' }, { timeoutMs: 5000, userAgent: 'test' });
  const signedIn: SignedInCluster = {
    cluster: { id: 'c1', displayName: 'C1', endpoint: ray.endpoint, source: 'config' },
    ray,
    credential: { token: TOKEN, authMode: 'token', rayVersion: '2.60.0' },
  };
  const ran: (string | undefined)[] = [];
  const access: Pick<ClusterAccess, 'run' | 'cluster' | 'tokenSource'> = {
    cluster: () => signedIn.cluster,
    tokenSource: () => 'session',
    run: (_req, fn, clusterId) => {
      ran.push(clusterId);
      return fn(signedIn);
    },
  };
  const driverNodes = new DriverNodes();
  const a = express();
  a.use(
    '/api',
    fakeSessions,
    jobsRouter({
      access,
      tails: new LiveTails({ perSession: 8, perProcess: 64, perHead: 16, windowLines: 10_000, windowBytes: 4 << 20 }),
      driverNodes,
      earlyLogs,
    }),
  );
  serveWebApp(a, webDist, false, [], [openLogForJobPage(access, earlyLogs, driverNodes, [fakeSessions])]);
  a.use(errorMiddleware);
  return { app: a, earlyLogs, ran };
}

describe('a job’s log opened when its page is served', () => {
  it('is opened for the session while the page loads, and handed to that session’s first read of it', async () => {
    const { app: a, earlyLogs } = app();
    const page = await request(a).get('/clusters/c1/jobs/raysubmit_a').set('Cookie', 'sid=one');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    await waitFor('the log opened at Ray', () => calls.includes('/api/v0/logs/file'));
    expect(earlyLogs.size).toBe(1);
    calls = [];
    const log = await request(a).get('/api/clusters/c1/jobs/raysubmit_a/logs').set('Cookie', 'sid=one');
    expect(log.text).toBe('line 1\nline 2\n');
    expect(calls).toEqual([]); // nothing asked of Ray again
    expect(earlyLogs.size).toBe(0);
    // Once only: the next read is a read of its own.
    const again = await request(a).get('/api/clusters/c1/jobs/raysubmit_a/logs').set('Cookie', 'sid=one');
    expect(again.text).toBe('line 1\nline 2\n');
    expect(calls).toContain('/api/v0/logs/file');
  });

  it('is not handed to another session, nor to a download', async () => {
    const { app: a, earlyLogs } = app();
    await request(a).get('/clusters/c1/jobs/raysubmit_a').set('Cookie', 'sid=one');
    await waitFor('the log opened at Ray', () => calls.includes('/api/v0/logs/file'));
    calls = [];
    await request(a).get('/api/clusters/c1/jobs/raysubmit_a/logs').set('Cookie', 'sid=two');
    expect(calls).toContain('/api/v0/logs/file');
    calls = [];
    await request(a).get('/api/clusters/c1/jobs/raysubmit_a/logs?download=1').set('Cookie', 'sid=one');
    expect(calls).toContain('/api/v0/logs/file');
    expect(earlyLogs.size).toBe(1);
  });

  it('holds nothing for a job still running: its page follows the live tail instead', async () => {
    const { app: a, earlyLogs, ran } = app();
    status = 'RUNNING';
    await request(a).get('/clusters/c1/jobs/raysubmit_a').set('Cookie', 'sid=one');
    await waitFor('the job asked for', () => ran.length === 1 && calls.includes('/api/jobs/raysubmit_a'));
    await waitFor('the place given up', () => earlyLogs.size === 0, { timeoutMs: 5000, intervalMs: 10 });
    expect(calls).not.toContain('/api/v0/logs/file');
  });

  it('opens nothing for other pages, a visitor without a cookie, or ids the API would refuse', async () => {
    const { app: a, earlyLogs, ran } = app();
    const pages = [
      '/',
      '/clusters/c1',
      '/clusters/c1/jobs',
      '/clusters/c1/jobs/new',
      '/clusters/c1/jobs/raysubmit_a/extra',
      '/clusters/c1/jobs/a%2Fb',
      '/clusters/c1/jobs/a%22%3E%3Cscript%3E',
      '/clusters/c1/jobs/a,b',
      '/clusters/c1/jobs/%E0%A4%A',
      '/clusters/.hidden/jobs/raysubmit_a',
      `/clusters/c1/jobs/${'a'.repeat(256)}`,
    ];
    for (const page of pages) {
      const res = await request(a).get(page).set('Cookie', 'sid=one');
      expect(res.status, page).toBe(200);
    }
    await request(a).get('/clusters/c1/jobs/raysubmit_a');
    expect(ran).toEqual([]);
    expect(earlyLogs.size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('reads the ids from the path decoded and checked', () => {
    expect(jobPageIds('/clusters/c.1~x/jobs/raysubmit_Ab-1/')).toEqual({ clusterId: 'c.1~x', jobId: 'raysubmit_Ab-1' });
    expect(jobPageIds('/clusters/c%31/jobs/02000000')).toEqual({ clusterId: 'c1', jobId: '02000000' });
    expect(jobPageIds('/clusters/c1/jobs/a%0Ab')).toBeUndefined();
  });
});

describe('the logs held open', () => {
  const stream = () => {
    const s = Readable.from(['x']);
    return s;
  };

  it('are closed when nobody asks for them in time', async () => {
    const held = new EarlyLogs({ keptMs: 20, max: 8 });
    const s = stream();
    held.start('k', async () => s);
    await waitFor('the held log closed', () => s.destroyed, { timeoutMs: 5000, intervalMs: 10 });
    expect(held.size).toBe(0);
    expect(await held.take('k')).toBeUndefined();
  });

  it('are bounded: past the most held at once, the oldest is closed', async () => {
    const held = new EarlyLogs({ keptMs: 60_000, max: 2 });
    const [a, b, c] = [stream(), stream(), stream()];
    held.start('a', async () => a);
    held.start('b', async () => b);
    held.start('c', async () => c);
    expect(held.size).toBe(2);
    await waitFor('the oldest closed', () => a.destroyed, { timeoutMs: 5000, intervalMs: 10 });
    expect(await held.take('a')).toBeUndefined();
    expect(await held.take('c')).toBe(c);
    expect(b.destroyed).toBe(false);
  });

  it('give their place up at once when the log could not be opened (signed out, no such job)', async () => {
    const held = new EarlyLogs({ keptMs: 60_000, max: 8 });
    held.start('k', async () => {
      throw new Error('signed out');
    });
    await waitFor('the place given up', () => held.size === 0, { timeoutMs: 5000, intervalMs: 10 });
  });
});

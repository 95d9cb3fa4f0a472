import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type session from 'express-session';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './lib/logger.js';
import { createSessionStore } from './session/session-store.js';
import { startFakeHttpServer, type FakeServer } from '../test/support/fake-servers.js';

// Route tests with supertest against createApp(). A fake Ray head (unit tests only) answers the few
// routes a sign-in and a resources call need; the integration tests do the same against a real head.

const SECRET = 'app-test-secret-0123456789abcdef0123';
const TOKEN = 'fake-ray-token-0123456789abcdef0123456789abcdef';

let fakeRay: FakeServer;
let fakeRayUrl: string;

beforeAll(async () => {
  fakeRay = await startFakeHttpServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/authentication_mode') return json(200, { authentication_mode: 'token' });
    if (req.headers.authorization === undefined)
      return res.writeHead(401).end('Unauthorized: Missing authentication token');
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return res.writeHead(403).end('Forbidden: Invalid authentication token');
    if (url.pathname === '/api/version') return json(200, { version: '4', ray_version: '2.60.0' });
    if (url.pathname === '/api/v0/nodes') {
      const node = {
        node_id: 'n1',
        node_ip: '127.0.0.1',
        is_head_node: true,
        state: 'ALIVE',
        resources_total: { CPU: 2 },
      };
      return json(200, { result: true, msg: '', data: { result: { total: 1, result: [node] } } });
    }
    if (url.pathname === '/api/cluster_status') return json(200, { result: true, data: { clusterStatus: null } });
    res.writeHead(404).end('404: Not Found');
  });
  fakeRayUrl = fakeRay.url;
});

afterAll(async () => {
  await fakeRay.close();
});

const opened: { close(): Promise<void>; dir: string }[] = [];

afterEach(async () => {
  for (const { close, dir } of opened.splice(0)) {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The app as `index.ts` builds it, from environment variables, with the real SQLite stores in a temp folder. */
async function appWith(
  env: Record<string, string> = {},
  log?: NodeJS.WritableStream,
): Promise<{ app: Express; store: session.Store }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'app-test-'));
  const config = loadConfig({
    SESSION_SECRET: SECRET,
    DATA_DIR: dir,
    RAY_DASHBOARD_URL: fakeRayUrl,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = createLogger(log ? 'info' : 'silent', log);
  const { store, audit, loginAttempts, isReady, close } = await createSessionStore(config, logger);
  opened.push({ close, dir });
  const app = createApp({ config, secrets: [SECRET], store, audit, loginAttempts, storeReady: isReady, logger });
  return { app, store };
}

/** The `name=value` of the session cookie (or the visitor's CSRF cookie) a response set, with its attributes. */
function sessionCookie(
  res: request.Response,
  which = 'ray-console.sid',
): { name: string; value: string; attributes: string[] } | undefined {
  const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
  const raw = setCookie?.find((c) => c.includes(`${which}=`));
  if (!raw) return undefined;
  const [pair = '', ...attributes] = raw.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

async function signIn(agent: request.Agent): Promise<request.Response> {
  const session = await agent.get('/api/session').expect(200);
  const csrf = (session.body as { csrfToken: string }).csrfToken;
  return agent.post('/api/clusters/default/login').set('X-CSRF-Token', csrf).send({ token: TOKEN });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Strict, and not Secure on plain http; so is the CSRF cookie of a visitor', async () => {
    const { app } = await appWith();
    const agent = request.agent(app);
    const visit = await agent.get('/api/session').expect(200);
    // A visitor gets no session (nothing is stored until a sign-in), only the cookie its CSRF token is bound to.
    expect(sessionCookie(visit)).toBeUndefined();
    const login = await signIn(agent);
    expect(login.status).toBe(200);
    for (const cookie of [sessionCookie(login), sessionCookie(visit, 'ray-console.csrf')]) {
      expect(cookie?.name).toMatch(/^ray-console\.(sid|csrf)$/);
      expect(cookie?.attributes).toContain('httponly');
      expect(cookie?.attributes).toContain('samesite=strict');
      expect(cookie?.attributes).toContain('path=/');
      expect(cookie?.attributes).not.toContain('secure');
      expect(cookie?.attributes.some((a) => a.startsWith('domain='))).toBe(false);
    }
  });

  it('behind an https PUBLIC_URL is named __Host-ray-console.sid and Secure; the CSRF cookie __Host-ray-console.csrf', async () => {
    const { app } = await appWith({ PUBLIC_URL: 'https://console.example.com', TRUST_PROXY: '1' });
    const visit = await request(app).get('/api/session').set('X-Forwarded-Proto', 'https').expect(200);
    const csrfCookie = sessionCookie(visit, '__Host-ray-console.csrf');
    const login = await request(app)
      .post('/api/clusters/default/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', `__Host-ray-console.csrf=${csrfCookie?.value}`)
      .set('X-CSRF-Token', (visit.body as { csrfToken: string }).csrfToken)
      .send({ token: TOKEN })
      .expect(200);
    for (const [cookie, name] of [
      [sessionCookie(login), '__Host-ray-console.sid'],
      [csrfCookie, '__Host-ray-console.csrf'],
    ] as const) {
      expect(cookie?.name).toBe(name);
      expect(cookie?.attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
      expect(cookie?.attributes.some((a) => a.startsWith('domain='))).toBe(false);
    }
    expect(login.headers['strict-transport-security']).toBeDefined();
  });

  it('is not set at all by a request that arrived over plain http when the console is https', async () => {
    const { app } = await appWith({ PUBLIC_URL: 'https://console.example.com', TRUST_PROXY: '1' });
    const res = await request(app).get('/api/session').expect(200);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('is not set by requests that keep nothing (health, OpenAPI)', async () => {
    const { app } = await appWith();
    expect(sessionCookie(await request(app).get('/api/healthz').expect(200))).toBeUndefined();
    expect(sessionCookie(await request(app).get('/api/openapi.json').expect(200))).toBeUndefined();
  });

  it('changes at sign-in (no session fixation), and the old id opens nothing', async () => {
    const { app } = await appWith();
    const agent = request.agent(app);
    // The session a first sign-in stored; signing in again gives it a new id.
    const before = sessionCookie(await signIn(agent));
    expect(before?.value).toBeDefined();
    const login = await signIn(agent);
    expect(login.status).toBe(200);
    const after = sessionCookie(login);
    expect(after?.value).toBeDefined();
    expect(after?.value).not.toBe(before?.value);
    const old = await request(app)
      .get('/api/clusters/default/resources')
      .set('Cookie', `ray-console.sid=${before?.value}`);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('signed_out');
  });
});

describe('API responses', () => {
  it('carry Cache-Control: no-store, errors included', async () => {
    const { app } = await appWith();
    for (const [method, url] of [
      ['get', '/api/healthz'],
      ['get', '/api/session'],
      ['get', '/api/openapi.json'],
      ['get', '/api/clusters/default/resources'],
      ['get', '/api/no-such-route'],
      ['post', '/api/logout'],
    ] as const) {
      const res = await request(app)[method](url);
      expect(res.headers['cache-control'], `${method} ${url}`).toBe('no-store');
    }
  });

  it('answer unknown API paths with the JSON error shape', async () => {
    const { app } = await appWith();
    const res = await request(app).get('/api/no-such-route').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('request log', () => {
  it('has one line per request with its id, method, path and status, and nothing else of the request', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { app } = await appWith({}, sink);
    await request(app)
      .get('/api/clusters?secret=in-the-query')
      .set('Cookie', 'ray-console.sid=s%3Aabc.def')
      .set('X-Custom', 'private')
      .expect(200);
    const line = lines
      .map((l) => JSON.parse(l) as { msg?: string; req?: unknown; res?: unknown })
      .find((l) => l.msg === 'request completed');
    expect(line?.req).toEqual({ id: expect.anything(), method: 'GET', path: '/api/clusters' });
    expect(line?.res).toEqual({ statusCode: 200 });
    expect(lines.join('\n')).not.toMatch(/in-the-query|abc\.def|private/);
  });
});

describe('session lifetime', () => {
  it('ends after SESSION_ABSOLUTE_HOURS however active the user is', async () => {
    // 0.0003 h is about a second; the idle timeout (30 min) stays out of the way.
    const { app } = await appWith({ SESSION_ABSOLUTE_HOURS: '0.0003' });
    const agent = request.agent(app);
    const started = Date.now();
    expect((await signIn(agent)).status).toBe(200);
    expect((await agent.get('/api/clusters/default/resources')).status).toBe(200);
    // Every poll is activity that renews the idle timeout; only the absolute lifetime can end the session.
    let last: request.Response | undefined;
    await waitFor('the session to end', async () => {
      last = await agent.get('/api/clusters/default/resources');
      return last.status !== 200;
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(last?.status).toBe(401);
    expect(last?.body.error.code).toBe('signed_out');
    expect((await agent.get('/api/clusters').expect(200)).body[0].signedIn).toBe(false);
  });

  // The idle timeout is renewed in the browser too (the cookie's expiry), but the cookie is signed and
  // sent again at most once per slack (a tenth of the idle timeout), not on every answer.
  it('renews the session cookie at most once per slack, with the same session and a later expiry', async () => {
    // 0.5 min = 30 s idle timeout: a slack of 3 s (long enough for the answers right after the sign-in).
    const { app } = await appWith({ SESSION_IDLE_MINUTES: '0.5' });
    const agent = request.agent(app);
    const login = await signIn(agent);
    const first = sessionCookie(login);
    expect(first).toBeDefined();
    const expiresOf = (c: { attributes: string[] }) =>
      Date.parse(c.attributes.find((a) => a.startsWith('expires='))!.slice('expires='.length));
    // Answers right after it carry no cookie: nothing to renew yet.
    const soon = await agent.get('/api/clusters/default/resources');
    expect(soon.status).toBe(200);
    expect(sessionCookie(soon)).toBeUndefined();
    // Once the slack has passed, an answer renews it: the same session, a later expiry.
    let rolled: ReturnType<typeof sessionCookie>;
    await waitFor('an answer that renews the cookie', async () => {
      const res = await agent.get('/api/clusters/default/resources');
      expect(res.status).toBe(200);
      rolled = sessionCookie(res);
      return rolled !== undefined;
    });
    expect(rolled!.value).toBe(first!.value);
    expect(expiresOf(rolled!)).toBeGreaterThan(expiresOf(first!));
    expect(rolled!.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
  });

  it('ends after SESSION_IDLE_MINUTES without activity, and activity keeps it alive', async () => {
    // 0.03 min = 1.8 s idle timeout.
    const { app, store } = await appWith({ SESSION_IDLE_MINUTES: '0.03' });
    const agent = request.agent(app);
    const login = await signIn(agent);
    expect(login.status).toBe(200);
    const sid =
      decodeURIComponent(sessionCookie(login)?.value ?? '')
        .replace(/^s:/, '')
        .split('.')[0] ?? '';
    // Using the console for longer than the idle timeout keeps the session: every call still answers 200.
    const activeUntil = Date.now() + 2500;
    await waitFor('more than the idle timeout of activity', async () => {
      expect((await agent.get('/api/clusters/default/resources')).status).toBe(200);
      return Date.now() > activeUntil;
    });
    // Then nothing: wait until the store no longer hands the session out.
    await waitFor('the idle session to expire', async () => {
      const sess = await new Promise<unknown>((resolve) => store.get(sid, (_err, s) => resolve(s)));
      return sess === null;
    });
    const res = await agent.get('/api/clusters/default/resources');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('signed_out');
  });
});

interface LayerLike {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
}

/** Every `METHOD /path` the Express app routes, in OpenAPI's `{param}` form. */
function routesOf(stack: readonly LayerLike[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const full = (prefix + layer.route.path).replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${full}`);
    }
    if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return routesOf(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document that lists every route the BFF serves, and only those', async () => {
    const { app } = await appWith();
    const res = await request(app).get('/api/openapi.json').expect(200).expect('content-type', /json/);
    const doc = res.body as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
          .map((m) => `${m.toUpperCase()} ${p}`),
      )
      .sort();
    const served = routesOf((app.router as unknown as { stack: LayerLike[] }).stack).sort();
    expect(served.length).toBeGreaterThanOrEqual(7);
    expect(documented).toEqual(served);
  });

  it('documents each route’s responses, and the error shape as a component', async () => {
    const { app } = await appWith();
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
    expect(doc.components.schemas).toHaveProperty('ApiError');
    expect(Object.keys(doc.paths['/api/clusters/{clusterId}/login']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '429', '502']),
    );
  });
});

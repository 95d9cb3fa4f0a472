import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type session from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterList } from '@ray-console/shared';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../lib/logger.js';
import type { ClusterCredential } from '../../session/session-data.js';
import { createSessionStore } from '../../session/session-store.js';
import { TokenSeal } from '../../session/token-seal.js';
import type { ClusterRecord, ClusterSource } from './cluster-registry.js';

// A stored token is bound to the address it was verified at. Two fake Ray heads (unit tests only): `a`
// checks the token, `b` stands for whatever a cluster's address was changed to, and takes any token. The
// Kubernetes suite shows the same against the real API server and a real head.

const SECRET = 'endpoint-binding-secret-0123456789abcdef';
const TOKEN = 'bound-token-0123456789abcdef0123456789abcdef0123456789';

interface FakeHead {
  url: string;
  /** The value of every header of every request it received. */
  headerValues: string[];
  close(): Promise<void>;
}

async function fakeHead(checkToken: boolean): Promise<FakeHead> {
  const headerValues: string[] = [];
  const server = http.createServer((req, res) => {
    headerValues.push(...Object.values(req.headers).flat().map(String));
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/authentication_mode') return json(200, { authentication_mode: 'token' });
    if (checkToken && req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(403).end('Forbidden');
    if (url.pathname === '/api/version') return json(200, { version: '4', ray_version: '2.60.0' });
    if (url.pathname === '/api/v0/nodes') {
      const node = { node_id: 'n1', node_ip: '127.0.0.1', is_head_node: true, state: 'ALIVE', resources_total: {} };
      return json(200, { result: true, msg: '', data: { result: { total: 1, result: [node] } } });
    }
    if (url.pathname === '/api/cluster_status') return json(200, { result: true, data: { clusterStatus: null } });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headerValues,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One discovered-like cluster whose address a test changes, as a RayCluster patch would. */
class MovingCluster implements ClusterSource {
  constructor(public record: ClusterRecord) {}
  list(): readonly ClusterRecord[] {
    return [this.record];
  }
}

let a: FakeHead;
let b: FakeHead;
let dir: string;
let store: session.Store;
let closeStore: () => Promise<void>;

beforeAll(async () => {
  [a, b] = await Promise.all([fakeHead(true), fakeHead(false)]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'endpoint-binding-'));
  const config = loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir, RAY_DASHBOARD_URL: a.url, LOG_LEVEL: 'silent' });
  ({ store, close: closeStore } = await createSessionStore(config, createLogger('silent')));
});

afterAll(async () => {
  await closeStore();
  await Promise.all([a.close(), b.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The console as index.ts builds it, over the one session store (a restart keeps the store). */
function appWith(dashboardUrl: string, sources: ClusterSource[] = []): Express {
  const config = loadConfig({
    SESSION_SECRET: SECRET,
    DATA_DIR: dir,
    RAY_DASHBOARD_URL: dashboardUrl,
    LOG_LEVEL: 'silent',
  });
  return createApp({ config, secrets: [SECRET], store, logger: createLogger('silent'), clusterSources: sources });
}

/** Signs in to `clusterId` and returns the session cookie. */
async function signIn(app: Express, clusterId: string): Promise<string> {
  const agent = request.agent(app);
  const { body } = await agent.get('/api/session').expect(200);
  const login = await agent
    .post(`/api/clusters/${clusterId}/login`)
    .set('X-CSRF-Token', (body as { csrfToken: string }).csrfToken)
    .send({ token: TOKEN });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ray-console.sid='));
  return (cookie ?? '').split(';')[0]!;
}

const summary = async (app: Express, cookie: string, id: string) => {
  const res = await request(app).get('/api/clusters').set('Cookie', cookie).expect(200);
  return (res.body as ClusterList).find((c) => c.id === id);
};

const sessionIdOf = (cookie: string) => {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return value.slice(2, value.lastIndexOf('.'));
};

describe('a stored token is bound to the address it was verified at', () => {
  it('a configured cluster whose URL changed between restarts gets nothing from the old session', async () => {
    const before = appWith(a.url);
    const cookie = await signIn(before, 'default');
    await request(before).get('/api/clusters/default/resources').set('Cookie', cookie).expect(200);

    // The console restarts with the cluster's URL pointing elsewhere; the session store is the same.
    const after = appWith(b.url);
    const res = await request(after).get('/api/clusters/default/resources').set('Cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'signed_out' });
    expect(res.body.error.message).toContain("This cluster's address changed; sign in again.");
    expect(await summary(after, cookie, 'default')).toMatchObject({
      signedIn: false,
      signOutReason: 'endpoint_changed',
    });
    expect(b.headerValues.join('\n')).not.toContain(TOKEN);

    // It stays signed out when the address changes back: the console forgot the token.
    expect(await summary(before, cookie, 'default')).toMatchObject({
      signedIn: false,
      signOutReason: 'endpoint_changed',
    });
  });

  it('a cluster whose address changes while users are signed in signs them out; the token never reaches the new address', async () => {
    const moving = new MovingCluster({
      id: 'k8s~ns~moving',
      displayName: 'ns/moving',
      endpoint: { baseUrl: a.url, tokenHeader: 'authorization' },
      source: 'kubernetes',
    });
    const app = appWith(a.url, [moving]);
    const cookie = await signIn(app, 'k8s~ns~moving');
    await request(app).get('/api/clusters/k8s~ns~moving/resources').set('Cookie', cookie).expect(200);

    moving.record = { ...moving.record, endpoint: { baseUrl: b.url, tokenHeader: 'authorization' } };
    // Straight to a call that needs the token, as a page that was already open would do.
    const res = await request(app).get('/api/clusters/k8s~ns~moving/resources').set('Cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("This cluster's address changed; sign in again.");
    expect(b.headerValues.join('\n')).not.toContain(TOKEN);
    expect(await summary(app, cookie, 'k8s~ns~moving')).toMatchObject({
      signedIn: false,
      signOutReason: 'endpoint_changed',
    });
  });

  it('a misconfigured cluster is listed with its problem, and cannot be signed in to', async () => {
    const broken = new MovingCluster({
      id: 'k8s~ns~broken',
      displayName: 'ns/broken',
      misconfigured: 'The head Service name "evil:80/#" is not a DNS label.',
      source: 'kubernetes',
    });
    const app = appWith(a.url, [broken]);
    const agent = request.agent(app);
    const { body } = await agent.get('/api/session').expect(200);
    expect((await agent.get('/api/clusters').expect(200)).body).toContainEqual(
      expect.objectContaining({ id: 'k8s~ns~broken', authMode: 'unknown', misconfigured: broken.record.misconfigured }),
    );
    const login = await agent
      .post('/api/clusters/k8s~ns~broken/login')
      .set('X-CSRF-Token', (body as { csrfToken: string }).csrfToken)
      .send({ token: TOKEN });
    expect(login.status).toBe(409);
    expect(login.body.error.message).toContain(
      'The console does not connect to the cluster "ns/broken": The head Service name',
    );
  });

  it('a token stored before tokens were bound (no address) is not used: the user signs in again', async () => {
    const app = appWith(a.url);
    const cookie = await signIn(app, 'default');
    const sid = sessionIdOf(cookie);
    // Rewrite the stored session the way a console from before this change wrote it.
    const stored = await new Promise<session.SessionData>((resolve, reject) =>
      store.get(sid, (err, s) => (err || !s ? reject(err ?? new Error('no session')) : resolve(s))),
    );
    const { address: _address, ...old } = stored.clusters.default as ClusterCredential;
    stored.clusters.default = { ...old, sealedToken: new TokenSeal([SECRET]).seal(TOKEN, 'default') };
    await new Promise<void>((resolve, reject) => store.set(sid, stored, (err) => (err ? reject(err) : resolve())));
    const seenBefore = a.headerValues.length;

    const res = await request(app).get('/api/clusters/default/resources').set('Cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('stored before the console tied tokens to the address');
    expect(await summary(app, cookie, 'default')).toMatchObject({ signedIn: false, signOutReason: 'endpoint_unbound' });
    expect(a.headerValues.slice(seenBefore).join('\n')).not.toContain(TOKEN);
  });
});

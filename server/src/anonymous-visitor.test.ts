import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryStatus } from '@ray-console/shared';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './lib/logger.js';
import { createSessionStore } from './session/session-store.js';
import { startFakeHttpServer, type FakeServer } from '../test/support/fake-servers.js';

// What someone who has not signed in to any cluster can read (docs/operations.md, "What an anonymous
// visitor can see"): no metrics, no API-server address, no source maps, unless the operator opts in.

const SECRET = 'anonymous-test-secret-0123456789abcdef';
const TOKEN = 'fake-ray-token-0123456789abcdef0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';
const API_SERVER = 'https://10.96.0.1:443';
/** A failure as discovery reports it: the API server's address and its answer, naming the identity. */
const FORBIDDEN: DiscoveryStatus = {
  state: 'forbidden',
  message: `The console is not permitted to list RayClusters (ray.io/v1) in all namespaces. The API server said: rayclusters.ray.io is forbidden: User "system:serviceaccount:ray-console:ray-console" cannot list resource "rayclusters". Clusters configured by hand keep working. (${API_SERVER})`,
  namespaces: [],
  connect: 'service',
  refreshSeconds: 10,
  clusterCount: 0,
};

let fakeRay: FakeServer;
let fakeRayUrl: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  // Unit tests only: the two answers a sign-in needs.
  fakeRay = await startFakeHttpServer((req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/api/authentication_mode') return json({ authentication_mode: 'token' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(403).end('Forbidden');
    if (req.url === '/api/version') return json({ version: '4', ray_version: '2.60.0' });
    res.writeHead(404).end('404: Not Found');
  });
  fakeRayUrl = fakeRay.url;
});

afterAll(async () => {
  await fakeRay.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The app with a built web app (a script and its map) and a discovery that is refused by RBAC. */
async function appWith(env: Record<string, string> = {}): Promise<Express> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anonymous-test-'));
  const web = path.join(dir, 'web');
  mkdirSync(path.join(web, 'assets'), { recursive: true });
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><script src="/assets/index-abc.js"></script>');
  writeFileSync(path.join(web, 'assets', 'index-abc.js'), 'console.log(1);\n');
  writeFileSync(path.join(web, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["src/main.tsx"]}');
  const config = loadConfig({
    SESSION_SECRET: SECRET,
    DATA_DIR: dir,
    RAY_DASHBOARD_URL: fakeRayUrl,
    WEB_DIST: web,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = createLogger('silent');
  const { store, audit, loginAttempts, isReady, close } = await createSessionStore(config, logger);
  cleanups.push(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });
  return createApp({
    config,
    secrets: [SECRET],
    store,
    audit,
    loginAttempts,
    storeReady: isReady,
    logger,
    discovery: { status: () => FORBIDDEN },
  });
}

describe('an anonymous visitor', () => {
  it('gets no metrics: 404 while METRICS_TOKEN is unset, 401 without the token once it is set', async () => {
    const off = await request(await appWith()).get('/api/metrics');
    expect(off.status).toBe(404);
    expect(off.body.error.message).toContain('Set METRICS_TOKEN');
    expect(off.text).not.toContain('process_resident_memory_bytes');

    const app = await appWith({ METRICS_TOKEN });
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${METRICS_TOKEN}`]) {
      const req = request(app).get('/api/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status, auth).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="ray-console-metrics"');
      expect(res.text).not.toContain('process_resident_memory_bytes');
    }
    // The scraper that sends it gets the gauges.
    const scraped = await request(app).get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('ray_console_ready 1');
  });

  it('reads that discovery fails, without the API server address or its answer, until signed in', async () => {
    const app = await appWith();
    const agent = request.agent(app);
    const anonymous = (await agent.get('/api/discovery').expect(200)).body as DiscoveryStatus;
    expect(anonymous).toEqual({
      ...FORBIDDEN,
      message:
        'Kubernetes discovery is not permitted to list RayClusters. Sign in to a cluster, or read the console log, for the details. Clusters configured by hand keep working.',
    });
    expect(JSON.stringify(anonymous)).not.toContain(API_SERVER);
    expect(JSON.stringify(anonymous)).not.toContain('serviceaccount');

    const csrf = ((await agent.get('/api/session').expect(200)).body as { csrfToken: string }).csrfToken;
    await agent.post('/api/clusters/default/login').set('X-CSRF-Token', csrf).send({ token: TOKEN }).expect(200);
    expect((await agent.get('/api/discovery').expect(200)).body).toEqual(FORBIDDEN);
  });

  it('reads the details with DISCOVERY_DETAILS=everyone', async () => {
    const res = await request(await appWith({ DISCOVERY_DETAILS: 'everyone' })).get('/api/discovery');
    expect(res.body).toEqual(FORBIDDEN);
  });

  it('gets the scripts but not their source maps, unless SERVE_SOURCE_MAPS=true', async () => {
    const app = await appWith();
    expect((await request(app).get('/assets/index-abc.js')).status).toBe(200);
    const map = await request(app).get('/assets/index-abc.js.map');
    expect(map.status).toBe(404);
    expect(map.text).not.toContain('src/main.tsx');
    const served = await request(await appWith({ SERVE_SOURCE_MAPS: 'true' })).get('/assets/index-abc.js.map');
    expect(served.status).toBe(200);
    expect(served.text).toContain('src/main.tsx');
  });
});

import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesClusterInfo } from '@ray-console/shared';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { AppError } from '../../lib/app-error.js';
import { createLogger } from '../../lib/logger.js';
import type { PersonKube, PersonKubeKind } from '../../kubernetes/person-kube.js';
import { createSessionStore, type ClosableStore } from '../../session/session-store.js';
import type { ClusterRecord, ClusterSource } from '../clusters/cluster-registry.js';

// "Sign in as me" through createApp: a fake PersonKube (the person's Kubernetes; the Kubernetes suite
// uses the real API server and operator) and a fake Ray head (unit tests only) that takes one token.

const SECRET = 'secret-sign-in-test-secret-0123456789ab';
const TOKEN = 'QmFzZTY0VG9rZW5Gcm9tVGhlT3BlcmF0b3IwMTIzNDU=';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let head: { url: string; close(): Promise<void> };
let dir: string;
let stores: ClosableStore;
const logs: string[] = [];

beforeAll(async () => {
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/authentication_mode') return json(200, { authentication_mode: 'token' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(403).end('Forbidden');
    if (url.pathname === '/api/version') return json(200, { version: '4', ray_version: '2.60.0' });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  head = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  dir = mkdtempSync(path.join(os.tmpdir(), 'secret-sign-in-'));
  const config = loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir, LOG_LEVEL: 'info' });
  stores = await createSessionStore(config, createLogger('silent'));
});

afterAll(async () => {
  await stores.close();
  await head.close();
  rmSync(dir, { recursive: true, force: true });
});

const info = (auth: KubernetesClusterInfo['auth']): KubernetesClusterInfo => ({
  namespace: 'team-a',
  name: 'ray',
  ready: true,
  conditions: [],
  workers: { desired: 0, available: 0, ready: 0 },
  auth,
});

const discovered = (id: string, auth: KubernetesClusterInfo['auth']): ClusterRecord => ({
  id,
  displayName: `team-a/${id}`,
  endpoint: { baseUrl: head.url, tokenHeader: 'authorization' },
  source: 'kubernetes',
  kubernetes: info(auth),
});

const clusters: ClusterSource = {
  list: () => [
    discovered('k8s~team-a~ray', { mode: 'token', source: 'authOptions', secret: { name: 'ray', key: 'auth_token' } }),
    discovered('k8s~team-a~k8s', { mode: 'kubernetes-token', source: 'authOptions' }),
  ],
};

/** A person's Kubernetes that may get only the Secrets named in `readable`, holding `data`. */
function fakeKube(user: string, readable: Record<string, Record<string, string>>): PersonKube & { calls: string[] } {
  const calls: string[] = [];
  const refuse = (name: string) =>
    new AppError('kube_forbidden', `${user} may not get secrets "${name}" in namespace team-a.`, undefined, {
      params: { verb: 'get', resource: 'secrets', namespace: 'team-a', name, user },
    });
  return {
    mode: 'kubeconfig',
    user,
    groups: [],
    calls,
    get(kind: PersonKubeKind, namespace: string, name: string) {
      calls.push(`get ${kind} ${namespace}/${name}`);
      const data = readable[`${namespace}/${name}`];
      return data ? Promise.resolve({ metadata: { name, namespace }, data }) : Promise.reject(refuse(name));
    },
    allowed(verb: string, kind: PersonKubeKind, namespace: string, name?: string) {
      calls.push(`allowed ${verb} ${kind} ${namespace}/${name}`);
      return Promise.resolve(readable[`${namespace}/${name}`] !== undefined);
    },
    list: () => Promise.reject(new Error('not used')),
    create: () => Promise.reject(new Error('not used')),
    mergePatch: () => Promise.reject(new Error('not used')),
    delete: () => Promise.reject(new Error('not used')),
  };
}

function appWith(kube: PersonKube | undefined): Express {
  const config = loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir, LOG_LEVEL: 'info' });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  return createApp({
    config,
    secrets: [SECRET],
    store: stores.store,
    audit: stores.audit,
    logger: createLogger('info', sink),
    clusterSources: [clusters],
    ...(kube ? { personKubeOf: () => Promise.resolve(kube) } : {}),
  });
}

async function session(app: Express) {
  const agent = request.agent(app);
  const { body } = await agent.get('/api/session').expect(200);
  return { agent, csrf: (body as { csrfToken: string }).csrfToken };
}

describe('Sign in as me', () => {
  it('offers it to a person who may get the Secret, signs in with its token, and never shows the token', async () => {
    const kube = fakeKube('alice', { 'team-a/ray': { auth_token: b64(`${TOKEN}\n`) } });
    const app = appWith(kube);
    const { agent, csrf } = await session(app);
    const options = await agent.get('/api/clusters/k8s~team-a~ray/sign-in/options').expect(200);
    expect(options.body).toEqual({ kubernetesSecret: true, kubernetesUser: 'alice' });
    const res = await agent.post('/api/clusters/k8s~team-a~ray/sign-in/kubernetes-secret').set('X-CSRF-Token', csrf);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ id: 'k8s~team-a~ray', rayVersion: '2.60.0', authMode: 'token' });
    expect(kube.calls).toEqual(['allowed get Secret team-a/ray', 'get Secret team-a/ray']);
    const list = await agent.get('/api/clusters').expect(200);
    expect(list.body.find((c: { id: string }) => c.id === 'k8s~team-a~ray').signedIn).toBe(true);

    const { events } = await stores.audit.page('k8s~team-a~ray', { limit: 1 });
    expect(events[0]).toMatchObject({
      action: 'sign-in',
      outcome: 'success',
      tokenSource: 'kubernetes-secret',
      kubernetesUser: 'alice',
    });
    for (const text of [options.text, res.text, list.text, logs.join('')]) expect(text).not.toContain(TOKEN);
    for (const name of readdirSync(dir))
      expect(readFileSync(path.join(dir, name)).toString('latin1'), name).not.toContain(TOKEN);
  });

  it('refuses a person who may not get the Secret with what the API server refused, and says no in the options', async () => {
    const app = appWith(fakeKube('bob', {}));
    const { agent, csrf } = await session(app);
    const options = await agent.get('/api/clusters/k8s~team-a~ray/sign-in/options').expect(200);
    expect(options.body).toEqual({ kubernetesSecret: false, reason: 'not_permitted', kubernetesUser: 'bob' });
    const res = await agent.post('/api/clusters/k8s~team-a~ray/sign-in/kubernetes-secret').set('X-CSRF-Token', csrf);
    expect(res.status).toBe(403);
    expect(res.body.error.params).toMatchObject({ verb: 'get', resource: 'secrets', user: 'bob' });
    const list = await agent.get('/api/clusters').expect(200);
    expect(list.body.find((c: { id: string }) => c.id === 'k8s~team-a~ray').signedIn).toBe(false);
    const { events } = await stores.audit.page('k8s~team-a~ray', { limit: 1 });
    expect(events[0]).toMatchObject({
      outcome: 'failure',
      reason: 'kube_forbidden',
      tokenSource: 'kubernetes-secret',
      kubernetesUser: 'bob',
    });
  });

  it('says what is wrong with a Secret without its key or with no token in it, and a token the head refuses', async () => {
    for (const [data, status, expected] of [
      [{ other: b64(TOKEN) }, 404, 'There is no key "auth_token" in the Secret "ray" in namespace "team-a"'],
      [{ auth_token: b64('  \n') }, 409, 'holds no token (it is empty or not printable text)'],
      [{ auth_token: b64('wrong-token') }, 403, ''],
    ] as const) {
      const app = appWith(fakeKube('alice', { 'team-a/ray': data }));
      const { agent, csrf } = await session(app);
      const res = await agent.post('/api/clusters/k8s~team-a~ray/sign-in/kubernetes-secret').set('X-CSRF-Token', csrf);
      expect(res.status, res.text).toBe(status);
      expect(res.body.error.message).toContain(expected);
      expect(res.text).not.toContain('wrong-token');
    }
  });

  it('is not offered for a cluster whose token is in no Secret, nor without a Kubernetes identity', async () => {
    const { agent, csrf } = await session(appWith(fakeKube('alice', {})));
    expect((await agent.get('/api/clusters/k8s~team-a~k8s/sign-in/options').expect(200)).body).toEqual({
      kubernetesSecret: false,
      reason: 'no_secret',
    });
    const res = await agent.post('/api/clusters/k8s~team-a~k8s/sign-in/kubernetes-secret').set('X-CSRF-Token', csrf);
    expect(res.status).toBe(409);

    const off = await session(appWith(undefined));
    expect((await off.agent.get('/api/clusters/k8s~team-a~ray/sign-in/options').expect(200)).body).toEqual({
      kubernetesSecret: false,
      reason: 'no_identity',
    });
    const none = await off.agent
      .post('/api/clusters/k8s~team-a~ray/sign-in/kubernetes-secret')
      .set('X-CSRF-Token', off.csrf);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('kube_identity_required');
  });

  it('keeps the CSRF protection of a sign-in', async () => {
    const { agent } = await session(appWith(fakeKube('alice', { 'team-a/ray': { auth_token: b64(TOKEN) } })));
    const res = await agent.post('/api/clusters/k8s~team-a~ray/sign-in/kubernetes-secret');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { stringify } from 'yaml';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, SUBMITTED_BY_METADATA, type Person, type Role } from '@ray-console/shared';
import { sessionOf, testPerson } from '../../test/support/person-session.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { AuditStore } from '../features/audit/audit-store.js';
import { OidcIdentity } from '../identity/oidc-identity.js';
import { createLogger } from '../lib/logger.js';
import { createSessionStore } from '../session/session-store.js';
import { VERSION } from '../version.js';
import { startFakeHttpServer, type FakeServer } from '../../test/support/fake-servers.js';

// Every cluster route against the role it needs, through createApp() with a config file that grants
// roles, and sessions of people written straight into the session store (only the OIDC sign-in sets a
// person in the app). A fake Ray head (unit tests only) answers the calls a signed-in route makes.

const SECRET = 'roles-test-secret-0123456789abcdef0123';
const TOKEN = 'fake-ray-token-0123456789abcdef0123456789abcdef';
const ISSUER = 'https://idp.example.test/realms/test';

const alice = testPerson('alice', ['team-a'], ISSUER);
const bob = testPerson('bob', ['team-a'], ISSUER);
const carol = testPerson('carol', ['platform-admins'], ISSUER);
const vic = testPerson('vic', ['watchers'], ISSUER);
const nobody = testPerson('nobody', ['elsewhere'], ISSUER);

const owned = (p: Person) => ({
  [SUBMITTED_BY_METADATA.name]: p.name,
  [SUBMITTED_BY_METADATA.issuer]: p.issuer,
  [SUBMITTED_BY_METADATA.subject]: p.subject,
});

const rayJob = (id: string, metadata: Record<string, string> | null) => ({
  type: 'SUBMISSION',
  job_id: null,
  submission_id: id,
  driver_info: null,
  status: 'RUNNING',
  entrypoint: `python ${id}.py`,
  message: null,
  error_type: null,
  start_time: id === 'alice_job' ? 3 : id === 'bob_job' ? 2 : 1,
  end_time: null,
  metadata,
  runtime_env: null,
  driver_agent_http_address: null,
  driver_node_id: null,
  driver_exit_code: null,
});
const JOBS: Record<string, ReturnType<typeof rayJob>> = {
  alice_job: rayJob('alice_job', owned(alice)),
  bob_job: rayJob('bob_job', owned(bob)),
  cli_job: rayJob('cli_job', { team: 'a' }),
};

let fakeRay: FakeServer;
let fakeRayUrl: string;
/** What the fake head was asked to do (writes only), in order. */
const writes: { method: string; path: string; body?: unknown }[] = [];

beforeAll(async () => {
  fakeRay = await startFakeHttpServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/authentication_mode') return json(200, { authentication_mode: 'token' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end('Unauthorized');
    if (url.pathname === '/api/version') return json(200, { version: '4', ray_version: '2.60.0' });
    if (url.pathname === '/api/jobs/' && req.method === 'GET') return json(200, Object.values(JOBS));
    if (url.pathname === '/api/jobs/' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        writes.push({ method: 'POST', path: url.pathname, body: JSON.parse(body) });
        json(200, { submission_id: 'raysubmit_new', job_id: null });
      });
      return;
    }
    const m = /^\/api\/jobs\/([^/]+)(\/stop)?$/.exec(url.pathname);
    const job = m ? JOBS[m[1]!] : undefined;
    if (m && !job) return res.writeHead(404).end(`Job ${m[1]} does not exist`);
    if (m && req.method === 'POST' && m[2]) {
      writes.push({ method: 'POST', path: url.pathname });
      return json(200, { stopped: true });
    }
    if (m && req.method === 'DELETE') {
      writes.push({ method: 'DELETE', path: url.pathname });
      return json(200, { deleted: true });
    }
    if (m) return json(200, job);
    res.writeHead(404).end('404: Not Found');
  });
  fakeRayUrl = fakeRay.url;
});

afterAll(async () => {
  await fakeRay.close();
});

const opened: { close(): Promise<void>; dir: string }[] = [];
afterEach(async () => {
  writes.length = 0;
  for (const { close, dir } of opened.splice(0)) {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});

interface World {
  app: Express;
  /** A Cookie header for a session of this person. */
  as(person: Person): Promise<string>;
  auditOf(
    clusterId: string,
  ): AuditStore['page'] extends (id: string, o: infer O) => infer R ? (o?: Partial<O>) => R : never;
}

/**
 * Two configured clusters: team-a operates `a` and may look at nothing else; platform-admins administer
 * both; watchers view `a`; the `b` cluster is platform-admins' alone. `roles: false`: no access section.
 */
async function world({ roles = true, oidc = true }: { roles?: boolean; oidc?: boolean } = {}): Promise<World> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roles-test-'));
  const file = path.join(dir, 'clusters.yaml');
  writeFileSync(
    file,
    stringify({
      clusters: [
        { id: 'a', displayName: 'Team A', dashboardUrl: fakeRayUrl },
        { id: 'b', displayName: 'Team B', dashboardUrl: fakeRayUrl },
      ],
      ...(roles
        ? {
            access: {
              clusters: {
                a: [
                  { role: 'operator', groups: ['team-a'] },
                  { role: 'viewer', groups: ['watchers'] },
                  { role: 'admin', groups: ['platform-admins'] },
                ],
                b: [{ role: 'admin', groups: ['platform-admins'] }],
              },
            },
          }
        : {}),
    }),
  );
  const config = loadConfig({
    SESSION_SECRET: SECRET,
    DATA_DIR: dir,
    RAY_CONSOLE_CONFIG: file,
    LOG_LEVEL: 'silent',
    JOB_LIST_CACHE_MS: '0',
    ...(oidc ? { OIDC_ISSUER_URL: ISSUER, OIDC_CLIENT_ID: 'ray-console', PUBLIC_URL: 'http://127.0.0.1' } : {}),
  });
  const logger = createLogger('silent');
  const { store, audit, loginAttempts, isReady, close } = await createSessionStore(config, logger);
  opened.push({ close, dir });
  // The door to the provider, never started: these tests write the person into the session themselves.
  const identity = config.oidc ? new OidcIdentity(config.oidc, logger) : undefined;
  const app = createApp({
    config,
    secrets: [SECRET],
    store,
    audit,
    loginAttempts,
    storeReady: isReady,
    logger,
    ...(identity ? { identity } : {}),
  });
  return {
    app,
    as: (person) => sessionOf(store, SECRET, person),
    auditOf: (clusterId) => (o) => audit.page(clusterId, { limit: 50, ...o }),
  } as World;
}

/** Signs the person's session in to a cluster with the token, as the prompt does; the new cookie and CSRF token. */
async function signedIn(app: Express, cookie: string, clusterId = 'a'): Promise<{ cookie: string; csrf: string }> {
  const csrfOf = async (c: string) =>
    ((await request(app).get('/api/session').set('Cookie', c).expect(200)).body as { csrfToken: string }).csrfToken;
  const login = await request(app)
    .post(`/api/clusters/${clusterId}/login`)
    .set('Cookie', cookie)
    .set('X-CSRF-Token', await csrfOf(cookie))
    .send({ token: TOKEN })
    .expect(200);
  const set = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ray-console.sid='));
  const next = set!.split(';')[0]!;
  return { cookie: next, csrf: await csrfOf(next) };
}

describe('the cluster list with per-cluster roles', () => {
  it('shows each person only the clusters they have a role on, with that role', async () => {
    const w = await world();
    const list = async (p: Person) =>
      (
        (
          await request(w.app)
            .get('/api/clusters')
            .set('Cookie', await w.as(p))
            .expect(200)
        ).body as {
          id: string;
          role?: Role;
        }[]
      ).map((c) => [c.id, c.role]);
    expect(await list(alice)).toEqual([['a', 'operator']]);
    expect(await list(vic)).toEqual([['a', 'viewer']]);
    expect(await list(carol)).toEqual([
      ['a', 'admin'],
      ['b', 'admin'],
    ]);
    expect(await list(nobody)).toEqual([]);
  });

  it("answers a cluster's routes for a person without a role there exactly as for a cluster that does not exist", async () => {
    const w = await world();
    const cookie = await w.as(alice);
    const hidden = await request(w.app).get('/api/clusters/b/jobs').set('Cookie', cookie).expect(404);
    const missing = await request(w.app).get('/api/clusters/zzz/jobs').set('Cookie', cookie).expect(404);
    expect(hidden.body).toEqual({
      error: {
        code: 'unknown_cluster',
        message: 'There is no cluster "b" in this console; pick one from the cluster list.',
      },
    });
    expect(missing.body.error.message.replace('zzz', 'b')).toBe(hidden.body.error.message);
  });

  it('without an access section, shows every cluster to everyone, with no role (nothing changes)', async () => {
    const w = await world({ roles: false });
    const body = (
      await request(w.app)
        .get('/api/clusters')
        .set('Cookie', await w.as(nobody))
        .expect(200)
    ).body as { id: string; role?: Role }[];
    expect(body.map((c) => [c.id, c.role])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
  });
});

/** The role each cluster route needs, keyed `METHOD path` as the OpenAPI document names it. */
const NEEDS: Record<string, Role> = {
  'POST /api/clusters/{clusterId}/login': 'viewer',
  'POST /api/clusters/{clusterId}/logout': 'viewer',
  'GET /api/clusters/{clusterId}/sign-in/options': 'viewer',
  'POST /api/clusters/{clusterId}/sign-in/kubernetes-secret': 'viewer',
  'GET /api/clusters/{clusterId}/resources': 'viewer',
  'GET /api/clusters/{clusterId}/jobs': 'viewer',
  'POST /api/clusters/{clusterId}/jobs': 'operator',
  'GET /api/clusters/{clusterId}/jobs/{jobId}': 'viewer',
  'POST /api/clusters/{clusterId}/jobs/{jobId}/stop': 'operator',
  'DELETE /api/clusters/{clusterId}/jobs/{jobId}': 'operator',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/logs': 'viewer',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/logs/stream': 'viewer',
  'PUT /api/clusters/{clusterId}/packages': 'operator',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/tasks/summary': 'viewer',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/failures': 'viewer',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/waits': 'viewer',
  'GET /api/clusters/{clusterId}/jobs/{jobId}/actors': 'viewer',
  'GET /api/clusters/{clusterId}/nodes/usage': 'viewer',
  'GET /api/clusters/{clusterId}/nodes/{nodeId}/logs': 'viewer',
  'GET /api/clusters/{clusterId}/logs/file': 'viewer',
  'GET /api/clusters/{clusterId}/logs/stream': 'viewer',
  'GET /api/clusters/{clusterId}/serve': 'viewer',
  'GET /api/clusters/{clusterId}/audit': 'admin',
};

const clusterRoutes = Object.entries(buildOpenApiDocument(VERSION).paths ?? {}).flatMap(([p, item]) =>
  p.includes('{clusterId}')
    ? (['get', 'post', 'put', 'delete'] as const)
        .filter((m) => item?.[m])
        .map((m) => `${m.toUpperCase()} /api${p.replace(/^\/api/, '')}`)
    : [],
);

describe('every cluster route needs its role', () => {
  it('has a required role for each cluster route the BFF documents', () => {
    expect(clusterRoutes.length).toBeGreaterThan(15);
    expect(clusterRoutes.filter((r) => !(r in NEEDS))).toEqual([]);
  });

  const people: [Person, Role][] = [
    [vic, 'viewer'],
    [alice, 'operator'],
    [carol, 'admin'],
  ];
  it.each(people)(
    '%# as %s: 403 forbidden naming the role exactly where the role is too small',
    async (person, held) => {
      const w = await world();
      const cookie = await w.as(person);
      const csrf = (
        (await request(w.app).get('/api/session').set('Cookie', cookie).expect(200)).body as {
          csrfToken: string;
        }
      ).csrfToken;
      const rank = (r: Role) => ['viewer', 'operator', 'admin'].indexOf(r);
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const [route, needed] of Object.entries(NEEDS)) {
        const [method, template] = route.split(' ') as [string, string];
        const url = template
          .replace('{clusterId}', 'a')
          .replace('{jobId}', 'cli_job')
          .replace('{nodeId}', 'n'.repeat(56));
        // Past the role, a request may still fail (not signed in to the cluster, a missing query); never for the role.
        const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
        const res = await request(w.app)[verb](url).set('Cookie', cookie).set('X-CSRF-Token', csrf);
        const code = (res.body as { error?: { code: string; params?: { role?: string } } }).error;
        outcomes[route] = code?.code === 'forbidden' ? `forbidden:${code.params?.role}` : 'passed';
        expected[route] = rank(held) >= rank(needed) ? 'passed' : `forbidden:${needed}`;
      }
      expect(outcomes).toEqual(expected);
    },
  );

  it('refuses writes below the role needed (with a CSRF token), and audits each refusal with the person', async () => {
    const w = await world();
    const { cookie, csrf } = await signedIn(w.app, await w.as(vic));
    const write = (method: 'post' | 'put' | 'delete', url: string) =>
      request(w.app)[method](url).set('Cookie', cookie).set('X-CSRF-Token', csrf);
    const submit = await write('post', '/api/clusters/a/jobs').send({ entrypoint: 'echo hi' }).expect(403);
    expect(submit.body.error).toMatchObject({ code: 'forbidden', params: { role: 'operator', held: 'viewer' } });
    expect(submit.body.error.message).toBe(
      'Submitting a job needs the operator role on the cluster "Team A"; you have the viewer role there. Ask whoever runs this console for the operator role.',
    );
    await write('post', '/api/clusters/a/jobs/alice_job/stop').expect(403);
    await write('delete', '/api/clusters/a/jobs/alice_job').expect(403);
    await write('put', '/api/clusters/a/packages').set('Content-Type', 'application/zip').send('x').expect(403);
    const audit = await request(w.app).get('/api/clusters/a/audit').set('Cookie', cookie).expect(403);
    expect(audit.body.error.params.role).toBe('admin');
    expect(writes).toEqual([]);

    const { events } = await w.auditOf('a')();
    const refused = events.filter((e) => e.reason === 'forbidden');
    expect(refused.map((e) => [e.action, e.outcome, e.jobId])).toEqual([
      ['audit.read', 'failure', undefined],
      ['package.upload', 'failure', undefined],
      ['job.delete', 'failure', 'alice_job'],
      ['job.stop', 'failure', 'alice_job'],
      ['job.submit', 'failure', undefined],
    ]);
    for (const e of refused) expect(e.person).toEqual({ subject: vic.subject, issuer: vic.issuer, name: 'vic' });
  });
});

describe('jobs carry the person who submitted them', () => {
  it('writes the submitter into the metadata Ray receives, beside the form’s own keys', async () => {
    const w = await world();
    const { cookie, csrf } = await signedIn(w.app, await w.as(alice));
    await request(w.app)
      .post('/api/clusters/a/jobs')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ entrypoint: 'echo hi', metadata: { team: 'a' } })
      .expect(201);
    expect(writes[0]?.body).toMatchObject({ metadata: { team: 'a', ...owned(alice) } });
    const { events } = await w.auditOf('a')();
    expect(events[0]).toMatchObject({ action: 'job.submit', outcome: 'success', person: { name: 'alice' } });
  });

  it('refuses a form that sets a console key, with the field and what to change, and sends nothing to Ray', async () => {
    for (const roles of [true, false]) {
      const w = await world({ roles, oidc: roles });
      const { cookie, csrf } = await signedIn(w.app, await w.as(alice));
      const res = await request(w.app)
        .post('/api/clusters/a/jobs')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf)
        .send({ entrypoint: 'echo hi', metadata: { [SUBMITTED_BY_METADATA.name]: 'carol' } })
        .expect(400);
      expect(res.body.error.code).toBe('validation');
      expect(res.body.error.fields[`metadata.${SUBMITTED_BY_METADATA.name}`]).toBe(
        `Keys starting with "ray-console." are kept for the console (who submitted the job); rename or remove "${SUBMITTED_BY_METADATA.name}".`,
      );
    }
    expect(writes).toEqual([]);
  });

  it('lists who submitted each job, and "my jobs" only the person’s own, with the total and paging right', async () => {
    const w = await world();
    const { cookie } = await signedIn(w.app, await w.as(alice));
    const all = await request(w.app).get('/api/clusters/a/jobs').set('Cookie', cookie).expect(200);
    expect(
      all.body.items.map((j: { id: string; submittedBy?: { name: string } }) => [j.id, j.submittedBy?.name]),
    ).toEqual([
      ['alice_job', 'alice'],
      ['bob_job', 'bob'],
      ['cli_job', undefined],
    ]);
    const mine = await request(w.app).get('/api/clusters/a/jobs?mine=true&limit=1').set('Cookie', cookie).expect(200);
    expect(mine.body.items.map((j: { id: string }) => j.id)).toEqual(['alice_job']);
    expect(mine.body.total).toBe(1);
    expect(mine.body.nextCursor).toBeUndefined();
    expect(mine.body.statusCounts.RUNNING).toBe(1);
  });

  it('refuses "my jobs" without a signed-in person (anonymous mode), saying so', async () => {
    const w = await world({ roles: false, oidc: false });
    const agent = request.agent(w.app);
    const csrf = ((await agent.get('/api/session').expect(200)).body as { csrfToken: string }).csrfToken;
    await agent.post('/api/clusters/a/login').set('X-CSRF-Token', csrf).send({ token: TOKEN }).expect(200);
    const res = await agent.get('/api/clusters/a/jobs?mine=true').expect(400);
    expect(res.body.error.fields.mine).toMatch(/signed in with OpenID Connect/);
  });
});

describe('stopping and deleting: operators their own jobs, admins anyone’s', () => {
  it('lets an operator stop and delete their own job, refuses another person’s and a job from elsewhere, audited', async () => {
    const w = await world();
    const { cookie, csrf } = await signedIn(w.app, await w.as(alice));
    const write = (method: 'post' | 'delete', url: string) =>
      request(w.app)[method](url).set('Cookie', cookie).set('X-CSRF-Token', csrf);
    await write('post', '/api/clusters/a/jobs/alice_job/stop').expect(200);
    await write('delete', '/api/clusters/a/jobs/alice_job').expect(200);
    const other = await write('post', '/api/clusters/a/jobs/bob_job/stop').expect(403);
    expect(other.body.error).toMatchObject({ code: 'forbidden', params: { role: 'admin', held: 'operator' } });
    expect(other.body.error.message).toMatch(/^Stopping a job another person submitted needs the admin role/);
    await write('delete', '/api/clusters/a/jobs/cli_job').expect(403);
    // A job that does not exist is not found, whoever asks.
    expect((await write('post', '/api/clusters/a/jobs/gone/stop').expect(404)).body.error.code).toBe('not_found');
    expect(writes.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /api/jobs/alice_job/stop',
      'DELETE /api/jobs/alice_job',
    ]);
    const { events } = await w.auditOf('a')({ person: alice.subject });
    expect(events.map((e) => [e.action, e.outcome, e.jobId, e.reason])).toEqual([
      ['job.delete', 'failure', 'cli_job', 'forbidden'],
      ['job.stop', 'failure', 'bob_job', 'forbidden'],
      ['job.delete', 'success', 'alice_job', undefined],
      ['job.stop', 'success', 'alice_job', undefined],
      ['sign-in', 'success', undefined, undefined],
    ]);
  });

  it('lets an admin stop and delete anyone’s job, and read the trail filtered by person', async () => {
    const w = await world();
    const a = await signedIn(w.app, await w.as(alice));
    await request(w.app)
      .post('/api/clusters/a/jobs/bob_job/stop')
      .set('Cookie', a.cookie)
      .set('X-CSRF-Token', a.csrf)
      .expect(403);
    const c = await signedIn(w.app, await w.as(carol));
    await request(w.app)
      .post('/api/clusters/a/jobs/bob_job/stop')
      .set('Cookie', c.cookie)
      .set('X-CSRF-Token', c.csrf)
      .expect(200);
    await request(w.app)
      .delete('/api/clusters/a/jobs/cli_job')
      .set('Cookie', c.cookie)
      .set('X-CSRF-Token', c.csrf)
      .expect(200);
    const trail = await request(w.app).get('/api/clusters/a/audit').set('Cookie', c.cookie).expect(200);
    const names = (trail.body.events as { person?: { name: string } }[]).map((e) => e.person?.name);
    expect(new Set(names)).toEqual(new Set(['alice', 'carol']));
    const alices = await request(w.app)
      .get(`/api/clusters/a/audit?person=${encodeURIComponent(alice.subject)}`)
      .set('Cookie', c.cookie)
      .expect(200);
    expect(
      (alices.body.events as { action: string; person: { name: string } }[]).map((e) => [e.action, e.person.name]),
    ).toEqual([
      ['job.stop', 'alice'],
      ['sign-in', 'alice'],
    ]);
  });
});

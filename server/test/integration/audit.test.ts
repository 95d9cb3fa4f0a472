import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditEvent, AuditPage, JobDetails, JobSubmitResponse } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { closedPort } from '../support/fake-servers.js';
import { waitFor } from '../support/wait.js';

// The audit trail with the default SQLite backend, against the real head: every sign-in (with the
// reason of a failure) and sign-out is one structured log line and one queryable event per cluster.

const head = inject('rayHead');
let bff: RunningBff;

beforeAll(async () => {
  const config = writeClustersConfig([{ id: 'down', dashboardUrl: `http://127.0.0.1:${await closedPort()}` }]);
  bff = await startBff({
    RAY_DASHBOARD_URL: head.dashboardUrl,
    RAY_CONSOLE_CONFIG: config,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    TRUST_PROXY: '1',
  });
});

afterAll(async () => {
  await bff?.close();
});

/** The audit lines the BFF logged, parsed. */
function auditLines(): Record<string, unknown>[] {
  return bff.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.audit === true);
}

async function page(client: BffClient, clusterId: string, query = ''): Promise<AuditPage> {
  const res = await client.get(`/api/clusters/${clusterId}/audit${query}`);
  expect(res.status, res.text).toBe(200);
  return AuditPage.strict().parse(res.json());
}

describe('audit trail', () => {
  it('records sign-in failures with their reason, the success, and sign-outs, newest first', async () => {
    const client = new BffClient(bff.url);
    const xff = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    expect(
      (await client.post('/api/clusters/default/login', { token: 'wrong-token' }, xff('198.51.100.1'))).status,
    ).toBe(403);
    expect((await client.post('/api/clusters/default/login', { token: '' }, xff('198.51.100.1'))).status).toBe(400);
    expect((await client.post('/api/clusters/default/login', { token: head.token }, xff('198.51.100.2'))).status).toBe(
      200,
    );
    expect((await client.post('/api/clusters/default/logout', undefined, xff('198.51.100.2'))).status).toBe(204);
    expect((await client.post('/api/clusters/default/login', { token: head.token }, xff('198.51.100.2'))).status).toBe(
      200,
    );
    expect((await client.post('/api/logout', undefined, xff('198.51.100.3'))).status).toBe(204);
    // The trail is readable only while signed in to the cluster.
    expect((await client.get('/api/clusters/default/audit')).status).toBe(401);
    await client.session(); // the ended session's CSRF token went with it
    expect((await client.login('default', head.token)).status).toBe(200);

    const { events } = await page(client, 'default', '?limit=7');
    expect(events.map((e) => [e.action, e.outcome, e.reason ?? null, e.clientAddress])).toEqual([
      ['sign-in', 'success', null, '127.0.0.1'],
      ['sign-out', 'success', 'user_all', '198.51.100.3'],
      ['sign-in', 'success', null, '198.51.100.2'],
      ['sign-out', 'success', 'user', '198.51.100.2'],
      ['sign-in', 'success', null, '198.51.100.2'],
      ['sign-in', 'failure', 'validation', '198.51.100.1'],
      ['sign-in', 'failure', 'token_rejected', '198.51.100.1'],
    ]);
    for (const e of events) {
      expect(e.clusterId).toBe('default');
      expect(Date.parse(e.time)).toBeGreaterThan(Date.now() - 120_000);
      expect(e.session).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('records why a sign-in failed when the head cannot be reached', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('down', 'some-token')).status).toBe(502);
    const line = auditLines().findLast((l) => l.clusterId === 'down');
    expect(line).toMatchObject({
      action: 'sign-in',
      outcome: 'failure',
      reason: 'ray_unreachable',
      clientAddress: '127.0.0.1',
    });
  });

  it('writes one structured log line per event, with time, cluster, action, address and outcome', () => {
    const lines = auditLines();
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const l of lines) {
      expect(l).toMatchObject({ audit: true, event: 'audit', service: 'ray-console' });
      expect(typeof l.time).toBe('number');
      expect(l).toHaveProperty('clusterId');
      expect(l).toHaveProperty('action');
      expect(l).toHaveProperty('outcome');
      expect(l).toHaveProperty('clientAddress');
    }
  });

  it('records job submits, stops and deletes with the job id, and failed ones with the reason', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('default', head.token)).status).toBe(200);
    const jobs = '/api/clusters/default/jobs';
    const submitted = await client.post(jobs, { entrypoint: 'sleep 60' });
    expect(submitted.status, submitted.text).toBe(201);
    const id = JobSubmitResponse.parse(submitted.json()).submissionId;
    // Deleting a running job is refused by Ray: a failure with its code.
    await waitFor('the job to start', async () => {
      const job = JobDetails.parse((await client.get(`${jobs}/${id}`)).json());
      return job.status === 'RUNNING' || job.status === 'PENDING';
    });
    expect((await client.request('DELETE', `${jobs}/${id}`)).status).toBeGreaterThanOrEqual(400);
    expect((await client.post(`${jobs}/${id}/stop`)).status).toBe(200);
    await waitFor(
      'the job to stop',
      async () => {
        const job = JobDetails.parse((await client.get(`${jobs}/${id}`)).json());
        return job.status === 'STOPPED';
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect((await client.request('DELETE', `${jobs}/${id}`)).status).toBe(200);
    // An invalid submission is refused before Ray is asked, and recorded as such.
    expect((await client.post(jobs, { entrypoint: '' })).status).toBe(400);

    const { events } = await page(client, 'default', '?limit=5');
    expect(
      events.map((e) => [e.action, e.outcome, e.jobId ?? null, e.outcome === 'failure' ? e.reason : null]),
    ).toEqual([
      ['job.submit', 'failure', null, 'validation'],
      ['job.delete', 'success', id, null],
      ['job.stop', 'success', id, null],
      ['job.delete', 'failure', id, expect.any(String)],
      ['job.submit', 'success', id, null],
    ]);
    const lines = auditLines().filter((l) => l.jobId === id);
    expect(lines.map((l) => l.action)).toEqual(['job.submit', 'job.delete', 'job.stop', 'job.delete']);
  }, 120_000);

  it('pages with a cursor, newest first, without gaps or repeats', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('default', head.token)).status).toBe(200);
    const all = (await page(client, 'default', '?limit=200')).events;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await page(client, 'default', `?limit=3${cursor ? `&before=${cursor}` : ''}`);
      seen.push(...p.events.map((e) => e.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it('refuses a bad limit or cursor with a clear 400, and an unknown cluster with 404', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('default', head.token)).status).toBe(200);
    for (const q of ['?limit=0', '?limit=201', '?limit=abc', '?before=x', '?before=1%0d%0aX-Evil:%201']) {
      const res = await client.get(`/api/clusters/default/audit${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation');
    }
    expect((await client.get('/api/clusters/nope/audit')).status).toBe(404);
  });

  it('never holds the token: not in the trail, the log, or the SQLite rows of sessions and audit', async () => {
    const client = new BffClient(bff.url);
    expect((await client.login('default', head.token)).status).toBe(200);
    const everything = (await page(client, 'default', '?limit=200')).events.map((e) =>
      JSON.stringify(AuditEvent.parse(e)),
    );
    expect(everything.join('\n')).not.toContain(head.token);
    expect(bff.logs.join('\n')).not.toContain(head.token);

    // Raw rows, as someone who copied the data folder would read them.
    for (const file of ['sessions.db', 'audit.db']) {
      const db = new Database(path.join(bff.dataDir, file), { readonly: true });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      let dump = '';
      for (const { name } of tables) dump += JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
      db.close();
      expect(dump.length).toBeGreaterThan(0);
      expect(dump, file).not.toContain(head.token);
      if (file === 'sessions.db') expect(dump).toMatch(/\\"sealedToken\\":\\"v1\./);
    }
  });
});

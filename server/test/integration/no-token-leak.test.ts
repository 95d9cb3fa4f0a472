import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BffClient, type RecordedResponse } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { closedPort, startPlainHttpServer, type PlainServer } from '../support/fake-servers.js';

// The token goes from the sign-in form to the session store, sealed, and from there only to Ray. A full
// flow (session, clusters, sign-in, resources, sign-out, OpenAPI, and the errors on the way) must not
// show it in any response body or header, any log line, or the session database.

const head = inject('rayHead');
const WRONG_TOKEN = 'a-wrong-token-that-must-not-echo-0123456789';

let bff: RunningBff;
let notRay: PlainServer;

beforeAll(async () => {
  notRay = await startPlainHttpServer(404);
  const config = writeClustersConfig([
    { id: 'down', dashboardUrl: `http://127.0.0.1:${await closedPort()}` },
    { id: 'not-ray', dashboardUrl: notRay.url },
  ]);
  // The most talkative log level, so that anything the code might log is there to be searched.
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl, RAY_CONSOLE_CONFIG: config, LOG_LEVEL: 'trace' });
});

afterAll(async () => {
  await bff?.close();
  await notRay?.close();
});

function everythingIn(res: RecordedResponse): string {
  const headers: string[] = [];
  res.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
  return `${res.status}\n${headers.join('\n')}\n\n${res.text}`;
}

describe('the cluster token', () => {
  it('appears in no response, no log line and no session row over a full flow', async () => {
    const client = new BffClient(bff.url);
    const expectStatus = async (res: Promise<RecordedResponse>, status: number) =>
      expect((await res).status).toBe(status);

    await expectStatus(client.get('/api/healthz'), 200);
    await expectStatus(client.get('/api/openapi.json'), 200);
    await expectStatus(client.session(), 200);
    await expectStatus(client.get('/api/clusters'), 200);
    await expectStatus(client.get('/api/clusters/default/resources'), 401);
    // Errors on the way in.
    await expectStatus(client.login('default', WRONG_TOKEN), 403);
    await expectStatus(client.login('default', ''), 400);
    await expectStatus(client.post('/api/clusters/default/login', { token: head.token }, { csrf: false }), 403);
    await expectStatus(
      client.post(
        '/api/clusters/default/login',
        { token: head.token, extra: head.token },
        { headers: { origin: 'https://evil.example' } },
      ),
      403,
    );
    await expectStatus(client.login('down', head.token), 502);
    await expectStatus(client.login('not-ray', head.token), 502);
    await expectStatus(client.login('no-such-cluster', head.token), 404);
    await expectStatus(client.post('/api/clusters/default/login', { token: [head.token] }), 400);
    // Signed in.
    await expectStatus(client.login('default', head.token), 200);
    await expectStatus(client.get('/api/session'), 200);
    await expectStatus(client.get('/api/clusters'), 200);
    await expectStatus(client.get('/api/clusters/default/resources'), 200);
    await expectStatus(client.get('/api/no-such-route'), 404);
    // Signed out of the cluster, then in again, then out of everything.
    await expectStatus(client.post('/api/clusters/default/logout'), 204);
    await expectStatus(client.get('/api/clusters/default/resources'), 401);
    await expectStatus(client.login('default', head.token), 200);
    await expectStatus(client.get('/api/clusters/default/resources'), 200);
    // Another session signs in and stays signed in, so the database holds a live sealed token below.
    const other = new BffClient(bff.url);
    await expectStatus(other.login('default', head.token), 200);
    await expectStatus(client.post('/api/logout'), 204);
    await expectStatus(client.get('/api/clusters/default/resources'), 401);

    const responses = [...client.responses, ...other.responses];
    expect(responses.length).toBeGreaterThan(20);
    for (const res of responses) {
      const all = everythingIn(res);
      expect(all).not.toContain(head.token);
      expect(all).not.toContain(WRONG_TOKEN);
    }

    expect(bff.logs.length).toBeGreaterThan(10);
    for (const line of bff.logs) {
      expect(line).not.toContain(head.token);
      expect(line).not.toContain(WRONG_TOKEN);
    }

    // The session rows: the live session holds a sealed token, never the token itself.
    const db = new Database(path.join(bff.dataDir, 'sessions.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT sid, sess FROM sessions').all() as { sid: string; sess: string }[];
      expect(rows.length).toBeGreaterThan(0);
      const sealed = rows.flatMap((r) => {
        const sess = JSON.parse(r.sess) as { clusters?: Record<string, { sealedToken: string | null }> };
        return Object.values(sess.clusters ?? {}).map((c) => c.sealedToken);
      });
      expect(sealed.length).toBeGreaterThan(0);
      for (const s of sealed) expect(s).toMatch(/^v1\./);
      for (const r of rows) expect(`${r.sid} ${r.sess}`).not.toContain(head.token);
    } finally {
      db.close();
    }
    // And the raw bytes of every file in the data folder (the database, its WAL, anything else).
    for (const name of readdirSync(bff.dataDir)) {
      const bytes = readFileSync(path.join(bff.dataDir, name));
      expect(bytes.includes(Buffer.from(head.token)), name).toBe(false);
      expect(bytes.includes(Buffer.from(WRONG_TOKEN)), name).toBe(false);
    }
  });
});

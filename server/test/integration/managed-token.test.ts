import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiErrorBody, AuditPage, ClusterSummary, Health } from '@ray-console/shared';
import { freePort, newRayToken, startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import { BffClient, type RecordedResponse } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { secretVolume, type SecretVolume } from '../support/secret-volume.js';
import { readEventStream, type SseEvent } from '../support/sse.js';
import { waitFor } from '../support/wait.js';

// A cluster whose token the console holds itself (`tokenFile:`, a Kubernetes Secret volume laid out as
// the kubelet writes it): used by a browser that never signed in, kept working across a token rotation
// that reaches the head before the file, and across a file that cannot be used for a while. This file
// starts a head of its own on a fixed dashboard port and restarts it with a new token, as a re-created
// cluster keeps its address. The steps build on each other, in order.

const shared = inject('rayHead');
const HEAD_START_MS = 240_000;

let port: number;
let head: RayHead;
let volume: SecretVolume;
let bff: RunningBff;
/** A browser that never signs in. */
let client: BffClient;
/** Every token this file's head has had: none may appear in an answer, a log line or the data folder. */
const tokens: string[] = [];

const clusterOf = async (id: string) =>
  (await client.get('/api/clusters')).json<ClusterSummary[]>().find((c) => c.id === id);
const errorOf = (res: RecordedResponse) => res.json<ApiErrorBody>().error;

/** Follows a job's live log until the server ends it; the events it sent. */
async function follow(clusterId: string, jobId: string): Promise<{ status: number; events: SseEvent[] }> {
  const events: SseEvent[] = [];
  const r = await readEventStream(
    `${bff.url}/api/clusters/${clusterId}/jobs/${jobId}/logs/stream`,
    { cookie: client.cookieHeader() },
    (e) => events.push(e),
  );
  return { status: r.status, events };
}
/** The job's own lines (Ray adds lines of its own around them, which differ between versions). */
const linesOf = (events: SseEvent[], prefix: string) =>
  events
    .filter((e) => e.event === 'message')
    .flatMap((e) => e.data.split('\n'))
    .filter((l) => l.startsWith(prefix));

async function submit(clusterId: string, entrypoint: string): Promise<string> {
  const res = await client.post(`/api/clusters/${clusterId}/jobs`, { entrypoint });
  expect(res.status, res.text).toBe(201);
  return res.json<{ submissionId: string }>().submissionId;
}

/** How often the console has logged that a cluster's token file changed. */
const changesOf = (clusterId: string) =>
  bff.logs.filter((l) => l.includes(`The token file of cluster \\"${clusterId}\\" changed;`)).length;

const readiness = async () => (await client.get('/api/readyz')).json<Health>();

/** "The same cluster" started with `token`: the head on the same dashboard port (stop the old one first). */
const startHead = (token: string) =>
  startRayHead({ version: shared.version, dashboardPort: port, numCpus: 1, resources: {}, token });

beforeAll(async () => {
  port = await freePort();
  const first = newRayToken();
  tokens.push(first);
  volume = secretVolume(`${first}\n`);
  head = await startHead(first);
  const config = writeClustersConfig([
    {
      id: 'managed',
      displayName: 'Managed cluster',
      dashboardUrl: head.dashboardUrl,
      tokenFile: volume.file,
      tokenPrompt: false,
    },
    // The same head with the prompt left on: a person holding the token may still sign in with it.
    { id: 'prompted', displayName: 'Managed, prompt on', dashboardUrl: head.dashboardUrl, tokenFile: volume.file },
  ]);
  // A short heartbeat: a live tail re-checks its session every 0.5 s, and must not end for want of a sign-in.
  bff = await startBff({
    RAY_CONSOLE_CONFIG: config,
    LIVE_TAIL_HEARTBEAT_MS: '500',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  });
  client = new BffClient(bff.url);
  await client.session();
}, HEAD_START_MS);

afterAll(async () => {
  // No answer, log line or stored byte (sessions, audit trail) of the BFF ever held a token.
  expectNoSecrets(bff, [client], tokens);
  await head?.stop();
  await bff?.close();
  volume?.remove();
});

describe(`a cluster with a token file (Ray ${shared.version})`, () => {
  it(
    'a browser that never signed in lists, submits and follows a job; the trail says the token file was used',
    { timeout: HEAD_START_MS },
    async () => {
      expect(bff.logs.join('')).toContain(
        'The cluster \\"managed\\" uses the token in its token file; the file is read again whenever it changes.',
      );
      const list = await client.get('/api/clusters');
      expect(list.text).not.toContain(volume.dir);
      expect(await clusterOf('managed')).toMatchObject({
        authMode: 'token',
        signedIn: false,
        managedToken: { tokenPrompt: false },
        dashboardAddress: { url: head.dashboardUrl, inClusterOnly: false },
      });
      expect(await clusterOf('prompted')).toMatchObject({ signedIn: false, managedToken: { tokenPrompt: true } });

      expect((await client.get('/api/clusters/managed/jobs')).status).toBe(200);
      expect((await client.get('/api/clusters/managed/resources')).status).toBe(200);
      const id = await submit('managed', 'for i in 1 2 3 4 5 6 7 8; do echo managed line $i; sleep 0.4; done');
      // Longer than several heartbeats: a tail read with the console's token is not ended for want of a sign-in.
      const tail = await follow('managed', id);
      expect(tail.status).toBe(200);
      expect(linesOf(tail.events, 'managed line')).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `managed line ${i}`));
      expect(tail.events.at(-1)?.event).toBe('end');
      expect(JSON.parse(tail.events.at(-1)!.data)).toMatchObject({ status: 'SUCCEEDED' });

      const audit = (await client.get('/api/clusters/managed/audit')).json<AuditPage>();
      expect(audit.events).toContainEqual(
        expect.objectContaining({ action: 'job.submit', outcome: 'success', jobId: id, tokenSource: 'token-file' }),
      );
      // Nothing of the cluster is in the session: it holds no token and was never signed in.
      expect((await client.get('/api/session')).json()).toMatchObject({ clusters: [] });
    },
  );

  it('refuses a sign-in where the prompt is off, saying why; the trail records the refusal', async () => {
    const res = await client.login('managed', 'some-token-of-my-own');
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({
      code: 'conflict',
      params: { cluster: 'Managed cluster' },
    });
    expect(errorOf(res).message).toContain('signing in with a token is turned off for it (tokenPrompt: false)');
    const audit = (await client.get('/api/clusters/managed/audit')).json<AuditPage>();
    expect(audit.events[0]).toMatchObject({ action: 'sign-in', outcome: 'failure', reason: 'conflict' });
  });

  it(
    'the head restarted with a new token before the file: 503 naming the out-of-date token file, nobody signed out; the file rotated: it works again',
    { timeout: HEAD_START_MS },
    async () => {
      const second = newRayToken();
      tokens.push(second);
      await head.stop();
      head = await startHead(second);

      const stale = await client.get('/api/clusters/managed/resources');
      expect(stale.status).toBe(503);
      expect(errorOf(stale)).toMatchObject({ code: 'token_file_outdated', params: { cluster: 'Managed cluster' } });
      expect(errorOf(stale).message).toContain(
        `The cluster "Managed cluster" rejected the token in the console's token file: the file is out of date`,
      );
      const managed = await clusterOf('managed');
      expect(managed).toMatchObject({ signedIn: false, managedToken: { tokenPrompt: false }, authMode: 'token' });
      expect(managed?.signOutReason).toBeUndefined();

      // Where the prompt is on, whoever holds the new token may work meanwhile with it; signing out
      // returns to the console's (still old) token.
      expect(errorOf(await client.get('/api/clusters/prompted/resources')).message).toContain(
        'Meanwhile, whoever holds the current token can sign in with it.',
      );
      expect((await client.login('prompted', second)).status).toBe(200);
      expect((await client.get('/api/clusters/prompted/resources')).status).toBe(200);
      expect(await clusterOf('prompted')).toMatchObject({ signedIn: true, managedToken: { tokenPrompt: true } });
      expect((await client.post('/api/clusters/prompted/logout')).status).toBe(204);
      expect((await client.get('/api/clusters/prompted/resources')).status).toBe(503);

      volume.rotate(`${second}\n`);
      await waitFor(
        'the console to use the rotated token file',
        async () => (await client.get('/api/clusters/managed/resources')).status === 200,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect((await client.get('/api/clusters/prompted/resources')).status).toBe(200);
      expect(bff.logs.join('')).toContain(
        'The token file of cluster \\"managed\\" changed; the console uses its new token from now on.',
      );
      // A new live tail uses the new token.
      const id = await submit('managed', 'echo after the rotation');
      const tail = await follow('managed', id);
      expect(linesOf(tail.events, 'after the')).toEqual(['after the rotation']);
      expect(tail.events.at(-1)?.event).toBe('end');
    },
  );

  it(
    'the file rotated before the head (a Secret edited, the head not restarted yet): no interruption, before or after the head takes the new token',
    { timeout: HEAD_START_MS },
    async () => {
      const third = newRayToken();
      tokens.push(third);
      const seen = changesOf('managed');
      volume.rotate(`${third}\n`);
      await waitFor('the console to read the new token file', () => changesOf('managed') > seen);
      // The head still has the token before: the console goes on with it.
      expect((await client.get('/api/clusters/managed/resources')).status).toBe(200);
      const before = await submit('managed', 'echo before the head restarted');
      expect((await client.get(`/api/clusters/managed/jobs/${before}`)).status).toBe(200);

      await head.stop();
      head = await startHead(third);
      // The first call after the restart already uses the new token: not one 503.
      expect((await client.get('/api/clusters/managed/resources')).status).toBe(200);
      expect((await client.get('/api/clusters/managed/jobs')).status).toBe(200);
      const after = await submit('managed', 'echo after the head restarted');
      const tail = await follow('managed', after);
      expect(linesOf(tail.events, 'after the head')).toEqual(['after the head restarted']);
    },
  );

  it('a token file that cannot be used keeps the last good token, says so in readiness and the log, and recovers', async () => {
    volume.rotate('');
    const empty = await waitFor('readiness to report the empty token file', async () => {
      const body = await readiness();
      return body.warnings?.length ? body : undefined;
    });
    expect(empty).toEqual({
      status: 'ok',
      warnings: [
        'The token file of cluster "managed" changed and cannot be used (it is empty); the console keeps using the token it read before. The log says more.',
        'The token file of cluster "prompted" changed and cannot be used (it is empty); the console keeps using the token it read before. The log says more.',
      ],
    });
    expect((await client.get('/api/clusters/managed/resources')).status).toBe(200);
    const warning = bff.logs.find((l) => l.includes('"event":"token-file"') && l.includes('"state":"problem"'));
    expect(warning).toContain(`the token file ${volume.file} is empty; put the cluster's token in it.`);
    expect(warning).toContain('"level":40');

    // The key removed from the Secret: the path dangles.
    volume.rotate(undefined);
    await waitFor('readiness to report the missing token file', async () =>
      (await readiness()).warnings?.[0]?.includes('(it is missing)'),
    );
    expect((await client.get('/api/clusters/managed/jobs')).status).toBe(200);

    volume.rotate(tokens.at(-1));
    await waitFor('readiness to clear', async () => (await readiness()).warnings === undefined);
    expect(bff.logs.join('')).toContain(
      'The token file of cluster \\"managed\\" is readable again and holds the same token.',
    );
    expect((await client.get('/api/clusters/managed/resources')).status).toBe(200);
  });
});

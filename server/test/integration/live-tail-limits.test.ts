import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobLogClosed, JobSubmitResponse, type ApiErrorBody } from '@ray-console/shared';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { readEventStream, type SseEvent } from '../support/sse.js';
import { waitFor } from '../support/wait.js';

// Live tails end with the session that opened them, and cannot crowd out other job calls to a head:
// two BFF replicas on one SQLite session store, against the real Ray head. docs/operations.md
// ("Live log tails") cites these tests.

const head = inject('rayHead');
const py = JSON.stringify(head.python);
const HEARTBEAT_MS = 1000;
/** Time for the store read and the last write after the heartbeat that notices the sign-out. */
const SLACK_MS = 400;

let a: RunningBff;
let b: RunningBff;
const submitted: string[] = [];
let owner: BffClient;
let printer: string;

const jobs = '/api/clusters/default/jobs';

beforeAll(async () => {
  const env = {
    RAY_DASHBOARD_URL: head.dashboardUrl,
    LIVE_TAIL_HEARTBEAT_MS: String(HEARTBEAT_MS),
    LIVE_TAILS_PER_HEAD: '2',
  };
  a = await startBff(env);
  b = await startBff(env, a.dataDir);
  owner = new BffClient(a.url);
  expect((await owner.login('default', head.token)).status).toBe(200);
  // A job that prints a line every 50 ms for two minutes: a tail of it never goes quiet by itself.
  printer = await submit(
    owner,
    `${py} -u -c "import time\nfor i in range(2400):\n    print(f'line {i}', flush=True)\n    time.sleep(0.05)"`,
  );
});

afterAll(async () => {
  for (const id of submitted) await owner.post(`${jobs}/${id}/stop`);
  for (const r of owner?.responses ?? []) expect(r.text).not.toContain(head.token);
  await b?.close();
  await a?.close();
});

async function submit(client: BffClient, entrypoint: string): Promise<string> {
  const res = await client.post(jobs, { entrypoint });
  expect(res.status, res.text).toBe(201);
  const id = JobSubmitResponse.parse(res.json()).submissionId;
  submitted.push(id);
  return id;
}

/** A session of its own, signed in to the cluster through replica A. */
async function signedIn(): Promise<BffClient> {
  const client = new BffClient(a.url);
  expect((await client.login('default', head.token)).status).toBe(200);
  return client;
}

/** Follows the printing job through `url` until the server ends the stream; records when it ended. */
function follow(client: BffClient, url: string) {
  const events: SseEvent[] = [];
  const done = readEventStream(`${url}${jobs}/${printer}/logs/stream`, { cookie: client.cookieHeader() }, (e) =>
    events.push(e),
  ).then((r) => ({ ...r, endedAt: Date.now() }));
  return { events, done };
}

const closedOf = (events: SseEvent[]) => {
  const last = events.at(-1)!;
  expect(last.event).toBe('closed');
  return JobLogClosed.strict().parse(JSON.parse(last.data));
};

describe(`live tails on Ray ${head.version}`, () => {
  it('ends a tail served by replica B within one heartbeat of signing out of the cluster on replica A', async () => {
    const client = await signedIn();
    const tail = follow(client, b.url);
    await waitFor('lines to flow', () => tail.events.length >= 3, { timeoutMs: 60_000 });
    const res = await client.post('/api/clusters/default/logout');
    expect(res.status, res.text).toBe(204);
    const signedOutAt = Date.now();
    const r = await tail.done;
    expect(r.ended).toBe('server');
    expect(r.endedAt - signedOutAt).toBeLessThan(HEARTBEAT_MS + SLACK_MS);
    expect(closedOf(tail.events).reason).toBe('cluster_signed_out');
    // And the browser, reconnecting, is refused.
    const again = await readEventStream(
      `${b.url}${jobs}/${printer}/logs/stream`,
      { cookie: client.cookieHeader() },
      () => {},
    );
    expect(again.status).toBe(401);
  });

  it('ends a tail within one heartbeat of the whole session signing out', async () => {
    const client = await signedIn();
    const tail = follow(client, a.url);
    await waitFor('lines to flow', () => tail.events.length >= 3, { timeoutMs: 60_000 });
    expect((await client.post('/api/logout')).status).toBe(204);
    const signedOutAt = Date.now();
    const r = await tail.done;
    expect(r.ended).toBe('server');
    expect(r.endedAt - signedOutAt).toBeLessThan(HEARTBEAT_MS + SLACK_MS);
    expect(closedOf(tail.events).reason).toBe('signed_out');
  });

  it('ends a tail when its session reaches SESSION_ABSOLUTE_HOURS', async () => {
    // 0.004 h: 14.4 s, time enough to sign in and see lines on a loaded machine.
    const short = await startBff(
      {
        RAY_DASHBOARD_URL: head.dashboardUrl,
        LIVE_TAIL_HEARTBEAT_MS: String(HEARTBEAT_MS),
        SESSION_ABSOLUTE_HOURS: '0.004',
      },
      a.dataDir,
    );
    try {
      const client = new BffClient(short.url);
      expect((await client.login('default', head.token)).status).toBe(200);
      const tail = follow(client, short.url);
      await waitFor('lines to flow', () => tail.events.length >= 3, { timeoutMs: 60_000 });
      const r = await tail.done;
      expect(r.ended).toBe('server');
      expect(closedOf(tail.events).reason).toBe('session_expired');
    } finally {
      await short.close();
    }
  });

  it('answers 429 naming LIVE_TAILS_PER_HEAD past the sockets a replica may open to one head, and job calls still get through', async () => {
    await waitFor('earlier tails to close', () => a.tails.openUpstreamSockets === 0, { timeoutMs: 10_000 });
    const client = await signedIn();
    const sleeper = `${py} -u -c "import time\nprint('waiting', flush=True)\ntime.sleep(120)"`;
    const [j1, j2, j3] = [await submit(client, sleeper), await submit(client, sleeper), await submit(client, sleeper)];
    const controllers = [j1, j2].map(() => new AbortController());
    const streams = [j1, j2].map((id, i) =>
      readEventStream(
        `${a.url}${jobs}/${id}/logs/stream`,
        { cookie: client.cookieHeader() },
        () => {},
        () => controllers[i]!.signal.aborted,
      ),
    );
    await waitFor('two sockets to Ray', () => a.tails.openUpstreamSockets === 2, { timeoutMs: 60_000 });
    const refused = await client.get(`${jobs}/${j3}/logs/stream`);
    expect(refused.status).toBe(429);
    const { error } = refused.json<ApiErrorBody>();
    expect(error.code).toBe('too_many_tails');
    expect(error.message).toContain('LIVE_TAILS_PER_HEAD');
    // The head still answers other job calls, and the other replica has its own sockets.
    expect((await client.get(`${jobs}/${j3}`)).status).toBe(200);
    expect((await client.get(jobs)).status).toBe(200);
    for (const c of controllers) c.abort();
    await Promise.all(streams.map((s) => s.catch(() => undefined)));
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  AuditPage,
  JobDetails,
  JobList,
  JobLogEnd,
  JobSubmitResponse,
  PackageUploadResponse,
  type ApiErrorBody,
  type JobSubmitRequest,
} from '@ray-console/shared';
import { BffClient, type RecordedResponse } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { rayDriverEnv } from '../support/ray-python.js';
import { readEventStream, type SseEvent } from '../support/sse.js';
import { waitFor } from '../support/wait.js';

// The jobs feature end to end against the real Ray head: submit, watch, read logs, stop, delete,
// upload packages. docs/ray-jobs-behaviour.md cites these tests for what Ray does.

const head = inject('rayHead');
const atLeast254 = head.version.localeCompare('2.54.0', undefined, { numeric: true }) >= 0;
const py = JSON.stringify(head.python);
/** Unique per run, so ids never collide with jobs of an earlier run against the same head. */
const run = Date.now().toString(36);

let bff: RunningBff;
let replica: RunningBff;
let client: BffClient;
const drivers: ChildProcess[] = [];

beforeAll(async () => {
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl });
  // A second BFF on the same session store: another replica behind the same load balancer.
  replica = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl }, bff.dataDir);
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
});

afterAll(async () => {
  for (const d of drivers) d.kill('SIGKILL');
  // No answer and no log line of the BFF ever held the token.
  for (const r of client?.responses ?? []) expect(r.text).not.toContain(head.token);
  for (const line of [...(bff?.logs ?? []), ...(replica?.logs ?? [])]) expect(line).not.toContain(head.token);
  await replica?.close();
  await bff?.close();
});

const jobs = '/api/clusters/default/jobs';
const errorOf = (res: RecordedResponse) => res.json<ApiErrorBody>().error;

async function submit(body: JobSubmitRequest): Promise<string> {
  const res = await client.post(jobs, body);
  expect(res.status, res.text).toBe(201);
  return JobSubmitResponse.strict().parse(res.json()).submissionId;
}

async function detail(id: string): Promise<JobDetails> {
  const res = await client.get(`${jobs}/${id}`);
  expect(res.status, res.text).toBe(200);
  return JobDetails.strict().parse(res.json());
}

function waitForStatus(id: string, statuses: readonly string[], timeoutMs = 90_000): Promise<JobDetails> {
  return waitFor(
    `job ${id} to reach ${statuses.join('/')}`,
    async () => {
      const job = await detail(id);
      return statuses.includes(job.status) ? job : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
}

async function fullLog(id: string): Promise<string> {
  const res = await client.get(`${jobs}/${id}/logs`);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text;
}

/**
 * Reads Server-Sent Events the way EventSource parses them, until `enough` says so or the server ends
 * the stream. Cutting the connection is what a dropped network does to a browser.
 */
async function readEvents(
  baseUrl: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  enough: (events: SseEvent[]) => boolean = () => false,
): Promise<{ status: number; events: SseEvent[]; ended: 'server' | 'client'; body?: string }> {
  const events: SseEvent[] = [];
  const r = await readEventStream(
    baseUrl + pathAndQuery,
    { cookie: client.cookieHeader(), ...headers },
    (event) => events.push(event),
    () => enough(events),
  );
  // A broken connection is, for the browser, the same as cutting it.
  return {
    status: r.status,
    events,
    ended: r.ended === 'server' ? 'server' : 'client',
    ...(r.body !== undefined ? { body: r.body } : {}),
  };
}

const linesOf = (events: SseEvent[]) => events.filter((e) => e.event === 'message').flatMap((e) => e.data.split('\n'));
const lastId = (events: SseEvent[]) => Number(events.filter((e) => e.id !== undefined).at(-1)?.id ?? 0);

/** The log as the live tail numbers it: split at \n, \r\n and \r, without the empty piece after the last break. */
const splitLog = (text: string) => {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

describe(`jobs on Ray ${head.version}`, () => {
  it('runs a driver that calls ray.init() in the token-protected cluster: SUCCEEDED, its log holds ray.cluster_resources()', async () => {
    const id = await submit({
      entrypoint: `${py} -c "import ray; ray.init(); print(ray.cluster_resources())"`,
      entrypointNumCpus: 0.1,
      metadata: { suite: 'jobs', run },
    });
    expect(id).toMatch(/^raysubmit_[A-Za-z0-9]+$/);
    const job = await waitForStatus(id, ['SUCCEEDED', 'FAILED']);
    expect(job.status, job.message).toBe('SUCCEEDED');
    expect(job).toMatchObject({
      id,
      submissionId: id,
      type: 'SUBMISSION',
      driverExitCode: 0,
      metadata: { suite: 'jobs', run },
    });
    // The driver's ray.init() gave the submission a Ray job id (hex) and driver info.
    expect(job.jobId).toMatch(/^[0-9a-f]+$/);
    expect(job.driverInfo?.pid).toMatch(/^\d+$/);
    expect(job.durationMs).toBe(job.endTime! - job.startTime!);
    // Ray does not return the entrypoint resource requests in JobDetails (2.52 and 2.60).
    expect(job.entrypointNumCpus).toBeUndefined();

    const log = await fullLog(id);
    expect(log).toContain("'console_test_widget': 3.0");
    expect(log).toMatch(/'CPU': 2\.0/);

    const download = await client.get(`${jobs}/${id}/logs?download=1`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="default-${id}.log"`);
    expect(download.text).toBe(log);

    // The job id works wherever the submission id does.
    expect((await detail(job.jobId!)).submissionId).toBe(id);

    const found = JobList.strict().parse((await client.get(`${jobs}?q=${run}`)).json());
    expect(found.items.map((j) => j.id)).toContain(id);
  });

  it('tails the log live: every line once and in order, also across a cut connection resumed on another replica', async () => {
    const id = await submit({
      entrypoint: `${py} -u -c "import time\nfor i in range(1, 41):\n    print(f'line {i}', flush=True)\n    time.sleep(0.1)"`,
    });
    const stream = `${jobs}/${id}/logs/stream`;
    const first = await readEvents(bff.url, stream, {}, (events) => linesOf(events).some((l) => l === 'line 5'));
    expect(first.status).toBe(200);
    expect(first.ended).toBe('client');
    const cutAt = lastId(first.events);
    expect(cutAt).toBe(linesOf(first.events).length);
    // The browser went away: the BFF closed its socket to Ray.
    await waitFor('upstream sockets to close', () => bff.tails.openUpstreamSockets === 0, { timeoutMs: 10_000 });

    const rest = await readEvents(replica.url, stream, { 'last-event-id': String(cutAt) });
    expect(rest.ended).toBe('server');
    const end = rest.events.at(-1)!;
    expect(end.event).toBe('end');
    const summary = JobLogEnd.strict().parse(JSON.parse(end.data));
    expect(summary).toMatchObject({ status: 'SUCCEEDED', driverExitCode: 0 });

    const received = [...linesOf(first.events), ...linesOf(rest.events)];
    expect(received.filter((l) => l.startsWith('line '))).toEqual(
      Array.from({ length: 40 }, (_, i) => `line ${i + 1}`),
    );
    // Exactly the log, line for line: nothing lost, nothing repeated around the cut.
    expect(received).toEqual(splitLog(await fullLog(id)));
    expect(summary.lines).toBe(received.length);
    expect(Number(end.id)).toBe(received.length);

    // A reconnect after the end (EventSource not closed in time) gets no line again, only the end.
    const again = await readEvents(bff.url, `${stream}?from=0`, { 'last-event-id': String(received.length) });
    expect(linesOf(again.events)).toEqual([]);
    expect(again.events.map((e) => e.event)).toEqual(['end']);
    // `?from=` works like Last-Event-ID for a first connection.
    const fromQuery = await readEvents(bff.url, `${stream}?from=${received.length - 2}`, {});
    expect(linesOf(fromQuery.events)).toEqual(received.slice(-2));
    await waitFor('upstream sockets to close', () => bff.tails.openUpstreamSockets === 0, { timeoutMs: 10_000 });
    expect(bff.tails.openTails).toBe(0);
  });

  it('shares one socket to Ray among everyone following the same job (Ray has 100 job connections in all)', async () => {
    const id = await submit({
      entrypoint: `${py} -u -c "import time\nfor i in range(1, 31):\n    print(f'line {i}', flush=True)\n    time.sleep(0.1)"`,
    });
    const stream = `${jobs}/${id}/logs/stream`;
    // Five browsers follow at once; one joins late, from line 0, and still gets every line.
    const followers = Array.from({ length: 5 }, () => readEvents(bff.url, stream, {}));
    await waitFor('five live tails', () => bff.tails.openTails === 5, { timeoutMs: 30_000 });
    expect(bff.tails.openUpstreamSockets).toBe(1);
    const late = readEvents(bff.url, stream, {});
    const results = await Promise.all([...followers, late]);
    const expected = splitLog(await fullLog(id));
    for (const r of results) {
      expect(r.ended).toBe('server');
      expect(linesOf(r.events)).toEqual(expected);
      expect(r.events.at(-1)?.event).toBe('end');
    }
    await waitFor('upstream sockets to close', () => bff.tails.openUpstreamSockets === 0, { timeoutMs: 10_000 });
    expect(bff.tails.openTails).toBe(0);
  });

  it('reports a failing entrypoint: FAILED with the exit code in driverExitCode', async () => {
    const id = await submit({ entrypoint: 'echo about to fail; exit 3' });
    const job = await waitForStatus(id, ['FAILED', 'SUCCEEDED']);
    expect(job).toMatchObject({ status: 'FAILED', driverExitCode: 3, errorType: 'JOB_ENTRYPOINT_COMMAND_ERROR' });
    expect(job.message).toContain('exit code 3');
    expect(await fullLog(id)).toContain('about to fail');
  });

  it('reports a runtime_env that cannot be set up: FAILED with Ray’s message; the live tail still ends', async () => {
    const missingPackage = await submit({
      entrypoint: 'echo never runs',
      runtimeEnv: { working_dir: `gcs://_ray_pkg_${'0'.repeat(40)}.zip` },
    });
    const missingDir = await submit({
      entrypoint: 'echo never runs',
      runtimeEnv: { working_dir: '/nonexistent/ray-console-test' },
    });
    const a = await waitForStatus(missingPackage, ['FAILED', 'SUCCEEDED']);
    expect(a).toMatchObject({ status: 'FAILED', errorType: 'RUNTIME_ENV_SETUP_FAILURE' });
    expect(a.message).toMatch(/^runtime_env setup failed/);
    const b = await waitForStatus(missingDir, ['FAILED', 'SUCCEEDED']);
    expect(b).toMatchObject({ status: 'FAILED', errorType: 'JOB_SUPERVISOR_ACTOR_START_FAILURE' });
    expect(b.message).toContain('/nonexistent/ray-console-test is not a valid path');
    // The driver never started: the log is empty, and Ray closes the tail having sent nothing.
    expect(b.driverNodeId).toBeUndefined();
    expect(await fullLog(missingDir)).toBe('');
    const tail = await readEvents(bff.url, `${jobs}/${missingDir}/logs/stream`, {});
    expect(tail.events).toHaveLength(1);
    expect(JSON.parse(tail.events[0]!.data)).toMatchObject({
      status: 'FAILED',
      lines: 0,
      errorType: 'JOB_SUPERVISOR_ACTOR_START_FAILURE',
    });
  });

  it('runs a working_dir uploaded as a .zip and as a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-pkg-test-'));
    const zipPath = path.join(dir, 'pkg.zip');
    // The zip is made by Python's zipfile, not by the BFF's own zip code.
    const made = spawnSync(head.python, [
      '-c',
      `import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  z.writestr("main.py", "print(open('data/greeting.txt').read().strip())")\n  z.writestr("data/greeting.txt", "hello from a zip ${run}")`,
      zipPath,
    ]);
    expect(made.status, made.stderr.toString()).toBe(0);
    const zipBytes = readFileSync(zipPath);
    rmSync(dir, { recursive: true, force: true });
    const zipRes = await client.put('/api/clusters/default/packages', zipBytes, 'application/zip');
    expect(zipRes.status, zipRes.text).toBe(200);
    const zipped = PackageUploadResponse.strict().parse(zipRes.json());
    expect(zipped).toMatchObject({ uploaded: true, sizeBytes: zipBytes.length, files: 2 });
    expect(zipped.uri).toMatch(/^gcs:\/\/_ray_pkg_[0-9a-f]{40}\.zip$/);
    // The same bytes again: the cluster has them already, nothing is sent.
    const again = PackageUploadResponse.parse(
      (await client.put('/api/clusters/default/packages', zipBytes, 'application/zip')).json(),
    );
    expect(again).toMatchObject({ uri: zipped.uri, uploaded: false });

    const folder = () => {
      const form = new FormData();
      form.append('files', new Blob([`hello from a folder ${run}\n`]), 'data/greeting.txt');
      form.append('files', new Blob(["print(open('data/greeting.txt').read().strip())\n"]), 'main.py');
      return form;
    };
    const folderRes = await client.put('/api/clusters/default/packages', folder());
    expect(folderRes.status, folderRes.text).toBe(200);
    const fromFolder = PackageUploadResponse.strict().parse(folderRes.json());
    expect(fromFolder).toMatchObject({ uploaded: true, files: 2 });
    // Zipped deterministically: the same folder gives the same package.
    const folderAgain = PackageUploadResponse.parse(
      (await client.put('/api/clusters/default/packages', folder())).json(),
    );
    expect(folderAgain).toMatchObject({ uri: fromFolder.uri, uploaded: false });

    const fromZip = await submit({ entrypoint: `${py} main.py`, runtimeEnv: { working_dir: zipped.uri } });
    const fromDir = await submit({ entrypoint: `${py} main.py`, runtimeEnv: { working_dir: fromFolder.uri } });
    const j1 = await waitForStatus(fromZip, ['SUCCEEDED', 'FAILED']);
    expect(j1.status, j1.message).toBe('SUCCEEDED');
    expect(j1.runtimeEnv).toEqual({ working_dir: zipped.uri });
    expect(await fullLog(fromZip)).toContain(`hello from a zip ${run}`);
    const j2 = await waitForStatus(fromDir, ['SUCCEEDED', 'FAILED']);
    expect(j2.status, j2.message).toBe('SUCCEEDED');
    expect(await fullLog(fromDir)).toContain(`hello from a folder ${run}`);
  });

  it('refuses packages that are not zips, hold unsafe paths, or are too large', async () => {
    const notZip = await client.put(
      '/api/clusters/default/packages',
      Buffer.from('not a zip at all, just some text'),
      'application/zip',
    );
    expect(notZip.status).toBe(400);
    expect(errorOf(notZip).code).toBe('validation');
    const unsafe = new FormData();
    unsafe.append('files', new Blob(['x']), '../escape.py');
    const unsafeRes = await client.put('/api/clusters/default/packages', unsafe);
    expect(unsafeRes.status).toBe(400);
    expect(errorOf(unsafeRes).message).toContain('".." part');
    const wrongType = await client.put('/api/clusters/default/packages', 'hello', 'text/plain');
    expect(wrongType.status).toBe(400);

    // 100 MiB + 1 byte, announced by Content-Length: refused at once.
    const big = Buffer.alloc(100 * 1024 * 1024 + 1);
    const declared = await client.put('/api/clusters/default/packages', big, 'application/zip');
    expect(declared.status).toBe(413);
    expect(errorOf(declared)).toMatchObject({ code: 'payload_too_large' });
    expect(errorOf(declared).message).toContain('100 MiB');
    // The same without a length (chunked): refused while it arrives, never held in memory.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 101; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await client.put('/api/clusters/default/packages', chunked, 'application/zip');
    expect(streamed.status).toBe(413);
  });

  it('stops a sleeping job, refuses to delete it while it runs, deletes it once STOPPED; refuses a taken submission id', async () => {
    const id = `rc-sleep-${run}`;
    expect(await submit({ entrypoint: 'sleep 120', submissionId: id })).toBe(id);
    await waitForStatus(id, ['RUNNING']);

    const taken = await client.post(jobs, { entrypoint: 'echo again', submissionId: id });
    expect(taken.status).toBe(409);
    expect(errorOf(taken)).toMatchObject({ code: 'conflict', fields: { submissionId: expect.any(String) } });

    const early = await client.delete(`${jobs}/${id}`);
    expect(early.status).toBe(409);
    expect(errorOf(early).code).toBe('conflict');

    const stop = await client.post(`${jobs}/${id}/stop`);
    expect(stop.status).toBe(200);
    expect(stop.json()).toEqual({ stopped: true });
    const stopped = await waitForStatus(id, ['STOPPED'], 30_000);
    expect(stopped.message).toBe('Job was intentionally stopped.');

    const del = await client.delete(`${jobs}/${id}`);
    expect(del.status).toBe(200);
    expect(del.json()).toEqual({ deleted: true });
    const gone = await client.get(`${jobs}/${id}`);
    expect(gone.status).toBe(404);
    expect(errorOf(gone).code).toBe('not_found');
    // The list forgot it at once (the delete invalidated the BFF's copy of the list).
    const list = JobList.parse((await client.get(`${jobs}?q=${id}`)).json());
    expect(list.items).toEqual([]);
    // Stopping it now stops nothing. Ray mostly answers 404, but its job head may still find the deleted job's
    // driver record for a moment and answer 200 with `stopped: false` (docs/ray-jobs-behaviour.md).
    const late = await client.post(`${jobs}/${id}/stop`);
    if (late.status === 200) expect(late.json()).toEqual({ stopped: false });
    else expect(late.status).toBe(404);

    // Every write went to the cluster's audit trail, the refused ones with their error code.
    const trail = AuditPage.parse((await client.get('/api/clusters/default/audit?limit=200')).json());
    const mine = trail.events
      .filter((e) => e.jobId === id)
      .map((e) => `${e.action} ${e.outcome} ${e.reason ?? ''}`.trim());
    expect(mine).toEqual(
      expect.arrayContaining([
        'job.submit success',
        'job.submit failure conflict',
        'job.delete failure conflict',
        'job.stop success',
        'job.delete success',
        'job.stop failure not_found',
      ]),
    );
  });

  it('pages, filters and searches the job list', async () => {
    const all = JobList.strict().parse((await client.get(`${jobs}?type=SUBMISSION&limit=500`)).json());
    expect(all.total).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = JobList.parse(
        (await client.get(`${jobs}?type=SUBMISSION&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json(),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((j) => j.id));
    const starts = all.items.map((j) => j.startTime ?? 0);
    expect(starts).toEqual([...starts].sort((x, y) => y - x));

    const failed = JobList.parse((await client.get(`${jobs}?status=FAILED&q=${encodeURIComponent('exit 3')}`)).json());
    expect(failed.items.length).toBeGreaterThanOrEqual(1);
    expect(failed.items.every((j) => j.status === 'FAILED' && j.entrypoint.includes('exit 3'))).toBe(true);
    expect(failed.statusCounts.FAILED).toBe(failed.total);

    const bad = await client.get(`${jobs}?status=DONE&limit=0`);
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad).fields ?? {})).toEqual(expect.arrayContaining(['limit']));
  });

  it('refuses invalid submissions with field errors, before Ray is called', async () => {
    const cases: [unknown, string][] = [
      [{}, 'entrypoint'],
      [{ entrypoint: '   ' }, 'entrypoint'],
      [{ entrypoint: 'echo', entrypointNumCpus: 'two' }, 'entrypointNumCpus'],
      [{ entrypoint: 'echo', entrypointMemory: 1.5 }, 'entrypointMemory'],
      [{ entrypoint: 'echo', entrypointResources: { widget: '1' } }, 'entrypointResources.widget'],
      [{ entrypoint: 'echo', runtimeEnv: { env_vars: { N: 1 } } }, 'runtimeEnv.env_vars.N'],
      [{ entrypoint: 'echo', metadata: { k: 2 } }, 'metadata.k'],
      [{ entrypoint: 'echo', submissionId: 'a/b' }, 'submissionId'],
      [{ entrypoint: 'echo', entrypoint_num_cpus: 1 }, '_'],
    ];
    for (const [body, field] of cases) {
      const res = await client.post(jobs, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('validation');
      expect(Object.keys(errorOf(res).fields ?? {}), JSON.stringify(body)).toContain(field);
    }
  });

  it(
    atLeast254
      ? 'passes entrypointLabelSelector to a Ray ≥ 2.54 head'
      : 'refuses entrypointLabelSelector for a Ray < 2.54 head with a field error (Ray would answer 400)',
    async () => {
      const selector = { 'ray.io/node-id': 'no-such-node' };
      if (!atLeast254) {
        const res = await client.post(jobs, { entrypoint: 'echo', entrypointLabelSelector: selector });
        expect(res.status).toBe(400);
        expect(errorOf(res).fields?.entrypointLabelSelector).toContain(head.version);
        return;
      }
      // A selector no node matches: Ray takes the job and leaves it waiting for such a node.
      const id = await submit({ entrypoint: 'echo placed', entrypointLabelSelector: selector });
      const job = await detail(id);
      expect(job.status).toBe('PENDING');
      expect((await client.post(`${jobs}/${id}/stop`)).status).toBe(200);
      await waitForStatus(id, ['STOPPED', 'FAILED'], 30_000);
    },
  );

  it('refuses job ids outside Ray’s alphabet with 400, whatever the route', async () => {
    // (`%2E%2E` cannot be tested: URL parsing turns it into `..` and removes the segment before sending.)
    for (const bad of ['..%2F', 'a%2Fb', 'a%20b', 'a.b', '%00']) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/logs'],
        ['GET', '/logs/stream'],
        ['POST', '/stop'],
        ['DELETE', ''],
      ] as const) {
        const res = await client.request(method, `${jobs}/${bad}${suffix}`);
        expect(res.status, `${method} ${bad}${suffix}`).toBe(400);
        expect(errorOf(res).fields).toHaveProperty('jobId');
      }
    }
    // An unencoded slash is just another path: no route has it.
    expect((await client.get(`${jobs}/a/b`)).status).toBe(404);
  });

  it('explains that a DRIVER job (a script that called ray.init() itself) cannot be stopped, deleted or tailed', async () => {
    const marker = `driver-${run}`;
    const driver = spawn(
      head.python,
      ['-c', `import ray, time; ray.init(); print('${marker}', flush=True); time.sleep(300)`],
      {
        env: rayDriverEnv(head),
        stdio: 'ignore',
      },
    );
    drivers.push(driver);
    const listed = await waitFor(
      'the driver to be listed',
      async () => {
        const list = JobList.parse((await client.get(`${jobs}?type=DRIVER&status=RUNNING&q=${marker}`)).json());
        return list.items[0];
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(listed).toMatchObject({ type: 'DRIVER', status: 'RUNNING' });
    expect(listed.submissionId).toBeUndefined();
    // Ray reports end_time 0 for a running driver; the console leaves it out.
    expect(listed.endTime).toBeUndefined();
    expect(listed.id).toBe(listed.jobId);

    const stop = await client.post(`${jobs}/${listed.id}/stop`);
    expect(stop.status).toBe(400);
    expect(errorOf(stop)).toMatchObject({ code: 'bad_request' });
    expect(errorOf(stop).message).toContain('ray.init()');
    expect((await client.delete(`${jobs}/${listed.id}`)).status).toBe(400);
    expect((await client.get(`${jobs}/${listed.id}/logs`)).status).toBe(400);
    const tail = await readEvents(bff.url, `${jobs}/${listed.id}/logs/stream`, {});
    expect(tail.status).toBe(400);
    driver.kill('SIGTERM');
  });
});

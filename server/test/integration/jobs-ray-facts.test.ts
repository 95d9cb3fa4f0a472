import { spawn } from 'node:child_process';
import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { rayDriverEnv } from '../support/ray-python.js';
import { waitFor } from '../support/wait.js';

// What a real Ray head's Jobs API does, talked to directly (no BFF): the facts the jobs feature is built
// on. docs/ray-jobs-behaviour.md cites these tests.

const head = inject('rayHead');
const atLeast254 = head.version.localeCompare('2.54.0', undefined, { numeric: true }) >= 0;
const run = Date.now().toString(36);
const auth = { authorization: `Bearer ${head.token}`, 'user-agent': 'ray-console-facts' };

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const json = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${head.dashboardUrl}${path}`,
      { method, headers: { ...auth, ...(json ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(json);
  });
}

const lastMeaningfulLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);

async function submitRaw(body: Record<string, unknown>): Promise<string> {
  const res = await raw('POST', '/api/jobs/', body);
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { submission_id: string }).submission_id;
}

async function jobOf(id: string): Promise<Record<string, unknown>> {
  const res = await raw('GET', `/api/jobs/${id}`);
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Record<string, unknown>;
}

const waitTerminal = (id: string) =>
  waitFor(
    `job ${id} to end`,
    async () => {
      const job = await jobOf(id);
      return ['SUCCEEDED', 'FAILED', 'STOPPED'].includes(String(job.status)) ? job : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 300 },
  );

/** Everything Ray's log-tail WebSocket sends, and how it closes. */
function tail(id: string, perMessageDeflate: boolean): Promise<{ frames: string[]; code: number }> {
  return new Promise((resolve, reject) => {
    const url = `${head.dashboardUrl.replace(/^http/, 'ws')}/api/jobs/${id}/logs/tail`;
    const ws = new WebSocket(url, { headers: auth, perMessageDeflate });
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
    ws.on('close', (code) => resolve({ frames, code }));
    ws.on('error', reject);
  });
}

describe(`Ray ${head.version} Jobs API`, () => {
  it('takes POST /api/jobs/ only with the trailing slash; refuses unknown fields with a 400 TypeError', async () => {
    expect((await raw('POST', '/api/jobs', { entrypoint: 'echo' })).status).toBe(404);
    const unknown = await raw('POST', '/api/jobs/', { entrypoint: 'echo', bogus: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.contentType).toMatch(/^text\/plain/);
    expect(lastMeaningfulLine(unknown.body)).toBe(
      "TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument 'bogus'",
    );
    const cpus = await raw('POST', '/api/jobs/', { entrypoint: 'echo', entrypoint_num_cpus: 'x' });
    expect(cpus.status).toBe(400);
    expect(lastMeaningfulLine(cpus.body)).toBe("TypeError: entrypoint_num_cpus must be a number, got <class 'str'>");
    const memory = await raw('POST', '/api/jobs/', { entrypoint: 'echo', entrypoint_memory: 1.5 });
    expect(lastMeaningfulLine(memory.body)).toBe(
      "TypeError: entrypoint_memory must be an integer, got <class 'float'>",
    );
  });

  it(`${atLeast254 ? 'takes' : 'refuses with 400'} entrypoint_label_selector`, async () => {
    const body = {
      entrypoint: 'echo',
      entrypoint_label_selector: { 'ray.io/node-id': 'none' },
      submission_id: `facts-ls-${run}`,
    };
    const res = await raw('POST', '/api/jobs/', body);
    if (atLeast254) {
      expect(res.status).toBe(200);
      expect((await raw('POST', `/api/jobs/facts-ls-${run}/stop`)).status).toBe(200);
    } else {
      expect(res.status).toBe(400);
      expect(lastMeaningfulLine(res.body)).toContain("unexpected keyword argument 'entrypoint_label_selector'");
    }
  });

  it('answers 500 to a taken submission_id (the text says so; the last line is ".") and to deleting a running job', async () => {
    const id = `facts-sleep-${run}`;
    await submitRaw({ entrypoint: 'sleep 60', submission_id: id });
    const dup = await raw('POST', '/api/jobs/', { entrypoint: 'echo', submission_id: id });
    expect(dup.status).toBe(500);
    expect(dup.body).toContain(
      `ValueError: Job with submission_id ${id} already exists. Please use a different submission_id.`,
    );
    expect(lastMeaningfulLine(dup.body)).toBe('.');
    const del = await raw('DELETE', `/api/jobs/${id}`);
    expect(del.status).toBe(500);
    expect(del.body).toMatch(/Attempted to delete job '.*', but it is in a non-terminal state (PENDING|RUNNING)/);
    expect(JSON.parse((await raw('POST', `/api/jobs/${id}/stop`)).body)).toEqual({ stopped: true });
    await waitTerminal(id);
    expect(JSON.parse((await raw('DELETE', `/api/jobs/${id}`)).body)).toEqual({ deleted: true });
    for (const [method, path] of [
      ['GET', `/api/jobs/${id}`],
      ['POST', `/api/jobs/${id}/stop`],
      ['DELETE', `/api/jobs/${id}`],
      ['GET', `/api/jobs/${id}/logs`],
    ] as const) {
      const res = await raw(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toBe(`Job ${id} does not exist`);
    }
  });

  it('streams the log from /api/v0/logs/file only with node_id, and (2.52) not at all with token auth', async () => {
    const id = await submitRaw({ entrypoint: `echo facts-log-${run}` });
    const job = await waitTerminal(id);
    expect(job.status).toBe('SUCCEEDED');
    const nodeId = String(job.driver_node_id);
    const withoutNode = await raw('GET', `/api/v0/logs/file?submission_id=${id}&lines=-1`);
    expect(withoutNode.status).toBe(500);
    const file = await raw('GET', `/api/v0/logs/file?node_id=${nodeId}&submission_id=${id}&lines=-1`);
    if (head.version.startsWith('2.52.')) {
      // The state API calls the node's agent over gRPC without the token.
      expect(file.status).toBe(500);
      expect(file.body).toContain('UNAUTHENTICATED');
    } else {
      expect(file.status).toBe(200);
      expect(file.contentType).toMatch(/^text\/plain/);
      expect(file.body).toContain(`facts-log-${run}\n`);
    }
    // The Jobs API's own route works on both, as one JSON string.
    const json = await raw('GET', `/api/jobs/${id}/logs`);
    expect(JSON.parse(json.body)).toEqual({ logs: expect.stringContaining(`facts-log-${run}\n`) });
  });

  it('replays the whole log on the tail WebSocket, but only without permessage-deflate; sends nothing for a job that never started', async () => {
    const id = await submitRaw({ entrypoint: `echo facts-tail-${run}` });
    await waitTerminal(id);
    const plain = await tail(id, false);
    expect(plain.code).toBe(1000);
    expect(plain.frames.join('')).toContain(`facts-tail-${run}\n`);
    // With compression negotiated (the `ws` package's default), Ray closes normally having sent nothing.
    const compressed = await tail(id, true);
    expect(compressed).toEqual({ frames: [], code: 1000 });

    const neverStarted = await submitRaw({ entrypoint: 'echo', runtime_env: { working_dir: '/nonexistent/facts' } });
    const job = await waitTerminal(neverStarted);
    expect(job).toMatchObject({
      status: 'FAILED',
      error_type: 'JOB_SUPERVISOR_ACTOR_START_FAILURE',
      driver_agent_http_address: null,
    });
    expect(await tail(neverStarted, false)).toEqual({ frames: [], code: 1000 });
  });

  it('lists a script that called ray.init() as a DRIVER job: end_time 0 while it runs, and no stop/delete/logs', async () => {
    const marker = `facts-driver-${run}`;
    const driver = spawn(head.python, ['-c', `import ray, time; ray.init(); print('${marker}'); time.sleep(300)`], {
      env: rayDriverEnv(head),
      stdio: 'ignore',
    });
    try {
      const job = await waitFor(
        'the driver to be listed',
        async () => {
          const list = JSON.parse((await raw('GET', '/api/jobs/')).body) as Record<string, unknown>[];
          return list.find(
            (j) => j.type === 'DRIVER' && j.status === 'RUNNING' && String(j.entrypoint).includes(marker),
          );
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(job).toMatchObject({ submission_id: null, end_time: 0, driver_agent_http_address: null, message: null });
      const id = String(job.job_id);
      expect(await raw('POST', `/api/jobs/${id}/stop`)).toMatchObject({
        status: 400,
        body: 'Can only stop submission type jobs',
      });
      expect(await raw('DELETE', `/api/jobs/${id}`)).toMatchObject({
        status: 400,
        body: 'Can only delete submission type jobs',
      });
      expect(await raw('GET', `/api/jobs/${id}/logs`)).toMatchObject({
        status: 400,
        body: 'Can only get logs of submission type jobs',
      });
    } finally {
      driver.kill('SIGKILL');
    }
  });

  it('keeps packages at /api/packages/gcs/<name>: 404 text before, PUT of raw bytes (chunked is fine), 200 after', async () => {
    const name = `_ray_pkg_${'f'.repeat(32)}${run.padStart(8, '0').slice(-8)}.zip`;
    const before = await raw('GET', `/api/packages/gcs/${name}`);
    expect(before).toMatchObject({ status: 404, body: `Package gcs://${name} does not exist` });
    const put = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${head.dashboardUrl}/api/packages/gcs/${name}`,
        { method: 'PUT', headers: auth },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // No Content-Length: node sends the body chunked.
      req.write(Buffer.from('PK\u0005\u0006'));
      req.end(Buffer.alloc(18));
    });
    expect(put).toBe(200);
    expect(await raw('GET', `/api/packages/gcs/${name}`)).toMatchObject({ status: 200, body: '' });
  });
});

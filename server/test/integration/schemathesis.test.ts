import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobDetails, JobSubmitResponse } from '@ray-console/shared';
import { ensureToolsVenv } from '../../../scripts/lib/tools-venv.mjs';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { waitFor } from '../support/wait.js';

// schemathesis (pinned in scripts/lib/tools-venv.mjs) generates requests from /api/openapi.json, valid
// and invalid, and sends them with a signed-in session: no answer may be a 5xx, have a status the
// document does not list for the route, or a body outside the route's response schema.

const head = inject('rayHead');
let bff: RunningBff;
let client: BffClient;
let st: string;
let reportDir: string;

/**
 * Operations left out of the positive run, each for a reason:
 * - signing out would end the session the run signs in with, and every later request would only see 401s;
 * - submitting a job or uploading a package would run generated shell commands and code on the real head
 *   (and swamp a 2-core machine with drivers). Those two get a run of invalid input only, below, which
 *   must be refused before anything reaches Ray.
 */
const SIGN_OUT = ['POST /api/logout', 'POST /api/clusters/{clusterId}/logout'];
const RUNS_CODE = ['POST /api/clusters/{clusterId}/jobs', 'PUT /api/clusters/{clusterId}/packages'];

/** Of these operations ("METHOD /path"), the ones the document has (schemathesis reports filters that match nothing). */
async function documented(names: readonly string[]): Promise<string[]> {
  const document = (await client.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
  return names.filter((name) => {
    const [method = '', p = ''] = name.split(' ');
    return document.paths[p]?.[method.toLowerCase()] !== undefined;
  });
}

beforeAll(async () => {
  ({ st } = await ensureToolsVenv({ log: (l) => process.stderr.write(`${l}\n`) }));
  bff = await startBff({
    RAY_DASHBOARD_URL: head.dashboardUrl,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
  reportDir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-schemathesis-'));
}, 300_000);

afterAll(async () => {
  await bff?.close();
  rmSync(reportDir, { recursive: true, force: true });
});

interface StRun {
  code: number | null;
  output: string;
}

function runSchemathesis(args: string[], configFile?: string): Promise<StRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      st,
      [
        ...(configFile ? ['--config-file', configFile] : []),
        'run',
        `${bff.url}/api/openapi.json`,
        '--url',
        bff.url,
        '--header',
        `Cookie: ${client.cookieHeader()}`,
        '--header',
        `X-CSRF-Token: ${client.csrfToken}`,
        '--checks',
        'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
        '--phases',
        'examples,coverage,fuzzing',
        '--seed',
        '20260101',
        '--generation-database',
        'none',
        '--request-timeout',
        '15',
        // One worker: Python 3.11's ast module can fail under threads ("AST constructor recursion depth
        // mismatch", CPython gh-106905), which schemathesis reports as a runtime error of the run.
        '--workers',
        '1',
        '--no-color',
        '--report',
        'junit',
        '--report-junit-path',
        path.join(reportDir, 'junit.xml'),
        ...args,
      ],
      { env: { ...process.env, SCHEMATHESIS_HOOKS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Only the summary and failures, so a failing test prints what schemathesis found and not every case. */
const digest = (output: string) =>
  output
    .split('\n')
    .filter((l) => !/^\s*$/.test(l))
    .slice(-120)
    .join('\n');

describe('schemathesis against /api/openapi.json, signed in', () => {
  it('finds no 5xx and no answer outside the schema', async () => {
    const excluded = (await documented([...SIGN_OUT, ...RUNS_CODE])).flatMap((name) => ['--exclude-name', name]);
    const run = await runSchemathesis(['--max-examples', '40', ...excluded]);
    expect(run.code, digest(run.output)).toBe(0);
    expect(run.output).not.toContain(head.token);
    expect(bff.logs.join('\n')).not.toContain(head.token);
  }, 240_000);

  it('finds no 5xx and no answer outside the schema for a real cluster and a real job', async () => {
    // Generated ids mostly miss (404); this run fixes them to the signed-in cluster and a finished job,
    // so the answers of the job routes (details, logs, the live tail's end, stop, delete) are checked too.
    const submitted = await client.post('/api/clusters/default/jobs', { entrypoint: 'echo schemathesis-job' });
    expect(submitted.status, submitted.text).toBe(201);
    const jobId = JobSubmitResponse.parse(submitted.json()).submissionId;
    await waitFor(
      'the job to finish',
      async () => {
        const job = JobDetails.parse((await client.get(`/api/clusters/default/jobs/${jobId}`)).json());
        return ['SUCCEEDED', 'FAILED'].includes(job.status);
      },
      { timeoutMs: 90_000, intervalMs: 300 },
    );
    const config = path.join(reportDir, 'schemathesis.toml');
    writeFileSync(config, `[parameters]\n"path.clusterId" = "default"\n"path.jobId" = ${JSON.stringify(jobId)}\n`);
    const excluded = (await documented([...SIGN_OUT, ...RUNS_CODE])).flatMap((name) => ['--exclude-name', name]);
    const run = await runSchemathesis(['--mode', 'positive', '--max-examples', '15', ...excluded], config);
    expect(run.code, digest(run.output)).toBe(0);
    expect(run.output).not.toContain(head.token);
  }, 240_000);

  it('refuses invalid job submissions and uploads before anything reaches Ray', async () => {
    const present = await documented(RUNS_CODE);
    expect(present).toEqual(RUNS_CODE);
    const included = present.flatMap((name) => ['--include-name', name]);
    const run = await runSchemathesis(['--mode', 'negative', '--max-examples', '40', ...included]);
    expect(run.code, digest(run.output)).toBe(0);
  }, 240_000);

  it('left a junit report behind', () => {
    expect(readFileSync(path.join(reportDir, 'junit.xml'), 'utf8')).toContain('<testsuite');
  });
});

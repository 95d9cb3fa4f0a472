import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { RayDashboardClient } from '../../ray/ray-dashboard-client.js';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { DriverNodes } from './driver-nodes.js';
import { openJobLog } from './job-logs.js';

// A job's log read with the driver node remembered from the read before, against a fake Ray head (unit
// tests only) that records every request, holds a job's details back when told to, and keeps a log file
// per node, as each node's agent does.

const TOKEN = 'fake-token';
const NODE_A = 'aaaa0001';
const NODE_B = 'bbbb0002';

let server: http.Server;
let baseUrl: string;
let calls: string[] = [];
/** The node the job's details name (a restarted head, or a job submitted again, names another). */
let driverNode = NODE_A;
/** The log file each node holds for the submission `raysubmit_a`; a node without one answers 500. */
let files: Record<string, string> = {};
/** When set, the job's details are answered only once a log file read has arrived (or the test ends). */
let holdDetails = false;
let releaseDetails: (() => void) | undefined;
/** File reads that ended before their answer was complete (the reader went away). */
let cancelledReads: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname === '/api/v0/logs/file' ? `file ${url.searchParams.get('node_id')}` : url.pathname);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end('Unauthorized');
    if (url.pathname === '/api/v0/logs/file') {
      releaseDetails?.();
      const node = url.searchParams.get('node_id') ?? '';
      const body = files[node];
      if (body === undefined) return res.writeHead(500).end(`Node ${node} is not alive`);
      res.once('close', () => {
        if (!res.writableFinished) cancelledReads.push(node);
      });
      // The head of the file now, the rest only when the test is over: a big file still being sent.
      res.writeHead(200, { 'content-type': 'text/plain' }).write(body);
      return;
    }
    if (url.pathname === '/api/jobs/raysubmit_a') {
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rayJob(driverNode)));
      if (!holdDetails) return answer();
      releaseDetails = answer;
      return;
    }
    res.writeHead(404).end('404: Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  calls = [];
  cancelledReads = [];
  driverNode = NODE_A;
  files = {};
  holdDetails = false;
  releaseDetails = undefined;
});

const rayJob = (node: string) => ({
  type: 'SUBMISSION',
  job_id: '02000000',
  submission_id: 'raysubmit_a',
  status: 'SUCCEEDED',
  entrypoint: 'python a.py',
  driver_node_id: node,
});

function cluster(address = baseUrl): SignedInCluster {
  const ray = new RayDashboardClient(
    { baseUrl: address, tokenHeader: 'authorization' },
    { timeoutMs: 5000, userAgent: 'test' },
  );
  return {
    cluster: { id: 'c1', displayName: 'C1', endpoint: ray.endpoint, source: 'config' },
    ray,
    credential: { token: TOKEN, authMode: 'token', rayVersion: '2.60.0' },
  };
}

/** Opens the log and reads what the head has sent of it so far (the fake head never ends a file). */
async function firstBytes(c: SignedInCluster, nodes: DriverNodes): Promise<string> {
  const reading = new AbortController();
  const log = await openJobLog(c, 'raysubmit_a', reading.signal, nodes);
  const chunk = await new Promise<Buffer>((resolve, reject) => {
    log.once('data', resolve);
    log.once('error', reject);
  });
  reading.abort();
  log.destroy();
  return chunk.toString('utf8');
}

describe('the driver node remembered for a job’s log', () => {
  it('starts the next read of the same log at once, beside the call for the job’s details', async () => {
    files = { [NODE_A]: 'line 1\n' };
    const nodes = new DriverNodes();
    const c = cluster();
    expect(await firstBytes(c, nodes)).toBe('line 1\n');
    expect(calls).toEqual(['/api/jobs/raysubmit_a', `file ${NODE_A}`]);

    // The details are held until a file read arrives: a read that waited for them would never start.
    calls = [];
    holdDetails = true;
    expect(await firstBytes(c, nodes)).toBe('line 1\n');
    expect(calls).toEqual(expect.arrayContaining(['/api/jobs/raysubmit_a', `file ${NODE_A}`]));
    expect(calls).toHaveLength(2);
  });

  it('never sends a log from the node remembered when the job’s details now name another (restarted head)', async () => {
    files = { [NODE_A]: 'the old log\n' };
    const nodes = new DriverNodes();
    const c = cluster();
    expect(await firstBytes(c, nodes)).toBe('the old log\n');

    // The same submission id now runs on node B, and node A still holds the old job's file.
    calls = [];
    driverNode = NODE_B;
    files = { [NODE_A]: 'the old log\n', [NODE_B]: 'the new log\n' };
    expect(await firstBytes(c, nodes)).toBe('the new log\n');
    expect(calls).toContain(`file ${NODE_B}`);
    // The guess's read, once it reached the head, is called off rather than left open.
    await waitFor(
      'the read from node A called off',
      () => !calls.includes(`file ${NODE_A}`) || cancelledReads.includes(NODE_A),
    );
    // …and node B is what the next read starts with.
    calls = [];
    holdDetails = true;
    expect(await firstBytes(c, nodes)).toBe('the new log\n');
    expect(calls).toEqual(expect.arrayContaining(['/api/jobs/raysubmit_a', `file ${NODE_B}`]));
  });

  it('reads again with the node the details name when the one remembered is gone', async () => {
    files = { [NODE_A]: 'before\n' };
    const nodes = new DriverNodes();
    const c = cluster();
    await firstBytes(c, nodes);
    calls = [];
    driverNode = NODE_B;
    files = { [NODE_B]: 'after the restart\n' };
    expect(await firstBytes(c, nodes)).toBe('after the restart\n');
    expect(calls.filter((call) => call.startsWith('file'))).toEqual(expect.arrayContaining([`file ${NODE_B}`]));
  });

  it('is kept per head address: another address for the same cluster and job starts from the details', async () => {
    const nodes = new DriverNodes();
    nodes.set(cluster(), 'raysubmit_a', { nodeId: NODE_A, submissionId: 'raysubmit_a' });
    expect(nodes.get(cluster(), 'raysubmit_a')).toEqual({ nodeId: NODE_A, submissionId: 'raysubmit_a' });
    expect(nodes.get(cluster('http://127.0.0.1:1'), 'raysubmit_a')).toBeUndefined();
    expect(nodes.get(cluster(), 'raysubmit_b')).toBeUndefined();
  });

  it('is bounded: past its size, the job read least recently is forgotten', () => {
    const nodes = new DriverNodes(2);
    const c = cluster();
    nodes.set(c, 'job_1', { nodeId: NODE_A, submissionId: 'job_1' });
    nodes.set(c, 'job_2', { nodeId: NODE_A, submissionId: 'job_2' });
    nodes.get(c, 'job_1');
    nodes.set(c, 'job_3', { nodeId: NODE_B, submissionId: 'job_3' });
    expect(nodes.size).toBe(2);
    expect(nodes.get(c, 'job_2')).toBeUndefined();
    expect(nodes.get(c, 'job_1')?.nodeId).toBe(NODE_A);
    expect(nodes.get(c, 'job_3')?.nodeId).toBe(NODE_B);
  });
});

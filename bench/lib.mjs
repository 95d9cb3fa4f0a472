// Shared pieces of the benchmarks: a real Ray head, the built console as a child process, a signed-in
// HTTP client, latency statistics and resident-memory sampling. Benchmarks compare side by side in one
// run (direct to Ray versus through the console) and report ratios, since these machines are noisy.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scripts/lib/paths.mjs';
import { startBuiltConsole } from '../scripts/lib/built-console.mjs';

/** Writes `count` finished jobs into the head's job table (see seed-jobs.py). */
export function seedJobs(head, count, prefix) {
  const r = spawnSync(head.python, [path.join(repoRoot, 'bench/seed-jobs.py'), String(count), prefix], {
    env: head.clientEnv(),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`seeding jobs failed: ${r.stderr.slice(-2000)}`);
}

/**
 * The built console pointed at one head, with its log quiet and no sign-in rate limit (the benches sign
 * in many sessions). `root`: this checkout, or a copy of an older build to compare with side by side.
 */
export function startConsole(head, env = {}, options = {}) {
  return startBuiltConsole(
    { RAY_DASHBOARD_URL: head.dashboardUrl, LOGIN_RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn', ...env },
    options,
  );
}

/** A signed-in session: the cookie and CSRF token a browser would hold. */
export async function signIn(consoleUrl, clusterId, token) {
  const s = await fetch(`${consoleUrl}/api/session`);
  let cookie = s.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = await s.json();
  const r = await fetch(`${consoleUrl}/api/clusters/${clusterId}/login`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!r.ok) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  cookie =
    r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ') || cookie;
  // Sign-in gives the session a new CSRF token (the one from before is refused after it).
  return { cookie, csrfToken: r.headers.get('x-csrf-token') ?? csrfToken };
}

/** Runs `total` calls of `fn` with `concurrency` in flight; returns each call's latency (ms) and the wall time. */
export async function load(fn, { total, concurrency }) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next += 1;
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, wallMs: performance.now() - started };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values) => percentile(values, 50);

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples. */
export function sampleRss(pid, everyMs = 50) {
  const samples = [];
  const timer = setInterval(() => {
    try {
      samples.push(rssOf(pid));
    } catch {
      /* process gone */
    }
  }, everyMs);
  return { stop: () => (clearInterval(timer), samples) };
}

/** Reads a whole response body and counts its bytes without keeping it. */
export async function drain(response) {
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.length;
  return bytes;
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const mib = (bytes) => `${fmt(bytes / 1024 / 1024)} MiB`;

/** A markdown table from rows of cells. */
export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/**
 * Submits a job through the console. (Node's fetch always sends `Sec-Fetch-Mode: cors`, which makes
 * Ray refuse a direct POST as browser traffic, so benchmarks submit the way users do.)
 */
export async function submitJob(consoleUrl, session, request) {
  const r = await fetch(`${consoleUrl}/api/clusters/default/jobs`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (r.status !== 201) throw new Error(`submit failed: ${r.status} ${await r.text()}`);
}

/** Polls the head until the job has finished. */
export async function waitForJobEnd(head, id, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${head.dashboardUrl}/api/jobs/${id}`, {
      headers: { Authorization: `Bearer ${head.token}` },
    });
    if (r.ok) {
      const job = await r.json();
      if (['SUCCEEDED', 'FAILED', 'STOPPED'].includes(job.status)) return job;
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in time`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

// Issue 5's load test: 500 signed-in sessions each listing jobs every 2 s, plus 100 concurrent live log
// tails, against one console (the built server, a child process) and a real Ray head, for a warm-up
// minute and a measured minute. Reports every error, latency percentiles, the console's memory over the
// measured minute, what was busy (CPU of the console, of this load generator and of the whole machine),
// and that every WebSocket to Ray is closed once the browsers have gone: counted by the console
// (/api/metrics) and, independently, as TCP connections from the console's process to the head.
// BENCH_SESSIONS, BENCH_TAILS, BENCH_WARMUP_SECONDS and BENCH_SECONDS change the sizes.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import WebSocket from 'ws';
import { RAY_VERSION } from '../scripts/lib/paths.mjs';
import { startRayHead } from '../scripts/lib/ray-head.mjs';
import { fmt, mib, percentile, rssOf, seedJobs, signIn, startConsole, submitJob, table } from './lib.mjs';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 500);
const TAILS = Number(process.env.BENCH_TAILS ?? 100);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 60);
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 60);
const LIST_EVERY_MS = 2000;
/** The tails follow a few jobs (a driver per tail would need 100 Python processes on 2 cores). */
const TAILED_JOBS = 4;

export const title = `Load: ${SESSIONS} sessions listing jobs every 2 s and ${TAILS} live tails on one console`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total jiffies of the whole machine. */
function machineCpu() {
  const [, ...n] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = n[3] + n[4];
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** TCP connections from `pid` to `port` on loopback, from /proc (what the head's side sees). */
function connectionsTo(pid, port) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const remotePort = parseInt(cols[2].split(':')[1], 16);
      // 01 = ESTABLISHED
      if (remotePort === port && cols[3] === '01' && inodes.has(cols[9])) n += 1;
    }
  }
  return n;
}

/** /api/metrics is off without METRICS_TOKEN, and then needs it as a bearer token (as Prometheus sends it). */
const METRICS_TOKEN = randomBytes(32).toString('hex');

async function metricsOf(url) {
  const text = await (
    await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' '))
      .map(([k, v]) => [k, Number(v)]),
  );
}

/** Follows one live tail like EventSource (reconnecting with Last-Event-ID if the stream breaks). */
function startTail(url, session, jobId, stats, window) {
  const controller = new AbortController();
  let lastId = 0;
  const done = (async () => {
    while (!controller.signal.aborted) {
      let res;
      try {
        res = await fetch(`${url}/api/clusters/default/jobs/${jobId}/logs/stream`, {
          headers: {
            cookie: session.cookie,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': String(lastId) } : {}),
          },
          signal: controller.signal,
        });
      } catch {
        if (!controller.signal.aborted) stats.tailErrors.push('connect failed');
        break;
      }
      if (res.status !== 200) {
        stats.tailErrors.push(`status ${res.status}`);
        break;
      }
      stats.tailConnects += 1;
      let buffer = '';
      try {
        for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          const events = buffer.split('\n\n');
          buffer = events.pop() ?? '';
          const now = Date.now();
          for (const event of events) {
            for (const line of event.split('\n')) {
              if (line.startsWith('id: ')) lastId = Number(line.slice(4));
              else if (line.startsWith('event: end')) stats.tailEndedEarly += 1;
              else if (line.startsWith('data: ')) {
                // The job prints "<seq> <unix time>", so each line's age on arrival is known.
                const sentAt = Number(line.slice(6).split(' ')[1]) * 1000;
                stats.tailLines += 1;
                if (window.open && Number.isFinite(sentAt)) stats.tailAges.push(now - sentAt);
              }
            }
          }
        }
        if (!controller.signal.aborted) stats.tailErrors.push('stream ended by the server');
      } catch {
        if (!controller.signal.aborted) stats.tailErrors.push('stream broke');
      }
    }
  })();
  return { stop: () => controller.abort(), done };
}

/** A tail straight from Ray (no console), for the same line ages measured without the console. */
function startDirectTail(head, jobId, ages, window) {
  const url = `${head.dashboardUrl.replace(/^http/, 'ws')}/api/jobs/${jobId}/logs/tail`;
  // No permessage-deflate: with it negotiated, Ray closes the tail without sending a line.
  const ws = new WebSocket(url, {
    headers: { authorization: `Bearer ${head.token}`, 'user-agent': 'ray-console-bench' },
    perMessageDeflate: false,
  });
  ws.on('message', (data) => {
    const now = Date.now();
    for (const line of data.toString().split('\n')) {
      const sentAt = Number(line.split(' ')[1]) * 1000;
      if (window.open && line && Number.isFinite(sentAt)) ages.push(now - sentAt);
    }
  });
  ws.on('error', () => undefined);
  return { stop: () => ws.close() };
}

export async function run() {
  const head = await startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION, numCpus: 2 });
  let app;
  const jobIds = [];
  try {
    // A job list with some history, like a cluster that has been in use.
    seedJobs(head, 200, 'load');
    // LOG_LEVEL info: one line per request with pino-http's responseTime, the console's own view of latency.
    app = await startConsole(head, { LOG_LEVEL: 'info', METRICS_TOKEN });
    const operator = await signIn(app.url, 'default', head.token);
    const jobSeconds = WARMUP_S + MEASURE_S + 120;
    for (let j = 0; j < TAILED_JOBS; j++) {
      const id = `load_tail_${Date.now().toString(36)}_${j}`;
      await submitJob(app.url, operator, {
        submissionId: id,
        // No CPU reserved, so four drivers fit a 2-CPU head; a line every 0.25 s.
        entrypointNumCpus: 0,
        entrypoint: `${JSON.stringify(head.python)} -u -c "import time\nfor i in range(${jobSeconds * 4}):\n    print(i, time.time(), flush=True)\n    time.sleep(0.25)"`,
      });
      jobIds.push(id);
    }
    for (const id of jobIds) {
      for (;;) {
        const r = await fetch(`${app.url}/api/clusters/default/jobs/${id}`, { headers: { cookie: operator.cookie } });
        const job = await r.json();
        if (job.status === 'RUNNING') break;
        if (['FAILED', 'STOPPED', 'SUCCEEDED'].includes(job.status))
          throw new Error(`tail job ${id} ${job.status}: ${job.message}`);
        await sleep(500);
      }
    }

    // 500 browsers sign in (25 at a time).
    const signInStarted = performance.now();
    const sessions = [];
    for (let i = 0; i < SESSIONS; i += 25) {
      sessions.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(25, SESSIONS - i) }, () => signIn(app.url, 'default', head.token)),
        )),
      );
    }
    const signInSeconds = (performance.now() - signInStarted) / 1000;

    const window = { open: false };
    const stats = {
      listLatencies: [],
      listErrors: [],
      listCount: 0,
      tailLines: 0,
      tailAges: [],
      tailErrors: [],
      tailConnects: 0,
      tailEndedEarly: 0,
    };
    const baselineSockets = connectionsTo(app.pid, head.dashboardPort);

    // The listers: each session lists the jobs every 2 s, staggered over the first 2 s.
    let listing = true;
    const listers = sessions.map(async (session, i) => {
      await sleep((i / SESSIONS) * LIST_EVERY_MS);
      while (listing) {
        const started = performance.now();
        try {
          const r = await fetch(`${app.url}/api/clusters/default/jobs?limit=50`, {
            headers: { cookie: session.cookie },
          });
          await r.arrayBuffer();
          if (r.status !== 200) stats.listErrors.push(`status ${r.status}`);
        } catch (err) {
          stats.listErrors.push(String(err?.cause?.code ?? err?.message ?? err));
        }
        const took = performance.now() - started;
        if (window.open) {
          stats.listLatencies.push(took);
          stats.listCount += 1;
        }
        await sleep(Math.max(0, LIST_EVERY_MS - took));
      }
    });

    // The tails, spread over the jobs, each from its own session.
    const tails = Array.from({ length: TAILS }, (_, i) =>
      startTail(app.url, sessions[i % sessions.length], jobIds[i % TAILED_JOBS], stats, window),
    );
    // One tail per job straight from Ray, as the yardstick for line ages.
    const directAges = [];
    const direct = jobIds.map((id) => startDirectTail(head, id, directAges, window));

    const rss = [];
    const sampler = setInterval(() => rss.push({ t: performance.now(), bytes: rssOf(app.pid) }), 1000);
    await sleep(WARMUP_S * 1000);

    const during = await metricsOf(app.url);
    const socketsDuring = connectionsTo(app.pid, head.dashboardPort);
    const cpuStart = {
      console: cpuSecondsOf(app.pid),
      self: process.cpuUsage(),
      machine: machineCpu(),
      at: performance.now(),
    };
    window.open = true;
    const windowStart = performance.now();
    const windowStartWall = Date.now();
    await sleep(MEASURE_S * 1000);
    window.open = false;
    const windowEnd = performance.now();
    const windowEndWall = Date.now();
    const wallS = (windowEnd - cpuStart.at) / 1000;
    const self = process.cpuUsage(cpuStart.self);
    const machine = machineCpu();
    const cpu = {
      console: (cpuSecondsOf(app.pid) - cpuStart.console) / wallS,
      generator: (self.user + self.system) / 1e6 / wallS,
      machine: (machine.busy - cpuStart.machine.busy) / (machine.total - cpuStart.machine.total),
    };

    // The browsers go away: tails first, then the listers.
    for (const d of direct) d.stop();
    for (const t of tails) t.stop();
    await Promise.all(tails.map((t) => t.done));
    const closedAt = performance.now();
    let after;
    for (;;) {
      after = await metricsOf(app.url);
      if (after.ray_console_ray_log_sockets_open === 0 && after.ray_console_event_streams_open === 0) break;
      if (performance.now() - closedAt > 30_000) break;
      await sleep(100);
    }
    const socketsClosedMs = performance.now() - closedAt;
    const socketsAfterTails = connectionsTo(app.pid, head.dashboardPort);
    listing = false;
    await Promise.all(listers);
    clearInterval(sampler);

    const measured = rss.filter((s) => s.t >= windowStart && s.t <= windowEnd);
    const serverTimes = serverSideListTimes(app.log, windowStartWall, windowEndWall);
    const first = measured[0]?.bytes ?? NaN;
    const last = measured.at(-1)?.bytes ?? NaN;
    const slope = slopePerMinute(measured);
    const p = (values, q) => `${fmt(percentile(values, q), 0)} ms`;
    const errors = stats.listErrors.length + stats.tailErrors.length;
    const summary = (list) =>
      Object.entries(list.reduce((m, e) => ({ ...m, [e]: (m[e] ?? 0) + 1 }), {}))
        .map(([e, n]) => `${n} × ${e}`)
        .join(', ') || 'none';

    const lines = [
      `${SESSIONS} sessions signed in (in ${fmt(signInSeconds)} s, 25 at a time) on one console, SQLite sessions, against a Ray ${head.version} head started for this run; ${TAILS} live tails follow ${TAILED_JOBS} running jobs that each print a timestamped line every 0.25 s. Warm-up ${WARMUP_S} s, then a measured ${MEASURE_S} s.`,
      '',
      table(
        ['', 'In the measured window', 'Errors (whole run)', 'p50', 'p95', 'p99', 'max'],
        [
          [
            'GET /jobs?limit=50 (each session every 2 s)',
            String(stats.listCount),
            summary(stats.listErrors),
            p(stats.listLatencies, 50),
            p(stats.listLatencies, 95),
            p(stats.listLatencies, 99),
            `${fmt(Math.max(...stats.listLatencies), 0)} ms`,
          ],
          [
            'the same, inside the console (pino-http responseTime)',
            String(serverTimes.length),
            '–',
            p(serverTimes, 50),
            p(serverTimes, 95),
            p(serverTimes, 99),
            `${fmt(Math.max(...serverTimes), 0)} ms`,
          ],
          [
            `live tail: age of a line on arrival (${stats.tailAges.length} lines)`,
            `${stats.tailConnects} connections`,
            summary(stats.tailErrors),
            p(stats.tailAges, 50),
            p(stats.tailAges, 95),
            p(stats.tailAges, 99),
            `${fmt(Math.max(...stats.tailAges), 0)} ms`,
          ],
          [
            `the same, straight from Ray's WebSocket, no console (${directAges.length} lines)`,
            `${direct.length} connections`,
            '–',
            p(directAges, 50),
            p(directAges, 95),
            p(directAges, 99),
            `${fmt(Math.max(...directAges), 0)} ms`,
          ],
        ],
      ),
      '',
      `Errors: **${errors}**. List rate in the measured window: ${fmt(stats.listCount / MEASURE_S)} requests/s (target ${fmt(SESSIONS / (LIST_EVERY_MS / 1000))}).`,
      '',
      table(
        ['Console memory (RSS) in the measured window', 'Value'],
        [
          ['at its start', mib(first)],
          ['at its end', mib(last)],
          [
            'lowest / highest',
            `${mib(Math.min(...measured.map((s) => s.bytes)))} / ${mib(Math.max(...measured.map((s) => s.bytes)))}`,
          ],
          ['trend (least squares)', `${fmt(slope / 1024 / 1024, 2)} MiB per minute`],
          [
            'lowest in each third (after the collector ran)',
            thirds(measured)
              .map((part) => mib(Math.min(...part.map((x) => x.bytes))))
              .join(' → '),
          ],
        ],
      ),
      '',
      table(
        ['What was busy in the measured window', 'CPU'],
        [
          ['the console (one Node process)', `${fmt(cpu.console * 100, 0)} % of a core`],
          [
            `this load generator (${SESSIONS} browsers, ${TAILS} tails, in one Node process)`,
            `${fmt(cpu.generator * 100, 0)} % of a core`,
          ],
          [
            `the whole machine (${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores: also the Ray head and its ${TAILED_JOBS} drivers)`,
            `${fmt(cpu.machine * 100, 0)} % busy`,
          ],
        ],
      ),
      '',
      table(
        ['WebSockets to Ray', 'Console metrics', 'TCP connections console → head (from /proc)'],
        [
          ['before the tails started (keep-alive connections of the sign-ins)', '–', String(baselineSockets)],
          ['with the tails open', String(during.ray_console_ray_log_sockets_open), String(socketsDuring)],
          [
            `after the browsers disconnected (${fmt(socketsClosedMs, 0)} ms later)`,
            String(after.ray_console_ray_log_sockets_open),
            String(socketsAfterTails),
          ],
        ],
      ),
      '',
      `Event streams open to browsers after they disconnected: ${after.ray_console_event_streams_open}. The TCP count also holds the keep-alive connections of the job-list calls (still running then), hence not 0.`,
    ];
    if (stats.tailEndedEarly > 0)
      lines.push('', `Note: ${stats.tailEndedEarly} tails saw their job end before the run did.`);
    lines.push(
      '',
      (errors === 0
        ? `**What limits it.** Not the console's own work: inside it a job-list request took ${p(serverTimes, 50)} ` +
          `(p99 ${p(serverTimes, 99)}), at ${fmt(cpu.console * 100, 0)} % of a core. What the browsers saw beyond ` +
          `that is waiting for a CPU on a machine ${fmt(cpu.machine * 100, 0)} % busy, shared by the load generator, ` +
          'the console, Ray and its drivers (and whatever else runs there).'
        : `**What limits it.** Not the console (${fmt(cpu.console * 100, 0)} % of a core): inside it the job-list ` +
          'requests spent their time waiting for Ray, which did not answer.') +
        ' Two things in Ray limit it. (1) A line reaches a tail ' +
        "about 1.5 s after the job printed it with or without the console (compare the two tail rows): Ray's " +
        "job agent reads the log file about once a second. (2) Ray's dashboard forwards its job API to the job " +
        "module over one pool of at most 100 connections (aiohttp's default, `ray/dashboard/subprocesses/utils.py`), " +
        'and every open log-tail WebSocket holds one of them for as long as it is open; 100 sockets to one head ' +
        'stall every other job call on it (the job list, job details, further tails) until they time out after ' +
        '30 s. The console therefore opens one socket per followed job and shares it among everyone following ' +
        'that job in the process (the WebSocket table above), so the limit is 100 different jobs followed at once ' +
        'per head, across all replicas, not 100 browsers.',
    );
    return lines.join('\n');
  } finally {
    // Stopping the head ends its jobs too.
    await app?.stop();
    await head.stop();
  }
}

/** The samples in three consecutive, equal parts. */
function thirds(samples) {
  const n = Math.ceil(samples.length / 3);
  return [samples.slice(0, n), samples.slice(n, 2 * n), samples.slice(2 * n)].filter((part) => part.length > 0);
}

/** responseTime of the job-list requests the console logged between two wall-clock times. */
function serverSideListTimes(logFile, from, to) {
  const times = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"responseTime"') || !line.includes('/jobs')) continue;
    try {
      const entry = JSON.parse(line);
      if (entry.time >= from && entry.time <= to && entry.req?.path?.endsWith('/jobs') && entry.req?.method === 'GET') {
        times.push(entry.responseTime);
      }
    } catch {
      /* not JSON */
    }
  }
  return times;
}

/** Least-squares slope of bytes over time, per minute. */
function slopePerMinute(samples) {
  if (samples.length < 2) return NaN;
  const xs = samples.map((s) => s.t / 60_000);
  const ys = samples.map((s) => s.bytes);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

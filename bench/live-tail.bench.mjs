// Memory of a live tail (issue 8): following a job that prints 1 GiB through the console, its resident
// memory must grow by < 64 MiB with its default settings. Side by side in the same run, the same follow
// through a console whose window is opened wide (LOG_TAIL_WINDOW_LINES/BYTES at their maximum), which
// keeps every line as the console did before the window existed.
// Latency of a live tail (issue 11): how old a line is when it arrives through the console's event stream,
// against Ray's own log-tail WebSocket read directly, on the same job at the same time.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { RAY_VERSION } from '../scripts/lib/paths.mjs';
import { startRayHead } from '../scripts/lib/ray-head.mjs';
import {
  fmt,
  mib,
  percentile,
  rssOf,
  sampleRss,
  signIn,
  startConsole,
  submitJob,
  table,
  waitForJobEnd,
} from './lib.mjs';

export const title = 'Live tail: memory while following a job that prints 1 GiB, and how old a line is on arrival';

const LINE_BYTES = 16 * 1024; // 16,383 characters and a newline: below the 16 Ki-character cut
const LINES = 65_536; // 1 GiB
const TARGET = 64 * 1024 * 1024;
/** /api/metrics is off without METRICS_TOKEN; with it, the bench reads the console's own memory split. */
const METRICS_TOKEN = randomBytes(32).toString('hex');

async function memoryOf(consoleUrl) {
  const text = await (
    await fetch(`${consoleUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const value = (name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { heap: value('nodejs_heap_total_bytes'), external: value('nodejs_external_memory_bytes') };
}

/**
 * Samples the console's V8 heap (reserved) and memory outside it every `everyMs` (the split of its RSS
 * that the process itself reports), until stopped; returns the highest of each.
 */
function sampleMemory(consoleUrl, everyMs = 100) {
  const most = { heap: 0, external: 0 };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    memoryOf(consoleUrl)
      .then((m) => {
        most.heap = Math.max(most.heap, m.heap);
        most.external = Math.max(most.external, m.external);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return { stop: () => (clearInterval(timer), most) };
}

/**
 * Follows the job's live tail to its `end` event, counting without keeping: lines received, lines the
 * console said it skipped, bytes.
 */
async function follow(consoleUrl, session, id) {
  const url = `${consoleUrl}/api/clusters/default/jobs/${id}/logs/stream`;
  let res;
  for (let i = 0; i < 100; i++) {
    res = await fetch(url, { headers: { cookie: session.cookie, accept: 'text/event-stream' } });
    if (res.status === 200) break;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 200)); // the job may not be known to Ray yet
  }
  if (res.status !== 200) throw new Error(`following ${id}: ${res.status}`);
  const decoder = new TextDecoder();
  let carry = '';
  let lines = 0;
  let skipped = 0;
  let bytes = 0;
  /** The `end` event's count of lines in the log, once it came. */
  let ended;
  // Parsed line by line as it arrives (an event of 1,000 lines is 16 MiB: never re-scan it whole).
  let event = 'message';
  let data = [];
  for await (const chunk of res.body) {
    bytes += chunk.length;
    const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = parts.pop() ?? '';
    for (const line of parts) {
      if (line === '') {
        if (event === 'end') ended = JSON.parse(data[0]).lines;
        else if (event === 'skipped') {
          const { from, to } = JSON.parse(data[0]);
          skipped += to - from + 1;
        } else lines += data.length;
        event = 'message';
        data = [];
      } else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(event === 'message' ? '' : line.slice(6));
    }
  }
  return { lines, skipped, bytes, ended };
}

/** The job of the latency part prints `<seq> <unix time>` every 0.1 s for 40 s. */
const AGE_LINES = 400;

/** Each line's age on arrival (ms), from the `<seq> <unix time>` the job printed; lines printed before `from` are left out. */
function agesOf(text, now, from, ages) {
  for (const line of text.split('\n')) {
    const sentAt = Number(line.split(' ')[1]) * 1000;
    if (Number.isFinite(sentAt) && sentAt >= from) ages.push(now - sentAt);
  }
}

/** Follows the job through the console's event stream until its `end` event; pushes each line's age. */
async function consoleAges(consoleUrl, session, id, from, ages) {
  const res = await fetch(`${consoleUrl}/api/clusters/default/jobs/${id}/logs/stream`, {
    headers: { cookie: session.cookie, accept: 'text/event-stream' },
  });
  if (res.status !== 200) throw new Error(`following ${id} through the console: ${res.status}`);
  let carry = '';
  let event = 'message';
  let ended = false;
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    const now = Date.now();
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const line of parts) {
      if (line === '') event = 'message';
      else if (line.startsWith('event: ')) ended ||= (event = line.slice(7)) === 'end';
      else if (line.startsWith('data: ') && event === 'message') agesOf(line.slice(6), now, from(), ages);
    }
    if (ended) return;
  }
}

/** Follows the job through Ray's own log-tail WebSocket (a frame may end mid-line); pushes each line's age. */
function directAges(head, id, from, ages) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${head.dashboardUrl.replace(/^http/, 'ws')}/api/jobs/${id}/logs/tail`, {
      headers: { authorization: `Bearer ${head.token}`, 'user-agent': 'ray-console-bench' },
      // With permessage-deflate negotiated, Ray closes the tail without sending a line.
      perMessageDeflate: false,
    });
    let carry = '';
    ws.on('message', (data) => {
      const now = Date.now();
      const parts = (carry + data.toString()).split('\n');
      carry = parts.pop() ?? '';
      agesOf(parts.join('\n'), now, from(), ages);
    });
    ws.on('close', resolve);
    ws.on('error', reject);
  });
}

/** Line ages through the console and straight from Ray, on one job, both readers opened together. */
async function lineLatency(head, consoleUrl, session) {
  const id = `bench_ages_${Date.now().toString(36)}`;
  await submitJob(consoleUrl, session, {
    submissionId: id,
    entrypointNumCpus: 0,
    entrypoint: `${JSON.stringify(head.python)} -u -c "import time\nfor i in range(${AGE_LINES}):\n    print(i, time.time(), flush=True)\n    time.sleep(0.1)"`,
  });
  for (;;) {
    const r = await fetch(`${head.dashboardUrl}/api/jobs/${id}`, {
      headers: { authorization: `Bearer ${head.token}` },
    });
    const status = r.ok ? (await r.json()).status : 'PENDING';
    if (status === 'RUNNING') break;
    if (['FAILED', 'STOPPED', 'SUCCEEDED'].includes(status)) throw new Error(`the line-age job ${status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  // Both readers get the log from its first line; only lines printed once both were reading count.
  const opened = Date.now() + 1000;
  const via = [];
  const direct = [];
  await Promise.all([
    consoleAges(consoleUrl, session, id, () => opened, via),
    directAges(head, id, () => opened, direct),
  ]);
  return { via, direct };
}

export async function run() {
  const head = await startRayHead({ version: process.env.RAY_VERSION ?? RAY_VERSION, numCpus: 2 });
  const consoles = [];
  try {
    const bounded = await startConsole(head, { METRICS_TOKEN });
    const wide = await startConsole(head, {
      METRICS_TOKEN,
      LOG_TAIL_WINDOW_LINES: '10000000',
      LOG_TAIL_WINDOW_BYTES: String(8 * 2 ** 30),
    });
    const all = [bounded, wide];
    consoles.push(...all);
    const sessions = await Promise.all(all.map((c) => signIn(c.url, 'default', head.token)));
    const id = `bench_live_${Date.now().toString(36)}`;
    await submitJob(bounded.url, sessions[0], {
      entrypoint: `python -c "import sys\nline = 'x' * ${LINE_BYTES - 1} + '\\n'\nw = sys.stdout.write\nfor _ in range(${LINES}): w(line)"`,
      submissionId: id,
    });
    const baselines = all.map((c) => rssOf(c.pid));
    const memoryBaselines = await Promise.all(all.map((c) => memoryOf(c.url)));
    const samplers = all.map((c) => sampleRss(c.pid, 25));
    const memorySamplers = all.map((c) => sampleMemory(c.url));
    const started = performance.now();
    const results = await Promise.all(all.map((c, i) => follow(c.url, sessions[i], id)));
    const seconds = (performance.now() - started) / 1000;
    const growth = samplers.map((s, i) => Math.max(0, ...s.stop()) - baselines[i]);
    const split = memorySamplers.map((s, i) => {
      const most = s.stop();
      return {
        heap: Math.max(0, most.heap - memoryBaselines[i].heap),
        external: Math.max(0, most.external - memoryBaselines[i].external),
      };
    });
    process.stdout.write(`  ${fmt(seconds)} s; ${JSON.stringify(results)}; RSS growth ${growth.map(mib).join(', ')}\n`);
    const job = await waitForJobEnd(head, id);
    if (job.status !== 'SUCCEEDED') throw new Error(`the 1 GiB job ${job.status}: ${job.message}`);
    for (const r of results) {
      if (r.ended === undefined) throw new Error('a follow ended without the `end` event');
      // Ray adds a few lines of its own to the job's output.
      if (r.ended < LINES || r.lines + r.skipped !== r.ended)
        throw new Error(`a follow accounted for ${r.lines + r.skipped} of ${r.ended} lines`);
    }
    const names = ['as shipped (window 10,000 lines / 4 MiB)', 'window opened wide (every line kept, as before)'];
    const rows = results.map((r, i) => [
      names[i],
      r.lines.toLocaleString('en-US'),
      r.skipped.toLocaleString('en-US'),
      mib(r.bytes),
      mib(split[i].heap),
      mib(split[i].external),
      mib(growth[i]),
    ]);
    for (const row of rows) process.stdout.write(`  ${row.join('  ')}\n`);
    const verdict = growth[0] < TARGET ? '✓' : '✗';

    const ages = await lineLatency(head, bounded.url, sessions[0]);
    const stats = (a) => [
      String(a.length),
      fmt(percentile(a, 50), 0),
      fmt(percentile(a, 95), 0),
      fmt(Math.max(...a), 0),
    ];
    const p50 = { via: percentile(ages.via, 50), direct: percentile(ages.direct, 50) };
    const p95 = { via: percentile(ages.via, 95), direct: percentile(ages.direct, 95) };
    process.stdout.write(`  line ages: console ${stats(ages.via).join(' ')}; direct ${stats(ages.direct).join(' ')}\n`);
    if (ages.via.length < AGE_LINES / 2 || ages.direct.length < AGE_LINES / 2)
      throw new Error(`too few lines timed (${ages.via.length} through the console, ${ages.direct.length} direct)`);
    return [
      `Ray ${head.version}. One job prints ${LINES.toLocaleString('en-US')} lines of ${LINE_BYTES / 1024} KiB (1 GiB); two consoles follow it at the same time from its first line, each with one reader that counts the events and keeps nothing, and their resident memory is sampled every 25 ms (what each console reports of its V8 heap, reserved, and of the buffers outside it, from \`/api/metrics\` every 100 ms). The follows took ${fmt(seconds)} s.`,
      '',
      table(
        [
          'console',
          'lines received',
          'lines skipped (marker)',
          'SSE bytes',
          'V8 heap growth (highest)',
          'outside the heap (highest)',
          'RSS growth',
        ],
        rows,
      ),
      '',
      `Resident-memory growth of the console as shipped (default settings, no Node flags) while following 1 GiB: **${mib(growth[0])}** (target < 64 MiB) ${verdict}; with every line kept: ${mib(growth[1])} (${fmt(growth[1] / Math.max(growth[0], 1), 0)} times as much).`,
      '',
      `**What is left is what carries the log through, not the log.** The window is the lines' bytes in one buffer outside V8's heap (at most LOG_TAIL_WINDOW_BYTES and room for two of the longest lines); every byte of the 1 GiB still arrives in a socket buffer and a WebSocket frame, becomes a string and leaves as an event, and those are freed when V8 next collects its young generation: at most ${mib(split[0].external)} outside the heap at a time, and the heap grew by ${mib(split[0].heap)} at most, out of the ${mib(growth[0])}. Before the window was kept as bytes, its lines were strings that lived just long enough to survive the young generation's collections and pile up in the old one until a full collection: the same follow grew the console by 75.7 MiB in one run and 126.1 MiB in another.`,
      '',
      'Lines are skipped when Ray sends them faster than the reader takes them and they fall out of the window before the reader gets to them; the reader is told which (a `skipped` event), and the full download has them.',
      '',
      `**How old a line is on arrival.** A job prints \`<n> <time>\` every 0.1 s for ${AGE_LINES / 10} s; once it runs, one reader follows it through the console's event stream (\`/api/clusters/default/jobs/{id}/logs/stream\`) and another reads Ray's own log tail (\`/api/jobs/{id}/logs/tail\`, the WebSocket \`ray job logs --follow\` reads) with the token, at the same time. A line's age is its arrival time minus the time the job printed it; lines printed in the first second, while both readers caught up with the log's start, are left out.`,
      '',
      table(
        ['path', 'lines timed', 'p50 ms', 'p95 ms', 'max ms'],
        [
          ["through the console (Ray's WebSocket, then the console's event stream)", ...stats(ages.via)],
          ["Ray's WebSocket read directly", ...stats(ages.direct)],
        ],
      ),
      '',
      `The console adds **${fmt(p50.via - p50.direct, 0)} ms** at the median (${fmt(p50.via / p50.direct, 2)}× Ray's own p50) and ${fmt(p95.via - p95.direct, 0)} ms at the 95th percentile. ${
        p50.direct > 300
          ? `Most of a line's age is Ray's: its job agent reads the log file to its end, then sleeps a second before it looks again (\`ray/dashboard/modules/job/utils.py\`), so a line waits ${fmt(p50.direct, 0)} ms at the median before Ray sends it to anyone.`
          : ''
      }`,
    ].join('\n');
  } finally {
    for (const c of consoles) await c.stop();
    await head.stop();
  }
}

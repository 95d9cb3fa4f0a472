// Memory of a live tail (issue 8): following a job that prints 1 GiB through the console, its resident
// memory must grow by < 64 MiB with its default settings. Side by side in the same run, the same follow
// through a console whose window is opened wide (LOG_TAIL_WINDOW_LINES/BYTES at their maximum), which
// keeps every line as the console did before the window existed.
import { randomBytes } from 'node:crypto';
import { RAY_VERSION } from '../scripts/lib/paths.mjs';
import { startRayHead } from '../scripts/lib/ray-head.mjs';
import { fmt, mib, rssOf, sampleRss, signIn, startConsole, submitJob, table, waitForJobEnd } from './lib.mjs';

export const title = 'Live tail memory: following a job that prints 1 GiB';

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
    ].join('\n');
  } finally {
    for (const c of consoles) await c.stop();
    await head.stop();
  }
}

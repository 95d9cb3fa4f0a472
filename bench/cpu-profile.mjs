// Reads a V8 CPU profile (`node --cpu-prof`) of the console and says where its time went, by the part of
// the console a sample's stack was in: the innermost frame that belongs to a known part wins, so a JSON
// parse inside the Ray client counts as "parsing Ray's answer", not as the client's own code.
import { readFileSync } from 'node:fs';

/** Parts of a request, tried from the innermost frame outwards; the first match names the sample. */
const PARTS = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['schema parsing (zod)', (f) => /\/zod\//.test(f.url)],
  ['JSON parse and stringify', (f) => /^(parse|stringify)$/.test(f.functionName) && f.url === ''],
  ['token seal (AES-GCM, HKDF)', (f) => /token-seal/.test(f.url) || /^node:internal\/crypto\/cipher/.test(f.url)],
  ['session store (SQLite or Redis)', (f) => /sqlite-session-store|better-sqlite3|connect-redis|@redis\//.test(f.url)],
  ['cookie signature and session (express-session)', (f) => /express-session|cookie-signature|\/cookie\//.test(f.url)],
  ['CSRF', (f) => /session\/csrf/.test(f.url)],
  ['request logging (pino)', (f) => /\/pino|pino-http|sonic-boom/.test(f.url)],
  ['security headers (helmet)', (f) => /\/helmet\//.test(f.url)],
  ['client connection to Ray (node:http, sockets)', (f) => /ray-dashboard-client/.test(f.url)],
  ['routing and middleware (express)', (f) => /\/express\/|\/router\/|body-parser|finalhandler|send\//.test(f.url)],
  ['the console’s own code', (f) => /server\/dist\//.test(f.url)],
  ['HTTP and sockets (node core)', (f) => /^node:(_http|http|net|internal\/(http|stream|streams|net))/.test(f.url)],
];

/**
 * Time per part of the console in one profile: `{ totalMs, idleMs, parts: [[name, ms]] }`, the parts in
 * descending order. "(program)" (V8 and native code outside JavaScript frames) and unmatched frames are
 * kept as parts of their own, so the figures add up to the busy time.
 */
export function summarizeCpuProfile(file, window = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const inWindow = sampleFilter(profile, window);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map();
  const classify = (id) => {
    if (partOf.has(id)) return partOf.get(id);
    const node = byId.get(id);
    const frame = node.callFrame;
    let part;
    if (frame.functionName === '(idle)') part = '(idle)';
    else if (frame.functionName === '(program)') part = 'V8 and native code (program)';
    else {
      part = PARTS.find(([, test]) => test(frame))?.[0];
      if (!part) {
        const up = parent.get(id);
        part = up === undefined ? 'other' : classify(up);
        if (part === '(root)' || part === 'other') part = /^node:/.test(frame.url) ? 'node core (other)' : 'other';
      }
    }
    partOf.set(id, part);
    return part;
  };
  const ms = new Map();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    if (!inWindow(i)) return;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += dt;
    const part = classify(id);
    ms.set(part, (ms.get(part) ?? 0) + dt);
  });
  const idleMs = ms.get('(idle)') ?? 0;
  ms.delete('(idle)');
  return { totalMs, idleMs, parts: [...ms].sort((a, b) => b[1] - a[1]) };
}

/** The heaviest functions by self time (for a reader who wants more than the parts). */
export function topFunctions(file, count = 15, window = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const inWindow = sampleFilter(profile, window);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    if (!inWindow(i)) return;
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(server|shared)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
}

/** The current time on the clock V8 stamps profile samples with (CLOCK_MONOTONIC, µs), for a window. */
export const profileClockUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Which samples fall in `[fromUs, toUs]` (profileClockUs() readings from the process that drove the
 * load: both read the system's monotonic clock), so a profile covers the measured rounds, not the start.
 */
function sampleFilter(profile, { fromUs = -Infinity, toUs = Infinity }) {
  const at = [];
  let t = profile.startTime;
  for (const dt of profile.timeDeltas) at.push((t += dt));
  return (i) => at[i] >= fromUs && at[i] <= toUs;
}

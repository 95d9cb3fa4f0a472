// Initial load: the JavaScript (gzip) each page needs for its first render, from the built app's Vite
// manifest (web/dist/.vite/manifest.json): the entry and everything it imports statically, plus the
// page's lazily loaded chunk and its static imports. Chunks fetched afterwards to prefetch the next
// pages are not counted. Sizes are bytes, so this benchmark is deterministic; it runs in a second.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../scripts/lib/paths.mjs';
import { fmt, table } from './lib.mjs';

export const title = 'Initial load: JavaScript per page';

const BUDGET_KB = 120;

/** The pages, each with the lazily loaded module that renders it (none: in the entry). */
const routes = [
  { page: 'Cluster list', url: '/', chunk: null, budget: true },
  { page: 'Sign-in prompt', url: '/clusters/:id (signed out)', chunk: null, budget: true },
  { page: 'Cluster overview', url: '/clusters/:id', chunk: 'src/features/resources/overview-page.tsx' },
  { page: 'Jobs', url: '/clusters/:id/jobs', chunk: 'src/features/jobs/jobs-page.tsx' },
  { page: 'Submit form', url: '/clusters/:id/jobs/new', chunk: 'src/features/jobs/submit-job-page.tsx' },
  { page: 'Job and its log', url: '/clusters/:id/jobs/:jobId', chunk: 'src/features/jobs/job-detail-page.tsx' },
  { page: 'Audit', url: '/clusters/:id/audit', chunk: 'src/features/audit/audit-page.tsx' },
  { page: 'Logs browser', url: '/clusters/:id/logs', chunk: 'src/features/logs/logs-page.tsx' },
  { page: 'A worker or node log', url: '/clusters/:id/logs/view', chunk: 'src/features/logs/log-page.tsx' },
  { page: 'Serve', url: '/clusters/:id/serve', chunk: 'src/features/serve/serve-page.tsx' },
  // Issue 12's pages (new RayCluster, its progress, RayJobs, RayServices, the Kubernetes identity) share one chunk.
  { page: 'Kubernetes pages', url: '/kubernetes/…', chunk: 'src/app/kubernetes-pages.ts' },
];

const kb = (bytes) => `${fmt(bytes / 1024)} KB`;

export async function run() {
  const dist = path.join(repoRoot, 'web/dist');
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
  const gzipped = new Map();
  const sizeOf = (file) => {
    if (!gzipped.has(file)) {
      const code = readFileSync(path.join(dist, file));
      gzipped.set(file, { raw: code.length, gzip: gzipSync(code).length });
    }
    return gzipped.get(file);
  };
  // A chunk and, recursively, the chunks it imports statically (dynamic imports load later).
  const closure = (key, into = new Set()) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest: is it still a page of its own?`);
    if (into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const dep of chunk.imports ?? []) closure(dep, into);
    return into;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const first = [...closure(entry)].map(sizeOf).reduce((a, s) => a + s.gzip, 0);
  const rows = [];
  const verdicts = [];
  for (const r of routes) {
    if (r.chunk && !manifest[r.chunk]?.isDynamicEntry)
      throw new Error(`${r.chunk} is not loaded on demand: the ${r.page} page is part of another chunk`);
    const files = closure(entry);
    if (r.chunk) closure(r.chunk, files);
    const total = [...files].map(sizeOf).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), {
      raw: 0,
      gzip: 0,
    });
    const meets = total.gzip <= BUDGET_KB * 1024;
    if (r.budget) verdicts.push({ page: r.page, gzip: total.gzip, meets });
    rows.push([
      r.page,
      `\`${r.url}\``,
      String(files.size),
      kb(total.raw),
      kb(total.gzip),
      r.chunk ? kb(total.gzip - first) : '–',
      r.budget ? `${BUDGET_KB} KB ${meets ? '✓' : '✗'}` : '–',
    ]);
  }
  const chunks = Object.values(manifest)
    .filter((c) => c.file.endsWith('.js'))
    .map((c) => ({ name: c.name ?? c.file, ...sizeOf(c.file) }))
    .sort((a, b) => b.gzip - a.gzip);
  for (const r of rows) process.stdout.write(`  ${r.join('  ')}\n`);
  const allMeet = verdicts.every((v) => v.meets);
  const worst = Math.max(...verdicts.map((v) => v.gzip));
  return [
    'Bytes of the production build (`npm run build`), gzip at the default level of node:zlib. "scripts" counts the files a browser needs before the page can draw; "the page’s own chunks" is what a later page adds to the first script, which the console prefetches while the user is on the page before.',
    '',
    table(['page', 'URL', 'scripts', 'JavaScript', 'gzip', 'of it, the page’s own chunks', 'target'], rows),
    '',
    table(
      ['chunk', 'JavaScript', 'gzip'],
      chunks.map((c) => [c.name, kb(c.raw), kb(c.gzip)]),
    ),
    '',
    allMeet
      ? `**The cluster list and the sign-in prompt meet the target:** ${kb(worst)} of JavaScript (gzip), at most ${BUDGET_KB} KB.`
      : `**The cluster list and the sign-in prompt miss the ${BUDGET_KB} KB target:** they need ${kb(worst)} (gzip), ratio ${fmt(worst / (BUDGET_KB * 1024), 2)}.`,
  ].join('\n');
}

// `npm run bench`: builds, runs every bench/*.bench.mjs (or those whose names contain the arguments)
// one after another, and writes their sections into docs/benchmarks.md with the command and machine.
// Benchmarks compare side by side in one run and report ratios; they are not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './lib/paths.mjs';

const filters = process.argv.slice(2);
const benchDir = path.join(repoRoot, 'bench');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

console.log('Building...');
if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) process.exit(1);

const sections = [];
let failed = false;
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(benchDir, file)).href);
  console.log(`\n=== ${file}: ${mod.title} ===`);
  const started = Date.now();
  try {
    const body = await mod.run();
    sections.push(
      `## ${mod.title}\n\n\`node scripts/bench.mjs ${file.replace('.bench.mjs', '')}\` (${Math.round((Date.now() - started) / 1000)} s)\n\n${body}\n`,
    );
  } catch (err) {
    failed = true;
    console.error(err);
    sections.push(`## ${mod.title}\n\nThis benchmark failed: ${String(err?.message ?? err).split('\n')[0]}\n`);
  }
}

const header = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  'The machines are shared and noisy, so every figure that has a counterpart is measured beside it in the same run and given as a ratio.',
  '',
].join('\n');
if (filters.length === 0)
  writeFileSync(path.join(repoRoot, 'docs', 'benchmarks.md'), `${header}\n${sections.join('\n')}`);
else
  console.log(
    `\n${sections.join('\n')}\n(Partial run: docs/benchmarks.md is rewritten only by a full \`npm run bench\`.)`,
  );
process.exit(failed ? 1 : 0);

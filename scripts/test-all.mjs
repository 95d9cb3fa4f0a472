// `npm test`: builds, then runs every suite (unit, integration against real Ray heads of the current
// and the oldest supported version, Kubernetes, e2e in Chromium) and ends with one line
// `N passed, N failed` totalling them all. `--only unit,e2e` runs a subset.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { OLDEST_RAY_VERSION, RAY_VERSION, repoRoot } from './lib/paths.mjs';

const resultsDir = path.join(repoRoot, 'test-results');
const onlyArg =
  process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ??
  (process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;

const vitestSuite = (name, projects, env = {}) => ({
  name,
  env,
  cmd: 'npx',
  args: [
    'vitest',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.join(resultsDir, `${name}.json`)}`,
  ],
  count: (json) => ({
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    skipped: json.numPendingTests + json.numTodoTests,
  }),
});

const suites = [
  vitestSuite('unit', ['unit', 'web']),
  vitestSuite(`integration-ray-${RAY_VERSION}`, ['integration'], { RAY_VERSION }),
  vitestSuite(`integration-ray-${OLDEST_RAY_VERSION}`, ['integration'], { RAY_VERSION: OLDEST_RAY_VERSION }),
  ...(existsSync(path.join(repoRoot, 'server/test/kubernetes')) ? [vitestSuite('kubernetes', ['kubernetes'])] : []),
  {
    name: 'e2e',
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(resultsDir, 'e2e.json') },
    cmd: 'npx',
    args: ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'],
    count: (json) => ({
      passed: json.stats.expected + json.stats.flaky,
      failed: json.stats.unexpected,
      skipped: json.stats.skipped,
    }),
  },
].filter((s) => !only || [...only].some((o) => s.name.startsWith(o)));

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

mkdirSync(resultsDir, { recursive: true });
// A fresh machine may lack Chromium or Redis; the script installs them (as root) or says what to install.
if ((await run('bash', ['scripts/install-system-deps.sh'], {})) !== 0) {
  console.log('System packages are missing (see above); no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log('Building...');
if ((await run('npm', ['run', '--silent', 'build'], {})) !== 0) {
  console.log('The build failed; no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const file = path.join(resultsDir, `${suite.name}.json`);
  rmSync(file, { force: true });
  const started = Date.now();
  const code = await run(suite.cmd, suite.args, suite.env);
  let counts;
  try {
    counts = suite.count(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 };
  }
  // A suite that crashed before reporting (or exited non-zero with no failed test) counts as one failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  lines.push(
    `${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${Math.round((Date.now() - started) / 1000)} s)`,
  );
}

console.log('\nSummary');
for (const l of lines) console.log(`  ${l}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);

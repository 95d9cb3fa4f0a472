// Node 24, the LTS the image runs, for the suites that also run on it while the machine's `node` is older
// (the code keeps running on Node 20). Node comes from the npm registry, not nodejs.org (which not every
// machine that runs the tests can reach): the `node` package installs `node-<platform>-<arch>`, a complete
// Node build with its C headers, into `.tools/node24`, outside the workspaces and git.
//
// better-sqlite3 is the one dependency compiled for one Node ABI (`npm ci` builds it for the Node that ran
// it). Its loader (`bindings`) tries `build/Release/` first, whatever ABI the file there was built for,
// and later `lib/binding/node-v<ABI>-<platform>-<arch>/`. So each build is moved to the folder of the ABI
// written in it, and every Node finds its own: Node 20 and Node 24 run from one node_modules, even at the
// same time, with nothing swapped in and out and no change to the product. The Node 24 build is compiled
// once, from the installed package's own sources, against the headers of the Node above (node-gyp would
// otherwise download them from nodejs.org), and kept outside the clone, in
// `${RAY_CONSOLE_CACHE:-~/.cache/ray-console}/better-sqlite3/`, for the next `npm ci` and the next clone.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runQuiet as run } from './run-quiet.mjs';
import { cacheRoot, repoRoot } from './paths.mjs';

/** The Node 24 release the extra suites run on; change it here and the next run reinstalls. */
export const NODE24_VERSION = '24.21.0';

/**
 * The Node release whose C headers better-sqlite3 is compiled against for Node 24. From 24.19.0 on,
 * `node::ObjectWrap` (a header-only class, so compiled into the addon) removes an environment cleanup hook
 * in its destructor and aborts the process when a GC finalizes a better-sqlite3 Statement outside a
 * context, such as a worker's teardown (nodejs/node#65446; better-sqlite3 12 derives from ObjectWrap, 13
 * does not but needs Node 22). The abort follows the headers, not the runtime: an addon built against
 * 24.18.1's headers runs on every 24.x without it, as better-sqlite3's own prebuilt binaries do.
 */
export const NODE24_HEADERS_VERSION = '24.18.1';

export const node24Dir = path.join(repoRoot, '.tools', 'node24');

/** The ABI a compiled Node addon was built for, from the registration symbol every addon exports. */
export function addonAbi(file) {
  return /node_register_module_v(\d+)/.exec(readFileSync(file, 'latin1'))?.[1];
}

/** better-sqlite3's folder, as the server resolves it. */
function betterSqlite3Dir() {
  const require = createRequire(path.join(repoRoot, 'server', 'package.json'));
  return path.dirname(require.resolve('better-sqlite3/package.json'));
}

/** Where `bindings` looks for better-sqlite3's addon built for one ABI. */
function abiSlot(packageDir, abi) {
  const folder = `node-v${abi}-${process.platform}-${process.arch}`;
  return path.join(packageDir, 'lib', 'binding', folder, 'better_sqlite3.node');
}

/**
 * Moves the addon `npm ci` (or `npm rebuild`) left in better-sqlite3's build/Release to the folder of its
 * ABI, where the Node it was built for still finds it and other Nodes look past it. Idempotent.
 * @param {string} [packageDir]
 */
export function placeBetterSqlite3Build(packageDir = betterSqlite3Dir()) {
  const built = path.join(packageDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) return;
  const abi = addonAbi(built);
  if (!abi) throw new Error(`${built} has no node_register_module_v<ABI> symbol: not a Node addon?`);
  const slot = abiSlot(packageDir, abi);
  mkdirSync(path.dirname(slot), { recursive: true });
  renameSync(built, slot);
}

/**
 * Makes sure `.tools/node24` holds Node 24 and that better-sqlite3 has an addon for its ABI; returns the
 * `node` binary and the folder to put first on PATH (then `npx`, and every `node` the tests start, is
 * Node 24).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ node: string, binDir: string }>}
 */
export async function ensureNode24(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const modules = path.join(node24Dir, 'node_modules');
  const node = path.join(modules, 'node', 'bin', 'node');
  const binDir = path.join(modules, '.bin');
  const marker = path.join(node24Dir, '.ray-console-installed');
  if (!(existsSync(marker) && readFileSync(marker, 'utf8').trim() === NODE24_VERSION && existsSync(node))) {
    log(`Installing Node ${NODE24_VERSION} from the npm registry into ${node24Dir} (once; later runs reuse it)...`);
    rmSync(node24Dir, { recursive: true, force: true });
    mkdirSync(node24Dir, { recursive: true });
    const manifest = {
      private: true,
      description: 'Node 24 for the suites that also run on it (scripts/lib/node24.mjs).',
      dependencies: { node: NODE24_VERSION },
      // The package's preinstall fetches the platform's build (node-<platform>-<arch>) from the registry.
      allowScripts: { node: true },
    };
    writeFileSync(path.join(node24Dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await run('npm', ['install', '--prefix', node24Dir, '--no-audit', '--no-fund', '--no-package-lock'], log);
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${NODE24_VERSION}`) throw new Error(`${node} is ${version}, not v${NODE24_VERSION}`);
    writeFileSync(marker, `${NODE24_VERSION}\n`);
  }

  const packageDir = betterSqlite3Dir();
  placeBetterSqlite3Build(packageDir);
  const abi = execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  const slot = abiSlot(packageDir, abi);
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const folder = `${version}-node-v${abi}-headers-${NODE24_HEADERS_VERSION}-${process.platform}-${process.arch}`;
  const cached = path.join(cacheRoot(), 'better-sqlite3', folder, 'better_sqlite3.node');
  // The slot holds this very build (not one for the same ABI from other headers, or another version).
  if (existsSync(slot) && existsSync(cached) && readFileSync(slot).equals(readFileSync(cached)))
    return { node, binDir };

  if (!(existsSync(cached) && addonAbi(cached) === abi)) {
    const buildDir = path.join(node24Dir, `better-sqlite3-${version}`);
    log(`Building better-sqlite3 ${version} for Node ${NODE24_VERSION} (ABI ${abi}) into ${cached} (once)...`);
    rmSync(buildDir, { recursive: true, force: true });
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) {
      cpSync(path.join(packageDir, part), path.join(buildDir, part), { recursive: true });
    }
    // npm puts its own node-gyp on PATH for scripts; npm_config_nodedir points it at the headers.
    const headers = await ensureHeaders(log);
    await run('npm', ['run', '--silent', 'build-release'], log, {
      cwd: buildDir,
      env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: headers },
    });
    mkdirSync(path.dirname(cached), { recursive: true });
    // Copied, then renamed: a build cut short never leaves a partial file where the next run looks.
    cpSync(path.join(buildDir, 'build', 'Release', 'better_sqlite3.node'), `${cached}.tmp`);
    renameSync(`${cached}.tmp`, cached);
    rmSync(buildDir, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(slot), { recursive: true });
  cpSync(cached, slot);
  return { node, binDir };
}

/** The headers of NODE24_HEADERS_VERSION (the `node` package's build of it), in `.tools/node24-headers`. */
async function ensureHeaders(log) {
  const dir = path.join(repoRoot, '.tools', 'node24-headers');
  const headers = path.join(dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
  const marker = path.join(dir, '.ray-console-installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === NODE24_HEADERS_VERSION && existsSync(headers))
    return headers;
  log(`Installing Node ${NODE24_HEADERS_VERSION} (its C headers, for better-sqlite3's Node 24 addon) into ${dir}...`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = {
    private: true,
    description: "Node's C headers for better-sqlite3's Node 24 addon (scripts/lib/node24.mjs).",
    dependencies: { node: NODE24_HEADERS_VERSION },
    allowScripts: { node: true },
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-package-lock'], log);
  if (!existsSync(path.join(headers, 'include', 'node', 'node_object_wrap.h')))
    throw new Error(`Node ${NODE24_HEADERS_VERSION} from the npm registry has no C headers under ${headers}`);
  writeFileSync(marker, `${NODE24_HEADERS_VERSION}\n`);
  return headers;
}

// `node scripts/lib/node24.mjs` installs it ahead (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { node } = await ensureNode24();
  process.stdout.write(`node ${NODE24_VERSION}: ${node}\n`);
}

// Installs `ray[default,serve]==<version>` from PyPI into the project-local virtualenv `.venv/ray-<version>`.
// pip's own cache makes a reinstall on a fresh clone fast; a finished install is marked so that later
// runs skip pip entirely.
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runQuiet as run } from './run-quiet.mjs';
import { venvDir } from './paths.mjs';

/**
 * Ray's extras the project needs: `default` (the dashboard and its State API) and `serve` (the Serve page's
 * integration test deploys real applications). Adding one here upgrades existing virtualenvs in place on
 * their next use.
 */
export const RAY_EXTRAS = ['default', 'serve'];

/**
 * Packages pinned beside Ray, by Ray version. Ray 2.52 requires only `protobuf>=3.20.3`, so pip takes
 * protobuf 7, which dropped `FieldDescriptor.label`: Ray 2.52's Serve controller then fails every deploy
 * with AttributeError (Ray 2.60 checks for `is_repeated`). See docs/ray-debugging-behaviour.md.
 * @param {string} version
 */
export function rayPins(version) {
  const [major, minor] = version.split('.').map(Number);
  return major === 2 && minor < 60 ? ['protobuf<7'] : [];
}

/** What a complete install of `version` has: `ray`, and a marker per part written once pip succeeded. */
function markers(dir) {
  return {
    // Holds only the version: older checkouts of this script read it so, and rebuild the venv otherwise.
    version: path.join(dir, '.ray-console-installed'),
    // The extras and pins installed (`default,serve;protobuf<7`); absent in venvs made before Serve was added.
    extras: path.join(dir, '.ray-console-extras'),
  };
}

const readOr = (file, fallback) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : fallback);

/**
 * Makes sure `.venv/ray-<version>` holds `ray[default,serve]==<version>` and returns the paths of its
 * `python` and `ray` executables. A venv of the right version that lacks an extra gets it added in place
 * (pip installs only what is missing, in seconds), rather than being rebuilt: other runs may be using it.
 * @param {string} version
 * @param {{ log?: (line: string) => void, python?: string }} [options]
 */
export async function ensureRayVenv(version, options = {}) {
  const dir = venvDir(version);
  const python = path.join(dir, 'bin', 'python');
  const ray = path.join(dir, 'bin', 'ray');
  const marker = markers(dir);
  const spec = `ray[${RAY_EXTRAS.join(',')}]==${version}`;
  const pins = rayPins(version);
  const wanted = [RAY_EXTRAS.join(','), ...pins].join(';');
  const pip = (log) =>
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', spec, ...pins], log).then(() =>
      writeFileSync(marker.extras, `${wanted}\n`),
    );
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  if (readOr(marker.version, '') === version && existsSync(ray)) {
    if (readOr(marker.extras, 'default') === wanted) return { dir, python, ray };
    log(`Adding ${[spec, ...pins].join(' ')} to ${dir} (once)...`);
    await pip(log);
    return { dir, python, ray };
  }
  log(`Installing ${spec} into ${dir} (once; later runs reuse it)...`);
  rmSync(dir, { recursive: true, force: true });
  await run(options.python ?? 'python3', ['-m', 'venv', dir], log);
  await pip(log);
  writeFileSync(marker.version, `${version}\n`);
  return { dir, python, ray };
}

// `node scripts/lib/ray-venv.mjs 2.60.0 2.52.0` installs those versions (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}`) {
  const versions = process.argv.slice(2);
  for (const v of versions) {
    const { dir } = await ensureRayVenv(v);
    process.stdout.write(`ray ${v}: ${dir}\n`);
  }
}

// Installs `ray[default]==<version>` from PyPI into the project-local virtualenv `.venv/ray-<version>`.
// pip's own cache makes a reinstall on a fresh clone fast; a finished install is marked so that later
// runs skip pip entirely.
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runQuiet as run } from './run-quiet.mjs';
import { venvDir } from './paths.mjs';

/**
 * Makes sure `.venv/ray-<version>` holds `ray[default]==<version>` and returns the paths of its
 * `python` and `ray` executables.
 * @param {string} version
 * @param {{ log?: (line: string) => void, python?: string }} [options]
 */
export async function ensureRayVenv(version, options = {}) {
  const dir = venvDir(version);
  const python = path.join(dir, 'bin', 'python');
  const ray = path.join(dir, 'bin', 'ray');
  const marker = path.join(dir, '.ray-console-installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === version && existsSync(ray)) {
    return { dir, python, ray };
  }
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  log(`Installing ray[default]==${version} into ${dir} (once; later runs reuse it)...`);
  rmSync(dir, { recursive: true, force: true });
  await run(options.python ?? 'python3', ['-m', 'venv', dir], log);
  await run(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `ray[default]==${version}`],
    log,
  );
  writeFileSync(marker, `${version}\n`);
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

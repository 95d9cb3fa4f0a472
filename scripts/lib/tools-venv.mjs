// Python tools the tests use that are not Ray: installed from PyPI, at pinned versions, into the
// project-local virtualenv `.venv/tools` (kept apart from the Ray virtualenvs, whose pins they must not
// disturb). A finished install is marked with the pins, so later runs skip pip unless a pin changes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runQuiet as run } from './run-quiet.mjs';
import { repoRoot } from './paths.mjs';

/** Every tool and its version; change a pin here and the next run reinstalls. */
export const TOOL_PINS = ['schemathesis==4.32.5'];

export const toolsVenvDir = path.join(repoRoot, '.venv', 'tools');

/**
 * Makes sure `.venv/tools` holds the pinned tools and returns the paths of its executables.
 * @param {{ log?: (line: string) => void, python?: string }} [options]
 * @returns {Promise<{ dir: string, python: string, st: string }>}
 */
export async function ensureToolsVenv(options = {}) {
  const dir = toolsVenvDir;
  const python = path.join(dir, 'bin', 'python');
  const st = path.join(dir, 'bin', 'st');
  const marker = path.join(dir, '.ray-console-installed');
  const wanted = TOOL_PINS.join('\n');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted && existsSync(st)) {
    return { dir, python, st };
  }
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  log(`Installing ${TOOL_PINS.join(', ')} into ${dir} (once; later runs reuse it)...`);
  rmSync(dir, { recursive: true, force: true });
  await run(options.python ?? 'python3', ['-m', 'venv', dir], log);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...TOOL_PINS], log);
  writeFileSync(marker, `${wanted}\n`);
  return { dir, python, st };
}

// `node scripts/lib/tools-venv.mjs` installs them ahead (used by .ci/run).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { dir } = await ensureToolsVenv();
  process.stdout.write(`tools (${TOOL_PINS.join(', ')}): ${dir}\n`);
}

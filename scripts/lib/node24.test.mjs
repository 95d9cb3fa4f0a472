import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addonAbi, placeBetterSqlite3Build } from './node24.mjs';
import { repoRoot } from './paths.mjs';

// A stand-in for node_modules/better-sqlite3 after `npm ci`: an "addon" that carries the registration
// symbol a real one exports (node_register_module_v<ABI>).
let packageDir;
const built = () => path.join(packageDir, 'build', 'Release', 'better_sqlite3.node');
const slot = (abi) =>
  path.join(packageDir, 'lib', 'binding', `node-v${abi}-${process.platform}-${process.arch}`, 'better_sqlite3.node');

beforeEach(() => {
  packageDir = mkdtempSync(path.join(os.tmpdir(), 'better-sqlite3-test-'));
  mkdirSync(path.dirname(built()), { recursive: true });
  writeFileSync(built(), '\x7fELF...node_register_module_v115\0...');
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

describe('placeBetterSqlite3Build', () => {
  it("moves npm's build to the folder of its ABI, where only the Node it was built for looks", () => {
    placeBetterSqlite3Build(packageDir);
    expect(existsSync(built())).toBe(false);
    expect(readFileSync(slot('115'), 'latin1')).toContain('node_register_module_v115');
  });

  it('does nothing the second time', () => {
    placeBetterSqlite3Build(packageDir);
    placeBetterSqlite3Build(packageDir);
    expect(addonAbi(slot('115'))).toBe('115');
  });

  it('refuses a file that is not a Node addon', () => {
    writeFileSync(built(), 'not an addon');
    expect(() => placeBetterSqlite3Build(packageDir)).toThrow(/no node_register_module_v<ABI> symbol/);
    expect(existsSync(built())).toBe(true);
  });
});

describe('addonAbi', () => {
  it("reads the ABI of the machine's own better-sqlite3 build", () => {
    // Where npm ci leaves it, or where placeBetterSqlite3Build has moved it.
    const real = path.join(repoRoot, 'node_modules', 'better-sqlite3');
    const folder = `node-v${process.versions.modules}-${process.platform}-${process.arch}`;
    const file = [path.join(real, 'build', 'Release'), path.join(real, 'lib', 'binding', folder)]
      .map((dir) => path.join(dir, 'better_sqlite3.node'))
      .find((f) => existsSync(f));
    expect(addonAbi(file)).toBe(process.versions.modules);
  });
});

import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SecretVolume {
  /** The mount folder. */
  dir: string;
  /** `<dir>/auth_token`: what a console's `tokenFile` names. */
  file: string;
  /**
   * Replaces the content the way the kubelet updates a mounted Secret: a new timestamped folder,
   * `..data_tmp` pointing at it renamed over `..data` (atomic), the old folder removed. `undefined`
   * leaves the key out of the new folder (the key was removed from the Secret).
   */
  rotate(content: string | undefined): void;
  remove(): void;
}

/**
 * A Secret volume laid out as the kubelet's AtomicWriter lays it out: the data in `..<timestamp>`,
 * `..data` a symlink to that folder, and each key a symlink to `..data/<key>`.
 */
export function secretVolume(content: string, key = 'auth_token'): SecretVolume {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secret-volume-'));
  let generation = 0;
  const writeGeneration = (value: string | undefined) => {
    generation += 1;
    const ts = `..2026_11_30_19_00_${String(generation).padStart(2, '0')}.${process.pid}`;
    mkdirSync(path.join(dir, ts), { mode: 0o755 });
    if (value !== undefined) writeFileSync(path.join(dir, ts, key), value, { mode: 0o644 });
    return ts;
  };
  let current = writeGeneration(content);
  symlinkSync(current, path.join(dir, '..data'));
  symlinkSync(path.join('..data', key), path.join(dir, key));
  return {
    dir,
    file: path.join(dir, key),
    rotate(value) {
      const previous = current;
      current = writeGeneration(value);
      symlinkSync(current, path.join(dir, '..data_tmp'));
      renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
      rmSync(path.join(dir, previous), { recursive: true });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretVolume as makeVolume } from '../../test/support/secret-volume.js';
import { waitFor } from '../../test/support/wait.js';
import { TokenFileWatch, type TokenFileEvent } from './token-file-watch.js';

// The watch against the real file system (inotify here): the three ways a token file changes, a bad
// content that must not replace the good token, and a burst of changes read once. Nothing waits on time:
// each test waits until the watch reports what it must.

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);
const NEWER = 'c'.repeat(64);

const watches: TokenFileWatch[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const w of watches.splice(0)) w.close();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'token-file-watch-'));
  folders.push(dir);
  return dir;
}

/** A Secret volume (see support/secret-volume.ts), removed after the test. */
function secretVolume(content: string) {
  const volume = makeVolume(content);
  folders.push(volume.dir);
  return volume;
}

function watchOf(file: string, initial: string): { watch: TokenFileWatch; events: TokenFileEvent[] } {
  const events: TokenFileEvent[] = [];
  // A long recheck: only file events may bring the changes these tests make.
  const watch = new TokenFileWatch(file, initial, { recheckMs: 3_600_000, onEvent: (e) => events.push(e) });
  watches.push(watch);
  return { watch, events };
}

describe('TokenFileWatch', () => {
  it('follows a Kubernetes Secret rotation (the ..data symlink swapped), twice', async () => {
    const volume = secretVolume(`${OLD}\n`);
    const { watch, events } = watchOf(volume.file, OLD);
    volume.rotate(`${NEW}\n`);
    await waitFor('the rotated token', () => watch.token === NEW);
    // The one before is kept (a head not restarted yet still takes it) until the head took the new one.
    expect(watch.previous).toBe(OLD);
    watch.forgetPrevious();
    expect(watch.previous).toBeUndefined();
    volume.rotate(NEWER);
    await waitFor('the second rotation', () => watch.token === NEWER);
    expect(watch.previous).toBe(NEW);
    expect(events).toEqual([{ kind: 'changed' }, { kind: 'changed' }]);
    expect(watch.problem).toBeUndefined();
  });

  it('follows a file renamed over the path, and a write in place', async () => {
    const dir = folder();
    const file = path.join(dir, 'token');
    writeFileSync(file, OLD);
    const { watch } = watchOf(file, OLD);
    writeFileSync(path.join(dir, 'token.tmp'), NEW);
    renameSync(path.join(dir, 'token.tmp'), file);
    await waitFor('the renamed-over token', () => watch.token === NEW);
    writeFileSync(file, `  ${NEWER}\r\n`);
    await waitFor('the token written in place', () => watch.token === NEWER);
  });

  it('keeps the last good token while the file is empty, missing or not a token, says why, and recovers', async () => {
    const dir = folder();
    const file = path.join(dir, 'token');
    writeFileSync(file, OLD);
    const { watch, events } = watchOf(file, OLD);

    writeFileSync(file, '');
    await waitFor('the empty file reported', () => watch.problem?.kind === 'empty');
    expect(watch.token).toBe(OLD);
    expect(watch.problem?.problem).toBe(`the token file ${file} is empty; put the cluster's token in it.`);

    unlinkSync(file);
    await waitFor('the missing file reported', () => watch.problem?.kind === 'missing');
    expect(watch.token).toBe(OLD);

    writeFileSync(file, `${NEW}\n${NEW}`);
    await waitFor('the two-line file reported', () => watch.problem?.kind === 'invalid');
    expect(watch.token).toBe(OLD);
    expect(events.map((e) => e.kind)).toEqual(['problem', 'problem', 'problem']);
    expect(JSON.stringify(events)).not.toContain(NEW);

    // Fixed with the same token: recovered; then a new one: changed.
    writeFileSync(file, OLD);
    await waitFor('the problem cleared', () => watch.problem === undefined);
    expect(events.at(-1)).toEqual({ kind: 'recovered' });
    writeFileSync(file, NEW);
    await waitFor('the new token', () => watch.token === NEW);
    expect(events.at(-1)).toEqual({ kind: 'changed' });
  });

  it('reads a burst of changes once, after it ends, and ends with the last content', async () => {
    const volume = secretVolume(OLD);
    const { watch, events } = watchOf(volume.file, OLD);
    // All in one synchronous run: every event reaches the watch after the last change, so the debounce
    // folds them into one read whatever the machine's speed.
    volume.rotate('');
    volume.rotate(NEW);
    volume.rotate(NEWER);
    await waitFor('the last token of the burst', () => watch.token === NEWER);
    expect(events).toEqual([{ kind: 'changed' }]);
  });

  it('reads the file again on request (a rejected token), and stops reporting once closed', async () => {
    const dir = folder();
    const file = path.join(dir, 'token');
    writeFileSync(file, OLD);
    const { watch, events } = watchOf(file, OLD);
    watch.close();
    writeFileSync(file, NEW);
    await watch.reload();
    expect(watch.token).toBe(OLD);
    expect(events).toEqual([]);
    const fresh = watchOf(file, OLD);
    await fresh.watch.reload();
    expect(fresh.watch.token).toBe(NEW);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'shell-quote';
import { expect } from 'vitest';

/**
 * The words bash makes of a command a user may paste, found by bash itself without running anything the
 * command might smuggle in. The programs the console's commands call (`kubectl`, `base64`) are shell
 * functions that print their words NUL-separated; everything else has nowhere to come from: the shell is
 * restricted (`bash -r`: no output redirection, no command names with a slash, no changing PATH), PATH
 * is an empty folder, and the working folder is empty too (so a glob matches nothing it could run). A
 * `$(id)` that escaped its quotes is then parsed and expanded but finds no `id` to run. `--norc`:
 * bash reads ~/.bashrc even with `-c` when stdin is a socket, which is how Node passes `input`.
 */
export function bashWords(command: string): { words: string[]; stderr: string; status: number | null } {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'shell-words-'));
  const script = [
    // A pipeline stage prints the words it was given after those of the stage before it, with a `|` between.
    `kubectl() { printf '%s\\0' kubectl "$@"; }`,
    `base64() { while IFS= read -r -d '' w; do printf '%s\\0' "$w"; done; printf '%s\\0' '|' base64 "$@"; }`,
    command,
  ].join('\n');
  const result = spawnSync('/bin/bash', ['--norc', '--noprofile', '-r', '-c', script], {
    cwd: empty,
    env: { PATH: empty, LC_ALL: 'C' },
    input: '',
    encoding: 'utf8',
    timeout: 10_000,
  });
  const words = result.stdout.split('\0');
  words.pop();
  return { words, stderr: result.stderr, status: result.status };
}

/**
 * Asserts that a command parses, with shell-quote and with bash, as exactly `stages` (the words of each
 * program of a pipeline) and nothing else: one command that does what it says.
 */
export function expectCommand(command: string | undefined, stages: string[][]): void {
  expect(command, 'a command').toBeTypeOf('string');
  const text = command ?? '';
  const expected = stages.flatMap((words, i) => (i === 0 ? words : ['|', ...words]));
  const parsed = parse(text).map((entry) => (typeof entry === 'string' ? entry : 'op' in entry ? entry.op : entry));
  expect(parsed, `shell-quote's parse of ${text}`).toEqual(expected);
  const bash = bashWords(text);
  expect(bash.stderr, `bash's errors for ${text}`).toBe('');
  expect(bash.status).toBe(0);
  expect(bash.words, `bash's words for ${text}`).toEqual(expected);
}

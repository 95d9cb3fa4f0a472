import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'shell-quote';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSubmitRequest } from '@ray-console/shared';
import { entrypointWords, rayJobSubmitCommand } from './cli-command';

// A pasted command must be exactly one command, with exactly the words we meant: checked with
// shell-quote's parser and with real shells, where `ray` is a function that prints its arguments
// (NUL-separated, so a newline inside a word stays visible) and nothing in the line may run.

const scratch = mkdtempSync(path.join(os.tmpdir(), 'cli-command-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `command` in `shell` with `ray` defined as a function; returns RAY_AUTH_MODE and the arguments `ray` got. */
function wordsInShell(shell: string, command: string): string[] {
  const script = `ray() { printf '%s\\0' "$RAY_AUTH_MODE" "$@"; }\n${command}\n`;
  const out = execFileSync(shell, ['-c', script], { cwd: scratch, env: { PATH: process.env.PATH ?? '' } });
  return out.toString('utf8').split('\0').slice(0, -1);
}

const SHELLS = ['/bin/bash', '/bin/sh'].filter((s) => existsSync(s));

/** The words `ray` must receive (after RAY_AUTH_MODE), given the options in between. */
const expected = (address: string, options: string[], entrypoint: string) => [
  'token',
  'job',
  'submit',
  '--address',
  address,
  ...options,
  '--',
  ...entrypointWords(entrypoint),
];

function expectExactWords(command: string, words: string[]): void {
  // shell-quote's parser: one list of plain words, no operators, globs or comments.
  expect(parse(command)).toEqual(['RAY_AUTH_MODE=token', 'ray', ...words.slice(1)]);
  for (const shell of SHELLS) expect(wordsInShell(shell, command), shell).toEqual(words);
  // Nothing the command holds ran: the canaries would have made files here.
  expect(readdirSync(scratch)).toEqual([]);
}

const HOSTILE_ENTRYPOINTS = [
  'python train.py; touch pwned-semicolon',
  'python train.py $(touch pwned-subst)',
  'python train.py `touch pwned-backtick`',
  'python train.py | touch pwned-pipe',
  'python train.py && touch pwned-and',
  'python train.py\ntouch pwned-newline',
  "python -c 'print(\"it'\\''s\")' > out.txt 2>&1 &",
  'echo "$HOME" ${PATH} !! !$ ~ *.py # comment',
  'echo \\ back\\slash \t tab\r\ncrlf',
  "it's 'quoted' \"double\"",
  '  leading and trailing spaces  ',
  'ünïcödé 日本語 ✓',
];

describe('Copy as CLI', () => {
  it('builds the ray job submit line with every field and no token', () => {
    const request: JobSubmitRequest = {
      entrypoint: 'python train.py --epochs 3',
      submissionId: 'nightly_1',
      runtimeEnv: { env_vars: { MODE: "it's fast" }, working_dir: 'gcs://_ray_pkg_abc.zip' },
      metadata: { team: 'ml' },
      entrypointNumCpus: 0.5,
      entrypointResources: { widget: 1 },
    };
    const line = rayJobSubmitCommand(request, 'http://ray-head:8265');
    expectExactWords(
      line,
      expected(
        'http://ray-head:8265',
        [
          '--submission-id',
          'nightly_1',
          '--runtime-env-json',
          JSON.stringify(request.runtimeEnv),
          '--metadata-json',
          '{"team":"ml"}',
          '--entrypoint-num-cpus',
          '0.5',
          '--entrypoint-resources',
          '{"widget":1}',
        ],
        request.entrypoint,
      ),
    );
    // A plain command keeps its words, so Ray's CLI joins them back into the same string.
    expect(line).toMatch(/ -- python train\.py --epochs 3$/);
  });

  it('leaves out what the job does not set', () => {
    expect(rayJobSubmitCommand({ entrypoint: 'echo hi' }, 'http://h:8265')).toBe(
      'RAY_AUTH_MODE=token ray job submit --address http://h:8265 -- echo hi',
    );
  });

  it.each(HOSTILE_ENTRYPOINTS)('pastes as one command with the intended words, running nothing: %j', (entrypoint) => {
    const command = rayJobSubmitCommand({ entrypoint }, 'http://h:8265');
    expect(entrypointWords(entrypoint)).toEqual(['sh', '-c', entrypoint]);
    expectExactWords(command, expected('http://h:8265', [], entrypoint));
  });

  it('quotes every other field too: submission id, JSON options and the address', () => {
    const nasty = "x'; touch pwned-field; echo '$(touch pwned-field2)\n";
    const request: JobSubmitRequest = {
      entrypoint: 'echo hi',
      submissionId: 'ok_id',
      runtimeEnv: { env_vars: { A: nasty } },
      metadata: { note: nasty },
      entrypointLabelSelector: { zone: nasty },
    };
    const address = 'http://h:8265/$(touch pwned-address)';
    expectExactWords(
      rayJobSubmitCommand(request, address),
      expected(
        address,
        [
          '--submission-id',
          'ok_id',
          '--runtime-env-json',
          JSON.stringify(request.runtimeEnv),
          '--metadata-json',
          JSON.stringify(request.metadata),
          '--entrypoint-label-selector',
          JSON.stringify(request.entrypointLabelSelector),
        ],
        request.entrypoint,
      ),
    );
  });
});

describe('the entrypoint Ray builds from the words', () => {
  // Ray 2.60's CLI joins the words after `--` with Python's shlex.join (2.52's with list2cmdline), and
  // the head runs the result with /bin/sh. A plain command comes back as the same string; anything
  // else reaches Ray as `sh -c '<entrypoint>'`, which sh runs as the entrypoint itself.
  const join = (fn: 'shlex.join' | 'subprocess.list2cmdline', words: string[]) =>
    execFileSync(
      'python3',
      ['-c', `import json, shlex, subprocess, sys; sys.stdout.write(${fn}(json.load(sys.stdin)))`],
      {
        input: JSON.stringify(words),
      },
    ).toString('utf8');

  it('is the same string for a plain command, with either join', () => {
    for (const entrypoint of ['python train.py --epochs 3', 'FOO=1 python -m pkg.mod --lr=0.1 a,b:c@d%e+f']) {
      const words = entrypointWords(entrypoint);
      expect(words).not.toContain('sh');
      expect(join('shlex.join', words)).toBe(entrypoint);
      expect(join('subprocess.list2cmdline', words)).toBe(entrypoint);
    }
  });

  it('runs like the entrypoint itself under sh, for any other (shlex.join)', () => {
    for (const entrypoint of [
      'echo "a;b" && echo $((1+2)) | tr 3 4',
      "printf '%s\\n' \"it's\" `echo tick`\necho second line",
    ]) {
      const joined = join('shlex.join', entrypointWords(entrypoint));
      const run = (s: string) => execFileSync('/bin/sh', ['-c', s], { cwd: scratch }).toString('utf8');
      expect(run(joined)).toBe(run(entrypoint));
    }
  });
});

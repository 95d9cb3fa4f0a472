import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { waitFor } from './wait.js';

/** A server process a test started: its last output (for failure messages), and its exit. */
export interface WatchedProcess {
  proc: ChildProcess;
  /** The last `keep` characters it wrote to stdout and stderr. */
  output(): string;
  /** Resolves once it has exited. */
  exited: Promise<void>;
  /**
   * Waits until `ready` says so; fails at once, with the process's last output, if it exits first
   * (a port taken, a bad flag) instead of waiting out the timeout.
   */
  waitReady(
    what: string,
    ready: () => boolean | Promise<boolean>,
    options: { timeoutMs: number; intervalMs: number },
  ): Promise<void>;
}

/** Spawns a server for a test (stdout and stderr piped and kept), watching for an early exit. */
export function spawnWatched(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
  keep = 4000,
): WatchedProcess {
  const proc = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-keep));
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  return {
    proc,
    output: () => output,
    exited,
    waitReady: async (what, ready, waitOptions) => {
      await waitFor(what, async () => gone || (await ready()), waitOptions);
      if (gone) throw new Error(`${what}: the process exited:\n${output}`);
    },
  };
}

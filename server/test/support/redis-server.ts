import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';

const plainClient = (url: string) => createClient({ url });
type PlainClient = ReturnType<typeof plainClient>;
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import { spawnWatched } from './watched-process.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Its data folder (the append-only file lives here). */
  dir: string;
  /** Stops it as an orchestrator would (SIGTERM: Redis flushes its append-only file and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data folder. */
  start(): Promise<void>;
  /** A plain client for looking at raw keys. */
  raw(): Promise<PlainClient>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * A private redis-server (Debian's /usr/bin/redis-server) on a free loopback port, with a temp data
 * folder and `appendonly yes`, the persistence production would use, so a restart keeps the sessions.
 * Never a system service: every test gets its own and stops it in teardown.
 */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const clients: PlainClient[] = [];
  const url = `redis://127.0.0.1:${port}`;

  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
    ];
    const server = spawnWatched('redis-server', args, {});
    child = server.proc;
    exited = server.exited;
    await server.waitReady(`redis-server on ${url}`, () => server.output().includes('Ready to accept connections'), {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
  };

  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    port,
    dir,
    stop,
    start,
    raw: async () => {
      const c = plainClient(url);
      await c.connect();
      clients.push(c);
      return c;
    },
    dispose: async () => {
      for (const c of clients.splice(0)) c.destroy();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

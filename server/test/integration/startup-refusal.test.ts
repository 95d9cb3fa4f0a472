import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import { buildServer, startBffProcess } from '../support/bff-process.js';

// The real built server refuses to start, exit code 2, with a message that says exactly what to fix,
// when the data folder is not writable or the configuration is wrong. Nothing is listening afterwards.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECRET = 'startup-test-secret-0123456789abcdef0123';
let scratch: string;

beforeAll(() => {
  buildServer();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ray-console-startup-'));
  chmodSync(scratch, 0o755);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `node server/dist/index.js` with exactly this environment until it exits (or fails the test). */
function runServer(env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'server', 'dist', 'index.js')], {
      cwd: scratch,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within 30 s; it should have refused to start.\n${stdout}\n${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the console refuses to start, and says what to fix', () => {
  it('lists every bad key at once', async () => {
    const result = await runServer({
      PORT: 'eighty',
      SESSION_SECRET: 'too-short',
      SESSION_STORE: 'mysql://db:3306/sessions',
      SESSION_IDLE_MINUTES: '-5',
      TRUST_PROXY: 'yes',
      RAY_DASHBOARD_URL: 'ftp://ray-head:8265',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Ray Console cannot start; fix the configuration:');
    for (const key of [
      'PORT',
      'SESSION_SECRET',
      'SESSION_STORE',
      'SESSION_IDLE_MINUTES',
      'TRUST_PROXY',
      'RAY_DASHBOARD_URL',
    ]) {
      expect(result.stderr).toMatch(new RegExp(`^  - ${key}: `, 'm'));
    }
    // Each line says what to put instead.
    expect(result.stderr).toContain('PORT: Use a whole number from 0 to 65535.');
    expect(result.stderr).toContain('SESSION_IDLE_MINUTES: Use a number above 0');
    expect(result.stderr).toContain('SESSION_SECRET: every secret must be at least 32 characters long.');
    expect(result.stderr).toContain('redis://');
  });

  it('refuses a malformed Redis URL before trying to connect', async () => {
    const result = await runServer({
      SESSION_SECRET: SECRET,
      SESSION_STORE: 'redis://:secret-password@/sessions/extra',
      DATA_DIR: path.join(scratch, 'data-malformed-redis'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SESSION_STORE: use redis:\/\/\[:password@\]host:6379/);
    expect(result.stderr).not.toContain('secret-password');
  });

  it('names the Redis it cannot reach, without the password in the URL', async () => {
    const port = await freePort();
    const result = await runServer({
      SESSION_SECRET: SECRET,
      SESSION_STORE: `redis://:hunter2-redis-password@127.0.0.1:${port}`,
      DATA_DIR: path.join(scratch, 'data-redis-down'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Ray Console cannot start: Redis at 127.0.0.1:${port} (SESSION_STORE)`);
    expect(result.stderr).toContain('Start Redis, or fix SESSION_STORE');
    expect(result.stderr + result.stdout).not.toContain('hunter2-redis-password');
  });

  it('names the address it cannot listen on when the port is taken', async () => {
    // Another process holds the port (on a shared machine, one that took it between choosing and binding).
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const result = await runServer({
        SESSION_SECRET: SECRET,
        DATA_DIR: path.join(scratch, 'data-port-taken'),
        PORT: String(port),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Ray Console cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
      expect(result.stderr).not.toContain('TypeError');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('refuses a data folder it cannot write to, and names it', async () => {
    const readOnly = path.join(scratch, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    // root writes anywhere regardless of mode, so as root the server runs as `nobody`, like a
    // container's unprivileged user facing a volume it does not own.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await runServer({ SESSION_SECRET: SECRET, DATA_DIR: readOnly }, asUser);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the data folder ${readOnly} is not writable (EACCES)`);
    expect(result.stderr).toContain('point DATA_DIR at a folder that is');
  });

  it('refuses a SQLite session file in a folder it cannot create', async () => {
    const file = path.join(scratch, 'not-a-folder');
    // A regular file where the session file's folder should be.
    writeFileSync(file, '');
    const result = await runServer({
      SESSION_SECRET: SECRET,
      DATA_DIR: path.join(scratch, 'data-ok'),
      SESSION_STORE: `sqlite:${path.join(file, 'sessions.db')}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `the session store ${path.join(file, 'sessions.db')} (SESSION_STORE) cannot be opened`,
    );
  });

  it('refuses an upload folder it cannot make, and names it', async () => {
    const file = path.join(scratch, 'not-an-upload-folder');
    writeFileSync(file, '');
    const uploads = path.join(file, 'uploads');
    const result = await runServer({
      SESSION_SECRET: SECRET,
      DATA_DIR: path.join(scratch, 'data-ok'),
      UPLOAD_DIR: uploads,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the upload folder ${uploads} is not writable (ENOTDIR)`);
    expect(result.stderr).toContain('point UPLOAD_DIR at a folder that is');
  });
});

describe('the console starts, and warns about a setting that leaves a gap', () => {
  it('warns when TRUST_PROXY is set without an https PUBLIC_URL, and not when both are set', async () => {
    const base = { SESSION_SECRET: SECRET, DATA_DIR: path.join(scratch, 'data-warn'), TRUST_PROXY: '1' };
    const warned = await startBffProcess(base);
    await warned.stop();
    const line = warned.logs.find((l) => l.includes('TRUST_PROXY is set but PUBLIC_URL is not an https:// URL'));
    expect(line, warned.logs.join('\n')).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 40 });

    const quiet = await startBffProcess({ ...base, PUBLIC_URL: 'https://ray-console.example.com' });
    await quiet.stop();
    expect(quiet.logs.join('\n')).not.toContain('TRUST_PROXY is set');
  });
});

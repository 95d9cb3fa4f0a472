import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKeycloak } from '../../../scripts/lib/keycloak.mjs';
import { freePort } from '../../../scripts/lib/ray-head.mjs';
import { waitFor } from './wait.js';
import { spawnWatched, type WatchedProcess } from './watched-process.js';

const realmFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'keycloak',
  'realm-ray-console.json',
);

/** The realm the tests sign in to (server/test/keycloak/realm-ray-console.json). */
export const REALM = 'ray-console';

/** The realm's people: username, password, and what the ID token says about them. */
export const TEST_USERS = {
  alice: {
    username: 'alice',
    password: 'alice-test-password',
    email: 'alice@example.test',
    name: 'Alice Anders',
    groups: ['team-a'],
  },
  bob: {
    username: 'bob',
    password: 'bob-test-password',
    email: 'bob@example.test',
    name: 'Bob Berg',
    groups: ['team-b'],
  },
  carol: {
    username: 'carol',
    password: 'carol-test-password',
    email: 'carol@example.test',
    name: 'Carol Chen',
    groups: ['platform-admins'],
  },
} as const;
export type TestUserName = keyof typeof TEST_USERS;
export type TestUser = (typeof TEST_USERS)[TestUserName];

/** The realm's clients: a confidential one and a public one (PKCE) for the console, and an unrelated app. */
export const TEST_CLIENTS = {
  confidential: { clientId: 'ray-console', clientSecret: 'ray-console-test-secret' },
  public: { clientId: 'ray-console-public' },
  other: { clientId: 'other-app' },
} as const;

/** What a vitest global setup hands to the test files (`inject('keycloak')`): plain data. */
export interface KeycloakInfo {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The realm's issuer URL, what OIDC_ISSUER_URL is set to: `${url}/realms/ray-console`. */
  issuer: string;
  /** The master realm's bootstrap admin password (user `admin`), for the admin REST API. */
  adminPassword: string;
}

export interface KeycloakAdmin {
  /** A master-realm admin token for Keycloak's admin REST API (fresh at each call). */
  adminToken(): Promise<string>;
  /**
   * Calls the admin REST API of the test realm: `admin('GET', '/keys')` → /admin/realms/ray-console/keys;
   * `admin('POST', '', realm)` → /admin/realms.
   */
  admin(method: string, realmPath: string, body?: unknown): Promise<Response>;
}

export interface TestKeycloak extends KeycloakInfo, KeycloakAdmin {
  /** Plain data for `project.provide`. */
  info(): KeycloakInfo;
  /** The last lines Keycloak printed (for failure messages). */
  output(): string;
  /** Stops it (SIGTERM to the process group it started) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (a fresh in-memory database, the realm imported again). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

const ADMIN_USER = 'admin';

/** The admin REST API of a running test Keycloak. */
export function keycloakAdmin(url: string, adminPassword: string): KeycloakAdmin {
  const adminToken = async (): Promise<string> => {
    const res = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: ADMIN_USER,
        password: adminPassword,
      }),
    });
    if (!res.ok) throw new Error(`Keycloak admin sign-in answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const admin = async (method: string, realmPath: string, body?: unknown): Promise<Response> =>
    fetch(`${url}/admin/realms${realmPath === '' ? '' : `/${REALM}${realmPath}`}`, {
      method,
      headers: {
        authorization: `Bearer ${await adminToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { adminToken, admin };
}

/** Connects to the Keycloak a global setup started (`connectKeycloak(inject('keycloak'))`). */
export function connectKeycloak(info: KeycloakInfo): KeycloakInfo & KeycloakAdmin {
  return { ...info, ...keycloakAdmin(info.url, info.adminPassword) };
}

/**
 * A real Keycloak (installed by scripts/lib/keycloak.mjs into the cache) on a free loopback port, in
 * production mode with an in-memory database and a local cache (no cluster discovery), its heap capped at
 * 512 MiB, its own home folder (symlinks to the install, its own `data/`), and the `ray-console` realm
 * imported through the admin REST API from server/test/keycloak/realm-ray-console.json. Waits until the
 * realm's discovery document answers. Startup takes 20-60 s on a busy machine.
 */
export async function startKeycloak(
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<TestKeycloak> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const install = await ensureKeycloak({ log });
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ray-console-keycloak-'));
  // kc.sh finds its home from its own path (readlink -f), so a copy in our folder makes the folder the
  // home: its `data/` (transaction logs, temp files) is ours, the read-only parts are the shared install.
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(install.home, 'bin', 'kc.sh'), path.join(dir, 'bin', 'kc.sh'));
  for (const part of ['lib', 'conf', 'providers', 'themes'])
    symlinkSync(path.join(install.home, part), path.join(dir, part));
  const adminPassword = randomBytes(12).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/realms/${REALM}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let server: WatchedProcess | undefined;

  const { adminToken, admin } = keycloakAdmin(url, adminPassword);

  const start = async () => {
    const args = [
      'start',
      '--optimized',
      '--http-enabled=true',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      '--hostname-strict=false',
    ];
    mkdirSync(path.join(dir, 'data', 'tmp'), { recursive: true });
    server = spawnWatched(
      path.join(dir, 'bin', 'kc.sh'),
      args,
      {
        cwd: dir,
        detached: true,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          JAVA_HOME: install.javaHome,
          JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m',
          JAVA_OPTS_APPEND: `-Djava.io.tmpdir=${path.join(dir, 'data', 'tmp')}`,
          KC_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USER,
          KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        },
      },
      8000,
    );
    child = server.proc;
    exited = server.exited;
    await server.waitReady(
      `Keycloak on ${url}`,
      async () => (await fetch(`${url}/realms/master/.well-known/openid-configuration`)).ok,
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    const realm: unknown = JSON.parse(readFileSync(realmFile, 'utf8'));
    const created = await admin('POST', '', realm);
    if (created.status !== 201)
      throw new Error(`Importing the realm answered ${created.status}: ${await created.text()}`);
    await waitFor(`the ${REALM} realm's discovery document`, async () => {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      return res.ok;
    });
  };

  const stop = async () => {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    // The process group we started: kc.sh and the JVM it runs.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  };

  try {
    await start();
  } catch (err) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    port,
    issuer,
    adminPassword,
    info: () => ({ url, port, issuer, adminPassword }),
    adminToken,
    admin,
    output: () => server?.output() ?? '',
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

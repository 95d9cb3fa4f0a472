import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, newRayToken, startRayHead, type RayHead } from '../../../scripts/lib/ray-head.mjs';
import { BffClient } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { writeClustersConfig } from '../support/clusters-config.js';

// A cluster whose head changes under a signed-in session: auth switched on, then the token replaced
// (the cluster re-created). This file starts a head of its own on a fixed dashboard port and restarts
// it; the shared head is a second cluster in the same session that must not be affected.
// The steps build on each other, in order.

const shared = inject('rayHead');
const HEAD_START_MS = 240_000;

let port: number;
let own: RayHead | undefined;
let bff: RunningBff;
let client: BffClient;

interface Summary {
  id: string;
  authMode: string;
  signedIn: boolean;
  signOutReason?: string;
}

const errorCode = (res: { json<T>(): T }) => res.json<{ error: { code: string; message: string } }>().error.code;
const summary = async (id: string) => (await client.get('/api/clusters')).json<Summary[]>().find((c) => c.id === id);

/** (Re)starts this file's head on the same dashboard port, as a re-created cluster keeps its address. */
async function restartOwnHead(options: { authMode: 'token' | 'disabled'; token?: string }): Promise<RayHead> {
  await own?.stop();
  own = await startRayHead({ version: shared.version, dashboardPort: port, numCpus: 1, resources: {}, ...options });
  return own;
}

beforeAll(async () => {
  port = await freePort();
  const config = writeClustersConfig([
    { id: 'own', displayName: 'Restarted cluster', dashboardUrl: `http://127.0.0.1:${port}` },
    { id: 'shared', displayName: 'Shared cluster', dashboardUrl: shared.dashboardUrl },
  ]);
  bff = await startBff({ RAY_CONSOLE_CONFIG: config, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  client = new BffClient(bff.url);
});

afterAll(async () => {
  await own?.stop();
  await bff?.close();
});

describe('a head that changes under a signed-in session', () => {
  it(
    'with auth disabled: sign-in with an empty token succeeds, authMode "disabled"',
    { timeout: HEAD_START_MS },
    async () => {
      const head = await restartOwnHead({ authMode: 'disabled' });
      // Ray with auth off: the mode route says so (and clears a stale cookie), and any token or none is accepted.
      const mode = await fetch(`${head.dashboardUrl}/api/authentication_mode`);
      expect(await mode.json()).toEqual({ authentication_mode: 'disabled' });
      expect(mode.headers.getSetCookie()).toEqual([expect.stringMatching(/^ray-authentication-token="";.*Max-Age=0/)]);
      expect((await fetch(`${head.dashboardUrl}/api/version`)).status).toBe(200);
      expect(
        (await fetch(`${head.dashboardUrl}/api/version`, { headers: { authorization: 'Bearer wrong' } })).status,
      ).toBe(200);
      // What the console says about it, before anyone signed in.
      expect(await summary('own')).toMatchObject({ authMode: 'disabled', signedIn: false });
      const login = await client.login('own', '');
      expect(login.status).toBe(200);
      expect(login.json()).toEqual({ id: 'own', rayVersion: head.version, authMode: 'disabled' });
      expect(await summary('own')).toMatchObject({ authMode: 'disabled', signedIn: true });
      expect((await client.get('/api/clusters/own/resources')).status).toBe(200);
      // Ray ignores any token when auth is off, and so does the console: nothing is kept.
      const withToken = await client.login('own', 'some-token');
      expect(withToken.status).toBe(200);
      expect(withToken.json()).toMatchObject({ authMode: 'disabled' });
      expect((await client.login('shared', shared.token)).status).toBe(200);
    },
  );

  it(
    'restarted with token auth: the next call is 401 token_missing and the cluster is signed out',
    { timeout: HEAD_START_MS },
    async () => {
      await restartOwnHead({ authMode: 'token', token: newRayToken() });
      const res = await client.get('/api/clusters/own/resources');
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('token_missing');
      expect(await summary('own')).toMatchObject({
        signedIn: false,
        signOutReason: 'token_missing',
        authMode: 'token',
      });
      const next = await client.get('/api/clusters/own/resources');
      expect(next.status).toBe(401);
      expect(errorCode(next)).toBe('signed_out');
      expect((await client.get('/api/clusters/shared/resources')).status).toBe(200);
    },
  );

  it(
    're-created with another token: 403 token_rejected, signed out with that reason; the other cluster stays signed in',
    { timeout: HEAD_START_MS },
    async () => {
      const first = own!;
      const login = await client.login('own', first.token);
      expect(login.status).toBe(200);
      expect(login.json()).toMatchObject({ authMode: 'token' });
      expect(await summary('own')).toMatchObject({ signedIn: true, authMode: 'token' });
      expect((await summary('own'))?.signOutReason).toBeUndefined();
      expect((await client.get('/api/clusters/own/resources')).status).toBe(200);

      const second = await restartOwnHead({ authMode: 'token', token: newRayToken() });
      expect(second.token).not.toBe(first.token);
      expect(second.dashboardUrl).toBe(first.dashboardUrl);

      const rejected = await client.get('/api/clusters/own/resources');
      expect(rejected.status).toBe(403);
      expect(errorCode(rejected)).toBe('token_rejected');
      expect(await summary('own')).toMatchObject({ signedIn: false, signOutReason: 'token_rejected' });
      const next = await client.get('/api/clusters/own/resources');
      expect(next.status).toBe(401);
      expect(errorCode(next)).toBe('signed_out');
      expect(next.json<{ error: { message: string } }>().error.message).toMatch(/rejected/);

      // The shared head, in the same session, is untouched.
      expect((await client.get('/api/clusters/shared/resources')).status).toBe(200);
      expect(await summary('shared')).toMatchObject({ signedIn: true });
      const session = (await client.get('/api/session')).json<{ clusters: { id: string }[] }>();
      expect(session.clusters.map((c) => c.id)).toEqual(['shared']);

      // The old token is refused at sign-in too; the new one works and clears the reason.
      expect((await client.login('own', first.token)).status).toBe(403);
      expect((await client.login('own', second.token)).status).toBe(200);
      expect(await summary('own')).toMatchObject({ signedIn: true });
      expect((await summary('own'))?.signOutReason).toBeUndefined();
      expect((await client.get('/api/clusters/own/resources')).status).toBe(200);
    },
  );
});

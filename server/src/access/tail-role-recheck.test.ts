import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import type session from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { testPerson } from '../../test/support/person-session.js';
import { sessionStillReads } from '../session/session-liveness.js';
import { SqliteSessionStore } from '../session/sqlite-session-store.js';
import { RoleGate } from './role-gate.js';
import { RolePolicy } from './role-policy.js';

// A live tail re-reads its session from the store at every heartbeat; with per-cluster roles it also
// asks the gate whether the person the store now holds may still read the cluster.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cluster = { id: 'a', displayName: 'A', source: 'config' as const };
const gate = new RoleGate(
  { get: () => cluster },
  new RolePolicy({
    clusters: { a: [{ role: 'viewer', users: [], groups: ['team-a'] }] },
    discovered: { all: [], namespaces: {} },
  }),
  { record: () => Promise.resolve() },
);

function stored(store: SqliteSessionStore, sid: string, groups: string[]): Promise<void> {
  const data = {
    cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000), httpOnly: true, path: '/' },
    createdAt: Date.now(),
    person: testPerson('alice', groups),
    clusters: { a: { sealedToken: null, authMode: 'disabled', rayVersion: '2.60.0', signedInAt: 1, address: 'x' } },
  } as unknown as session.SessionData;
  return new Promise((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err as Error) : resolve())));
}

describe('a live tail’s heartbeat with per-cluster roles', () => {
  it('goes on while the person has a role, and closes with `forbidden` once the store’s person has none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tail-role-'));
    dirs.push(dir);
    const store = new SqliteSessionStore(path.join(dir, 'sessions.db'), 60_000);
    await stored(store, 'sid-1', ['team-a']);
    const req = {
      sessionStore: store,
      sessionID: 'sid-1',
      session: { clusters: { a: { signedInAt: 1 } } },
    } as unknown as Request;
    expect(
      await sessionStillReads(req, { cluster: { id: 'a' } }, { absoluteMs: 60_000, mayRead: gate.mayRead(cluster) }),
    ).toBeUndefined();
    await stored(store, 'sid-1', ['team-b']);
    expect(
      await sessionStillReads(req, { cluster: { id: 'a' } }, { absoluteMs: 60_000, mayRead: gate.mayRead(cluster) }),
    ).toEqual({
      reason: 'forbidden',
      message: 'Your role on this cluster no longer lets you read its logs; ask whoever runs this console for a role.',
    });
    store.close();
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import type session from 'express-session';
import type { Person } from '@ray-console/shared';
import '../../src/session/session-data.js';

/**
 * A session of a person signed in with OIDC, written straight into the test's session store, and the
 * Cookie header that opens it. The app has no route or switch that sets a person (only the OIDC sign-in
 * does), so unit tests of roles start here; integration tests sign in through the real provider.
 *
 * The cookie is what express-session sets: `s:<id>.<HMAC-SHA256 of the id, base64 without padding>`.
 */
export async function sessionOf(
  store: session.Store,
  secret: string,
  person: Person,
  cookieName = 'ray-console.sid',
): Promise<string> {
  const sid = randomBytes(24).toString('base64url');
  // A stored session keeps its own CSRF token (GET /api/session hands it out), as after any sign-in.
  const csrfToken = randomBytes(32).toString('base64url');
  const data = {
    cookie: { originalMaxAge: 30 * 60_000, expires: new Date(Date.now() + 30 * 60_000), httpOnly: true, path: '/' },
    createdAt: Date.now(),
    csrfToken,
    person,
  } as unknown as session.SessionData;
  await new Promise<void>((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err as Error) : resolve())));
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `${cookieName}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

/** Test people: a subject and issuer as a provider would give them, and the groups claim. */
export function testPerson(name: string, groups: string[], issuer = 'https://idp.example.test/realms/test'): Person {
  return { subject: `sub-${name}`, issuer, name, email: `${name}@example.test`, groups };
}

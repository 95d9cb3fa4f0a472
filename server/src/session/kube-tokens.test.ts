import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { KubeTokens, jwtExpiry } from './kube-tokens.js';
import { TokenSeal } from './token-seal.js';

const jwt = (payload: object) =>
  ['{"alg":"RS256"}', JSON.stringify(payload), 'signature'].map((p) => Buffer.from(p).toString('base64url')).join('.');

/** A request whose session keeps what is set on it (save is a no-op that succeeds). */
function fakeRequest(): Request {
  const session = { save: (cb: (err?: unknown) => void) => cb() } as unknown as Request['session'];
  return { session } as Request;
}

describe('jwtExpiry', () => {
  it('reads exp (seconds) as epoch ms, and nothing from opaque tokens or JWTs without exp', () => {
    expect(jwtExpiry(jwt({ sub: 'x', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(jwtExpiry(jwt({ sub: 'x' }))).toBeUndefined();
    expect(jwtExpiry('abcdef0123456789')).toBeUndefined();
    expect(jwtExpiry('a.b.c')).toBeUndefined();
    expect(jwtExpiry(jwt({ exp: 'soon' }))).toBeUndefined();
  });
});

describe('KubeTokens: the expiry clock', () => {
  it('opens the token until its exp, then answers kube_token_expired once and forgets it', async () => {
    let now = 1_800_000_000_000;
    const tokens = new KubeTokens(new TokenSeal(['kube-tokens-test-secret-0123456789abcdef']), () => now);
    const req = fakeRequest();
    const token = jwt({ sub: 'system:serviceaccount:team-a:me', exp: 1_800_000_060 });
    await tokens.store(req, token, { user: 'system:serviceaccount:team-a:me', groups: ['system:serviceaccounts'] });
    // Sealed: the session holds no trace of the token itself.
    expect(JSON.stringify(req.session)).not.toContain(token);
    expect(tokens.describe(req)).toEqual({
      user: 'system:serviceaccount:team-a:me',
      groups: ['system:serviceaccounts'],
      expiresAt: 1_800_000_060_000,
      pastedAt: 1_800_000_000_000,
    });

    now = 1_800_000_059_999;
    expect(await tokens.open(req)).toMatchObject({ token, user: 'system:serviceaccount:team-a:me' });

    now = 1_800_000_060_000;
    await expect(tokens.open(req)).rejects.toMatchObject({ code: 'kube_token_expired' });
    expect(req.session.kubeToken).toBeUndefined();
    // Asked again: nothing held any more.
    expect(await tokens.open(req)).toBeUndefined();
  });

  it('keeps an opaque token (no expiry) until it is forgotten, and a token sealed with a retired secret is as good as absent', async () => {
    const req = fakeRequest();
    await new KubeTokens(new TokenSeal(['old-secret-0123456789abcdef0123456789'])).store(req, 'opaque-token', {
      user: 'u',
      groups: [],
    });
    const current = new KubeTokens(new TokenSeal(['new-secret-0123456789abcdef0123456789']));
    expect(await current.open(req)).toBeUndefined();
    expect(req.session.kubeToken).toBeUndefined();

    await current.store(req, 'opaque-token', { user: 'u', groups: [] });
    expect(await current.open(req)).toMatchObject({ token: 'opaque-token' });
    await current.forget(req);
    expect(await current.open(req)).toBeUndefined();
  });
});

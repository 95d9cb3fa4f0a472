import type { Request } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { ClusterCredentials } from './cluster-credentials.js';
import { TokenSeal } from './token-seal.js';

// The token is opened (AES-GCM) once per request however often the request asks, and a change of the
// session in the same request (a sign-in with another token, a sign-out) is seen at once.

const seal = new TokenSeal(['credentials-test-secret-0123456789abcdef']);
const cluster = { id: 'c1', endpoint: { baseUrl: 'http://head:8265', tokenHeader: 'authorization' as const } };
const address = 'authorization http://head:8265';
const entry = (token: string) => ({
  sealedToken: seal.seal(token, `c1\n${address}`),
  authMode: 'token' as const,
  rayVersion: '2.60.0',
  signedInAt: 1,
  address,
});
const requestWith = (token: string) => ({ session: { clusters: { c1: entry(token) } } }) as unknown as Request;

describe('ClusterCredentials.get', () => {
  it('opens a token once per request, and again for the next request', () => {
    const open = vi.spyOn(seal, 'open');
    const credentials = new ClusterCredentials(seal);
    const req = requestWith('token-one');
    expect(credentials.get(req, cluster)?.token).toBe('token-one');
    expect(credentials.get(req, cluster)?.token).toBe('token-one');
    expect(open).toHaveBeenCalledTimes(1);
    expect(credentials.get(requestWith('token-one'), cluster)?.token).toBe('token-one');
    expect(open).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });

  it('sees a new sign-in or a sign-out made earlier in the same request', () => {
    const credentials = new ClusterCredentials(seal);
    const req = requestWith('token-one');
    expect(credentials.get(req, cluster)?.token).toBe('token-one');
    req.session.clusters!.c1 = entry('token-two');
    expect(credentials.get(req, cluster)?.token).toBe('token-two');
    delete req.session.clusters!.c1;
    expect(credentials.get(req, cluster)).toBeUndefined();
  });
});

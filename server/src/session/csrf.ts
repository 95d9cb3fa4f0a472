import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../lib/app-error.js';
import './session-data.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request header a write carries the token in, and the response header that hands out a new one. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and for `/`. */
const csrfCookieName = (secure: boolean) => (secure ? '__Host-ray-console.csrf' : 'ray-console.csrf');

const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** A new random token, for a session that holds something (see {@link CsrfTokens}). */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The CSRF token of a visitor, without storing a session for every page load. A session that holds
 * something (a sign-in) keeps a random token of its own, replaced at every sign-in. A visitor with no
 * stored session gets a token bound to a random value in an HttpOnly, SameSite=Strict cookie of its
 * own: the token is an HMAC of that value under a key derived from the session secret, so it is checked
 * without a stored row, works on every replica, and another site can neither read nor make it.
 */
export class CsrfTokens {
  /** Keys derived from the session secrets (the first is current; the others still verify). */
  private readonly keys: Buffer[];
  private readonly cookieName: string;

  constructor(
    secrets: readonly string[],
    private readonly secureCookies: boolean,
  ) {
    // A key of its own, so a token reveals nothing about the cookie-signing secret.
    this.keys = secrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'ray-console/csrf', 'visitor csrf v1', 32)));
    this.cookieName = csrfCookieName(secureCookies);
  }

  /** The token the page must send back; for a visitor without a stored session, sets the cookie it is bound to. */
  tokenFor(req: Request, res: Response): string {
    if (req.session.csrfToken) return req.session.csrfToken;
    let nonce = this.nonceOf(req);
    if (!nonce) {
      nonce = newCsrfToken();
      res.cookie(this.cookieName, nonce, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.secureCookies,
        path: '/',
      });
    }
    return this.sign(this.keys[0]!, nonce);
  }

  /**
   * Cross-site request protection for every state-changing request, sign-in included: the request must
   * come from our own origin (Origin and Sec-Fetch-Site, where the browser sends them) and carry the
   * token in `X-CSRF-Token`, which another site can neither read nor set.
   */
  protection(allowedOrigins: readonly string[]): RequestHandler {
    return (req, _res, next) => {
      if (SAFE_METHODS.has(req.method)) return next();
      const origin = req.get('origin');
      if (origin !== undefined && origin !== ownOrigin(req) && !allowedOrigins.includes(origin)) {
        return next(new AppError('csrf', 'This request came from another site and was refused.'));
      }
      if (req.get('sec-fetch-site') === 'cross-site') {
        return next(new AppError('csrf', 'This request came from another site and was refused.'));
      }
      const sent = req.get(CSRF_HEADER);
      if (!sent || !this.accepts(req, sent)) {
        return next(
          new AppError('csrf', 'The X-CSRF-Token header is missing or stale; reload the page and try again.'),
        );
      }
      next();
    };
  }

  private accepts(req: Request, sent: string): boolean {
    // A session that holds a token accepts only that one: the token from before a sign-in is refused after it.
    const stored = req.session.csrfToken;
    if (stored) return sameToken(sent, stored);
    const nonce = this.nonceOf(req);
    return nonce !== undefined && this.keys.some((key) => sameToken(sent, this.sign(key, nonce)));
  }

  private nonceOf(req: Request): string | undefined {
    const value = parseCookies(req.get('cookie') ?? '')[this.cookieName];
    return value !== undefined && NONCE.test(value) ? value : undefined;
  }

  private sign(key: Buffer, nonce: string): string {
    return createHmac('sha256', key).update(nonce).digest('base64url');
  }
}

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

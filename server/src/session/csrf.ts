import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../lib/app-error.js';
import './session-data.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token, created on first use. */
export function csrfTokenOf(req: Request): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  req.session.createdAt ??= Date.now();
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Cross-site request protection for every state-changing request, sign-in included: the request must
 * come from our own origin (Origin and Sec-Fetch-Site, where the browser sends them) and carry the
 * session's token in `X-CSRF-Token`, which another site can neither read nor set.
 */
export function csrfProtection(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined && origin !== ownOrigin(req) && !allowedOrigins.includes(origin)) {
      return next(new AppError('csrf', 'This request came from another site and was refused.'));
    }
    if (req.get('sec-fetch-site') === 'cross-site') {
      return next(new AppError('csrf', 'This request came from another site and was refused.'));
    }
    const sent = req.get('x-csrf-token');
    const expected = req.session.csrfToken;
    if (!sent || !expected || !sameToken(sent, expected)) {
      return next(new AppError('csrf', 'The X-CSRF-Token header is missing or stale; reload the page and try again.'));
    }
    next();
  };
}

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

import type { RequestHandler } from 'express';
import session from 'express-session';
import { regenerate, storeFailure } from './session-ops.js';
import './session-data.js';

export interface SessionOptions {
  store: session.Store;
  secrets: readonly string[];
  idleMs: number;
  absoluteMs: number;
  secureCookies: boolean;
  /** False while the store cannot be reached (Redis down): requests get a 503 without trying it. */
  storeReady?: () => boolean;
}

/** `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and for `/`. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-ray-console.sid' : 'ray-console.sid');

/**
 * express-session with the settings the session-management guidance asks for: an opaque id in an
 * HttpOnly, SameSite=Strict cookie; nothing saved until there is something to keep; an idle timeout
 * (the cookie's maxAge, renewed on every response) and an absolute lifetime checked on every request.
 */
export function sessionMiddleware(options: SessionOptions): RequestHandler[] {
  const base = session({
    name: sessionCookieName(options.secureCookies),
    secret: [...options.secrets],
    store: options.store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      path: '/',
      maxAge: options.idleMs,
    },
  });

  // A store that fails (Redis down, disk full) makes express-session pass a bare error on; it becomes
  // the same clear 503 as every other store failure. The readiness check answers at once rather than
  // spending a connection timeout per request while Redis is known to be away.
  const withStore: RequestHandler = (req, res, next) => {
    if (options.storeReady && !options.storeReady()) return next(storeFailure(new Error('store not ready')));
    base(req, res, (err?: unknown) => (err ? next(storeFailure(err)) : next()));
  };

  const absoluteLifetime: RequestHandler = async (req, _res, next) => {
    const createdAt = req.session.createdAt;
    if (createdAt !== undefined && Date.now() - createdAt > options.absoluteMs) {
      // The old id is destroyed in the store; the request carries on with an empty session.
      await regenerate(req);
    }
    next();
  };

  return [withStore, absoluteLifetime];
}

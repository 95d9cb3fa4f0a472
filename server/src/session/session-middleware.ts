import type { RequestHandler } from 'express';
import { parse, serialize } from 'cookie';
import { sign } from 'cookie-signature';
import session from 'express-session';
import onHeaders from 'on-headers';
import { regenerate, storeFailure } from './session-ops.js';
import './session-data.js';
import { TouchThrottle, touchSlackMs } from './touch-throttle.js';

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
    // The cookie's expiry is renewed by rollCookie below, at most once per slack, not on every response.
    rolling: false,
    unset: 'destroy',
    cookie: { ...cookieAttributes(options), maxAge: options.idleMs },
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

  return [rollCookie(options), withStore, absoluteLifetime];
}

const cookieAttributes = (options: SessionOptions) =>
  ({ httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/' }) as const;

/**
 * Renews the session cookie's expiry (the idle timeout, its Max-Age) in the browser, as express-session's
 * `rolling` would on every response, but at most once per slack (a tenth of the idle timeout, at most
 * 5 s) per session in this process: the same slack by which the store's expiry is renewed
 * (touch-throttle.ts), so the cookie never runs out before the session does by more than that. Signing
 * and writing the cookie on every answer was CPU the console spent on every request for nothing a
 * browser notices (docs/benchmarks.md, "Jobs API").
 *
 * Only for a session the request's cookie brought and the store still had: a new session gets its
 * cookie from express-session when it is first saved, and so does a session that changed (a sign-in
 * gives it a new id). Runs after express-session's own header hook (on-headers calls the newest hook
 * first, and this one is added before express-session's), so it sees the cookie that one set.
 */
function rollCookie(options: SessionOptions): RequestHandler {
  const name = sessionCookieName(options.secureCookies);
  const rolled = new TouchThrottle(touchSlackMs(options.idleMs));
  return (req, res, next) => {
    const brought = sessionIdInCookie(req.headers.cookie, name);
    onHeaders(res, () => {
      if (!req.session || typeof req.sessionID !== 'string') return;
      const expiry = Date.now() + options.idleMs;
      const set = res.getHeader('Set-Cookie');
      const already = (Array.isArray(set) ? set : set === undefined ? [] : [String(set)]).some((c) =>
        c.startsWith(`${name}=`),
      );
      // express-session sent it (a new or changed session): renewed now, whatever its id.
      if (already) return rolled.wrote(req.sessionID, expiry);
      if (req.sessionID !== brought || !rolled.due(brought, expiry)) return;
      res.append(
        'Set-Cookie',
        serialize(name, `s:${sign(brought, options.secrets[0]!)}`, {
          ...cookieAttributes(options),
          expires: new Date(expiry),
        }),
      );
      rolled.wrote(brought, expiry);
    });
    next();
  };
}

/**
 * The session id a request's cookie names, unverified (undefined without one): compared with the id
 * express-session settled on, which is the same only if the signature held and the store had it.
 */
function sessionIdInCookie(header: string | undefined, name: string): string | undefined {
  if (!header?.includes(`${name}=`)) return undefined;
  const value = parse(header)[name];
  if (!value?.startsWith('s:')) return undefined;
  const dot = value.lastIndexOf('.');
  return dot > 2 ? value.slice(2, dot) : undefined;
}

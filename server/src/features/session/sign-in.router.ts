import { Router, type Response } from 'express';
import type { OidcIdentity, PendingSignIn } from '../../identity/oidc-identity.js';
import { safeReturnTo } from '../../identity/return-to.js';
import { AppError } from '../../lib/app-error.js';
import type { AuditRecorder } from '../../lib/audit.js';
import { httpStatusOf } from '../../lib/error-middleware.js';
import { regenerate, saveSession } from '../../session/session-ops.js';
import { loginUrlFor } from '../../session/require-person.js';
import { sameSiteHopPage, signedOutPage, signInFailedPage } from './sign-in-pages.js';

/** How long a sign-in started here may take at the provider (a person typing a password, a second factor). */
const PENDING_MS = 10 * 60_000;
/** Sign-ins one session may have under way at once (one per tab that started one). */
const MAX_PENDING = 5;

/**
 * Single sign-on (OIDC mode): `/auth/login` sends the browser to the provider, `/auth/callback` takes it
 * back, checks the answer and starts the person's session, `/auth/signed-out` is where the provider sends
 * it after sign-out. The checks themselves are the identity door's (server/src/identity).
 */
export function signInRouter(deps: { identity: OidcIdentity; audit: AuditRecorder }): Router {
  const { identity, audit } = deps;
  const router = Router();

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    if (req.session.person) return res.redirect(303, returnTo);
    let begun: { url: string; pending: PendingSignIn };
    try {
      begun = await identity.beginSignIn(returnTo);
    } catch (err) {
      return failed(res, err, returnTo);
    }
    const now = Date.now();
    const kept = (req.session.oidcPending ?? []).filter((p) => now - p.startedAt < PENDING_MS);
    req.session.oidcPending = [...kept.slice(-(MAX_PENDING - 1)), begun.pending];
    req.session.createdAt ??= now;
    await saveSession(req);
    res.redirect(303, begun.url);
  });

  router.get('/callback', async (req, res) => {
    const params = new URL(req.originalUrl, 'http://console.invalid').searchParams;
    const state = params.get('state');
    const now = Date.now();
    const pending = (req.session.oidcPending ?? []).find((p) => p.state === state && now - p.startedAt < PENDING_MS);
    if (!pending) {
      if (req.get('sec-fetch-site') === 'cross-site' && !params.has('hop')) {
        // The session cookie stayed behind (SameSite=Strict): open the same URL again from our own page.
        params.set('hop', '1');
        res.set('Cache-Control', 'no-store');
        return res.type('html').send(sameSiteHopPage(`/auth/callback?${params.toString()}`));
      }
      await audit.recordPerson(req, { action: 'sign-in', outcome: 'failure', reason: 'state_mismatch' });
      return failed(
        res,
        new AppError(
          'bad_request',
          'Sign-in did not complete: the answer does not belong to a sign-in started in this browser (it was used already, took longer than 10 minutes, or was not started here). Start the sign-in again.',
          undefined,
          { params: { reason: 'state_mismatch' } },
        ),
        '/',
      );
    }
    // Used once: a replayed callback finds nothing, whatever the provider would say about its code.
    req.session.oidcPending = (req.session.oidcPending ?? []).filter((p) => p !== pending);
    await saveSession(req);
    let signedIn;
    try {
      signedIn = await identity.completeSignIn(params, pending);
    } catch (err) {
      const reason = err instanceof AppError ? String(err.params?.reason ?? err.code) : 'internal';
      await audit.recordPerson(req, { action: 'sign-in', outcome: 'failure', reason });
      return failed(res, err, pending.returnTo);
    }
    // A new session id at sign-in: an id planted in the browser before (session fixation) is worth nothing.
    await regenerate(req);
    req.session.createdAt = Date.now();
    req.session.person = signedIn.person;
    req.session.oidcIdToken = signedIn.idToken;
    await saveSession(req);
    await audit.recordPerson(req, { action: 'sign-in', outcome: 'success' });
    res.redirect(303, pending.returnTo);
  });

  router.get('/signed-out', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.type('html').send(signedOutPage());
  });

  return router;
}

function failed(res: Response, err: unknown, returnTo: string): void {
  const error =
    err instanceof AppError
      ? err
      : new AppError('internal', 'Sign-in did not complete because of an error in the console.');
  res.set('Cache-Control', 'no-store');
  res
    .status(httpStatusOf(error.code))
    .type('html')
    .send(signInFailedPage(error.message, loginUrlFor(returnTo)));
}

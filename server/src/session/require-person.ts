import type { RequestHandler } from 'express';
import { AppError } from '../lib/app-error.js';
import './session-data.js';

/** Where a browser starts a sign-in at the identity provider (OIDC mode). */
export const LOGIN_PATH = '/auth/login';

/** The login route for a browser that wanted `path`. */
export const loginUrlFor = (path: string) => `${LOGIN_PATH}?${new URLSearchParams({ returnTo: path }).toString()}`;

/**
 * With single sign-on on, every API route after this needs a signed-in person: 401 `sign_in_required`,
 * with the login path in `params` so the browser can send the person there.
 */
export const requirePersonForApi: RequestHandler = (req, _res, next) => {
  if (req.session.person) return next();
  next(
    new AppError('sign_in_required', 'Sign in with your organisation account to use the console.', undefined, {
      params: { loginPath: LOGIN_PATH },
    }),
  );
};

/** The same for pages: a browser without a person is sent to the login route, keeping where it was going. */
export const requirePersonForPages: RequestHandler = (req, res, next) => {
  if (req.session.person) return next();
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  res.redirect(302, loginUrlFor(req.originalUrl));
};

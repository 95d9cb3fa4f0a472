import type { Request } from 'express';
import { AppError } from '../lib/app-error.js';
import './session-data.js';

// Promise forms of express-session's callback API. A store that fails (Redis down, disk full) becomes
// a clear 503 instead of a hanging request.

export const storeFailure = (cause: unknown) =>
  new AppError('unavailable', 'The session store is not available right now; try again in a moment.', undefined, {
    cause,
  });

export const regenerate = (req: Request) =>
  new Promise<void>((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(storeFailure(err)) : resolve())),
  );

export const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(storeFailure(err)) : resolve())));

export const destroySession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(storeFailure(err)) : resolve())));

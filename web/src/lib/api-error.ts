import type { ErrorCode } from '@ray-console/shared';

/** Every failed call to the BFF, whatever went wrong: the code from the shared contract and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The cluster no longer accepts this session's token, or the session has none: show the token prompt. */
export const needsSignIn = (err: unknown): err is ApiError =>
  err instanceof ApiError &&
  (err.code === 'signed_out' || err.code === 'token_rejected' || err.code === 'token_missing');

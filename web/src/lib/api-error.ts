import type { ErrorCode } from '@ray-console/shared';

/**
 * Every failed call to the BFF, whatever went wrong: the code from the shared contract, the values the
 * message was built from (`params`), and the BFF's English message. The browser words it in the
 * user's language from code and params (i18n/error-text.ts); the message is the detail beside that.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly fields?: Record<string, string>,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The cluster no longer accepts this session's token, or the session has none: show the token prompt. */
export const needsSignIn = (err: unknown): err is ApiError =>
  err instanceof ApiError &&
  (err.code === 'signed_out' || err.code === 'token_rejected' || err.code === 'token_missing');

import type { ErrorCode } from '@ray-console/shared';

/**
 * The one error type services throw. It carries a code from the shared contract and a message written
 * for the person using the console (what happened and what to do); the error middleware picks the
 * HTTP status from the code, so services never think about HTTP.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    options?: { cause?: unknown; params?: Record<string, string | number> },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.params = options?.params;
  }

  /** What the message was built from, so the browser can word it in the user's language. */
  readonly params?: Record<string, string | number>;
}

export const isAppError = (err: unknown, ...codes: ErrorCode[]): err is AppError =>
  err instanceof AppError && (codes.length === 0 || codes.includes(err.code));

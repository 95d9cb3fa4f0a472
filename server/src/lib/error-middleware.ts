import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody, ErrorCode } from '@ray-console/shared';
import { AppError } from './app-error.js';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 400,
  not_found: 404,
  unknown_cluster: 404,
  signed_out: 401,
  token_missing: 401,
  token_rejected: 403,
  ray_unreachable: 502,
  not_ray: 502,
  ray_error: 502,
  csrf: 403,
  sign_in_required: 401,
  forbidden: 403,
  rate_limited: 429,
  too_many_tails: 429,
  // Not a 5xx: the console and the head work; this cluster's Ray version cannot do it (the message says which can).
  unsupported_by_ray_version: 422,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  token_file_outdated: 503,
  kube_identity_required: 401,
  kube_token_expired: 401,
  kube_token_rejected: 401,
  kube_forbidden: 403,
  internal: 500,
};

export const httpStatusOf = (code: ErrorCode): number => statusOf[code];

/** Turns body-parser's and Express's own errors into the codes of the shared contract. */
function fromFrameworkError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (e.type === 'entity.too.large') {
    return new AppError('payload_too_large', 'The request body is too large for this route.');
  }
  if (e.type === 'entity.parse.failed') {
    return new AppError('bad_request', 'The request body is not valid JSON.');
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new AppError('bad_request', 'Send the body as UTF-8 JSON.');
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', 'The request could not be read.');
  }
  return undefined;
}

export function errorBody(err: AppError): ApiErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(err.params ? { params: err.params } : {}),
    },
  };
}

/** The single place where errors become HTTP responses; unexpected errors are logged, never shown. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = err instanceof AppError ? err : fromFrameworkError(err);
  if (res.headersSent) {
    // Too late to answer (a session save that failed after the response was sent, a stream that broke
    // half-way): log it and end the response, which is all that is left to do.
    req.log?.warn(
      { code: appError?.code ?? 'internal', cause: describeCause(appError?.cause ?? err) },
      'error after the response started',
    );
    if (!res.writableEnded) res.end();
    return;
  }
  if (appError) {
    if (appError.code === 'ray_error' || appError.code === 'not_ray' || appError.code === 'unavailable') {
      req.log?.warn({ code: appError.code, cause: describeCause(appError.cause) }, appError.message);
    }
    res.status(statusOf[appError.code]).json(errorBody(appError));
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  const internal = new AppError('internal', 'Something went wrong in the console. The error was logged; try again.');
  res.status(500).json(errorBody(internal));
};

function describeCause(cause: unknown): string | undefined {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return cause === undefined ? undefined : String(cause);
}

/** The answer for `/api/*` paths no router knows. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `There is no API route ${req.method} ${req.path}.`));
};

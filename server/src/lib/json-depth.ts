import type { RequestHandler } from 'express';
import { AppError } from './app-error.js';

/**
 * How deep a JSON value nests, counted without recursion (a value nested 100,000 deep must not
 * overflow the stack here either). Stops counting once past `limit`.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/**
 * Refuses JSON bodies nested deeper than any real request (a job's runtime_env is a few levels):
 * JSON.parse copes with any depth, but JSON.stringify, which sends a body on to Ray, recurses and
 * would throw a stack overflow (a 500) on a body nested a few thousand levels deep.
 */
export function refuseDeepJson(limit: number): RequestHandler {
  return (req, _res, next) => {
    if (req.body !== undefined && jsonDepthExceeds(req.body, limit)) {
      return next(new AppError('bad_request', `The JSON body is nested more than ${limit} levels deep.`));
    }
    next();
  };
}

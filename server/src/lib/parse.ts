import { z } from 'zod';
import { AppError } from './app-error.js';

/**
 * Parses input at the edge with a shared schema. On failure the error lists each field with a message
 * that says what to change, and nothing of the input is echoed back.
 */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown, what = 'request'): z.output<S> {
  // Through zod's core: the first page's schemas are zod/mini (shared/src/clusters.ts), the others classic.
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  const first = Object.entries(fields)[0];
  const summary = first ? (first[0] === '_' ? first[1] : `${first[0]}: ${first[1]}`) : 'invalid input';
  return throwValidation(`The ${what} is not valid: ${summary}`, fields);
}

function throwValidation(message: string, fields: Record<string, string>): never {
  throw new AppError('validation', message, fields);
}

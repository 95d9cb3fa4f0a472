import { ErrorCode } from '@ray-console/shared';
import { ApiError } from '../lib/api-error';
import type { T } from './catalogs';

type WordedCode = ErrorCode | 'network';
const known = new Set<string>([...ErrorCode.options, 'network']);

/** Codes with a wording that uses the error's params, used when the BFF sent every param it names. */
const withParams = {
  forbidden: ['role'],
  payload_too_large: ['maxMiB'],
  too_many_tails: ['scope', 'limit'],
  unsupported_by_ray_version: ['fixedIn'],
  token_file_outdated: ['cluster'],
  kube_forbidden: ['user', 'verb', 'resource', 'namespace'],
} as const satisfies Partial<Record<WordedCode, readonly string[]>>;
type ParamCode = keyof typeof withParams;

/**
 * An error from the BFF in the user's language, from its `code` and `params` (the English `message`
 * stays for logs and API clients). Every ErrorCode has a sentence in each catalog (the typecheck and
 * catalogs.test.ts hold both to that); a code this build does not know, from a newer BFF, falls back
 * to the BFF's English message.
 */
export function errorText(
  error: { code: string; message: string; params?: Record<string, string | number> | undefined },
  t: T<'common'>,
): string {
  if (!known.has(error.code)) return error.message;
  const code = error.code as WordedCode;
  const params = error.params ?? {};
  const needs: readonly string[] | undefined = withParams[code as ParamCode];
  if (needs && needs.every((name) => params[name] !== undefined))
    return t(`errors.withParams.${code as ParamCode}`, params);
  return t(`errors.code.${code}`, params);
}

/**
 * What an error panel shows: the sentence in the user's language, and the original text as the detail
 * when it says more (the BFF's English message names the job, the field, Ray's own answer).
 */
export function errorWords(error: unknown, t: T<'common'>): { text: string; detail?: string } {
  if (error instanceof ApiError) {
    const text = errorText(error, t);
    return text === error.message ? { text } : { text, detail: error.message };
  }
  if (error instanceof Error && error.message) return { text: t('errors.unexpected'), detail: error.message };
  return { text: t('errors.unexpected') };
}

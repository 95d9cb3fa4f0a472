import { quote } from 'shell-quote';
import type { JobStatus } from '@ray-console/shared';

// Dates, durations and sizes are in i18n/format.ts (Intl, in the language shown).

export const statusTone: Record<JobStatus, string> = {
  PENDING: 'badge',
  RUNNING: 'badge badge-run',
  STOPPED: 'badge',
  SUCCEEDED: 'badge badge-ok',
  FAILED: 'badge badge-bad',
};

/** Words no POSIX shell (bash, zsh, sh) reads specially; a leading `=` would be an expansion in zsh. */
const NEEDS_NO_QUOTES = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:=@%+,-]*$/;

/**
 * One word for a POSIX shell, read back unchanged: as it is when nothing in it is special (so a URL
 * stays readable), otherwise quoted by shell-quote.
 */
export function shellQuote(word: string): string {
  return NEEDS_NO_QUOTES.test(word) ? word : quote([word]);
}

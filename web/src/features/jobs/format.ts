import { quote } from 'shell-quote';
import type { JobStatus } from '@ray-console/shared';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

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

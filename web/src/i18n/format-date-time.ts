import { cached } from './format-cache';
import { currentLanguage } from './i18n';

/** A moment with date and time (short date, time with seconds); '—' when Ray did not say. */
export function formatDateTime(ms: number | string | undefined, locale: string = currentLanguage()) {
  if (ms === undefined) return '—';
  const format = cached(
    `dt|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }),
  );
  return format.format(new Date(ms));
}

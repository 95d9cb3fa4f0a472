import { cached } from './format-cache';
import { currentLanguage } from './i18n';

/**
 * Dates, numbers, durations and sizes through `Intl`, in the language shown now. Each takes the locale
 * last (the current language by default) so tests can pin it. Components re-render on a language
 * switch through their `useTranslation`, and call these again.
 */

// The formatters the first page uses (the cluster list's dates) are in a module of their own: a
// module is bundled whole, and these here are for later pages (docs/benchmarks.md, "Initial load").
export { formatDateTime } from './format-date-time';

const number = (locale: string, options: Intl.NumberFormatOptions = {}) =>
  cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

/** A count or amount with the language's digit grouping: 12,345 (en), 12,345 (zh-CN). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions, locale: string = currentLanguage()) {
  return number(locale, options).format(value);
}

/** A fraction 0..1 as a percentage: 42% (en), 42% (zh-CN). */
export function formatPercent(fraction: number, locale: string = currentLanguage()) {
  return number(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** The time of day only (the page was read at 14:02:09). */
export function formatTimeOfDay(ms: number | string, locale: string = currentLanguage()) {
  return cached(`t|${locale}`, () => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' })).format(new Date(ms));
}

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** How long ago (or from now) a moment is, in the largest whole unit: "3 minutes ago", "3分钟前". */
export function formatRelativeTime(ms: number, now: number = Date.now(), locale: string = currentLanguage()) {
  const format = cached(`rt|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  let value = (ms - now) / 1000;
  for (const [unit, size] of relativeUnits) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), 'year');
}

/**
 * A duration in its two largest units, narrow: "45s", "2m 5s", "1h 3m" (en); "45秒", "2分钟5秒" (zh-CN).
 * Intl.NumberFormat's units and Intl.ListFormat's unit lists, since Intl.DurationFormat is missing
 * from Node 20 (where the unit tests run) and older browsers.
 */
export function formatDuration(ms: number | undefined, locale: string = currentLanguage()) {
  if (ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  const unit = (value: number, name: 'second' | 'minute' | 'hour') =>
    number(locale, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  const list = (parts: string[]) =>
    cached(`l|${locale}`, () => new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' })).format(parts);
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return list([unit(m, 'minute'), unit(s % 60, 'second')]);
  return list([unit(Math.floor(m / 60), 'hour'), unit(m % 60, 'minute')]);
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * Bytes in binary units, as Ray and `ray status` count memory: "16.0 GiB". The unit names are the
 * same in every language (IEC symbols); the number is formatted by Intl (one decimal under 100).
 */
export function formatBytes(bytes: number, locale: string = currentLanguage()) {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  const text = number(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  return `${text} ${byteUnits[unit]}`;
}

import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatDuration, formatNumber, formatPercent, formatRelativeTime } from './format';

describe('Intl formatting in both languages', () => {
  it('formats counts with the language’s grouping', () => {
    expect(formatNumber(1234567, undefined, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, undefined, 'zh-CN')).toBe('1,234,567');
    expect(formatPercent(0.421, 'en')).toBe('42%');
  });

  it('formats durations in their two largest units', () => {
    expect(formatDuration(undefined, 'en')).toBe('—');
    expect(formatDuration(45_000, 'en')).toBe('45s');
    expect(formatDuration(125_000, 'en')).toBe('2m 5s');
    expect(formatDuration(3_780_000, 'en')).toBe('1h 3m');
    expect(formatDuration(45_000, 'zh-CN')).toBe('45秒');
    expect(formatDuration(125_000, 'zh-CN')).toBe('2分钟5秒');
  });

  it('formats memory in binary units with localised digits', () => {
    expect(formatBytes(17228382618, 'en')).toBe('16.0 GiB');
    expect(formatBytes(1024, 'zh-CN')).toBe('1.0 KiB');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(300 * 1024 * 1024, 'en')).toBe('300 MiB');
  });

  it('says how long ago a moment was', () => {
    const now = Date.UTC(2026, 0, 2, 12, 0, 0);
    expect(formatRelativeTime(now - 3 * 60_000, now, 'en')).toBe('3 minutes ago');
    expect(formatRelativeTime(now - 3 * 60_000, now, 'zh-CN')).toBe('3分钟前');
    expect(formatRelativeTime(now - 2 * 3_600_000, now, 'en')).toBe('2 hours ago');
    expect(formatRelativeTime(now - 86_400_000, now, 'en')).toBe('yesterday');
  });

  it('formats a moment with date and time, or a dash when there is none', () => {
    expect(formatDateTime(undefined, 'en')).toBe('—');
    expect(formatDateTime(Date.UTC(2026, 0, 2, 12, 0, 0), 'zh-CN')).toMatch(/^2026\/1\/2/);
  });
});

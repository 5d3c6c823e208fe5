import { describe, expect, it } from 'vitest';
import {
  axisFormatter,
  formatAgo,
  formatChange,
  formatClock,
  formatCompact,
  formatDate,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatValue,
} from './format';

describe('numbers (vi-VN first)', () => {
  it.each([
    [3552, 'vi', 0, '3.552'],
    [3552, 'en', 0, '3,552'],
    [104_000_000, 'vi', 0, '104.000.000'],
    [12.345, 'vi', 2, '12,35'],
    [null, 'vi', 0, '—'],
    [Number.NaN, 'en', 0, '—'],
  ] as const)('formatNumber(%s, %s, %s) = %s', (value, lang, decimals, expected) => {
    expect(formatNumber(value, lang, decimals)).toBe(expected);
  });

  it.each([
    [10.7, 'vi', '10,7%'],
    [10.7, 'en', '10.7%'],
    [100, 'vi', '100%'],
    [39.98, 'vi', '40%'],
  ] as const)('formatPercent(%s, %s) = %s', (value, lang, expected) => {
    expect(formatPercent(value, lang)).toBe(expected);
  });

  it.each([
    [104_000_000, 'vi', '104 triệu'],
    [104_000_000, 'en', '104m'],
    [1_352_000_000, 'vi', '1,4 tỷ'],
    [4400, 'vi', '4.400'],
    [12.66, 'vi', '12,7'],
  ] as const)('formatCompact(%s, %s) = %s', (value, lang, expected) => {
    expect(formatCompact(value, lang)).toBe(expected);
  });

  it.each([
    [10.7, { kind: 'ratio' as const }, 'vi', '10,7%'],
    [3552, { kind: 'gauge' as const }, 'vi', '3.552'],
    [0.7709, { kind: 'gauge' as const }, 'vi', '0,77'],
  ])('formatValue(%s, %o, %s) = %s', (value, metric, lang, expected) => {
    expect(formatValue(value, metric, lang as 'vi')).toBe(expected);
  });

  it.each([
    [1200, { kind: 'gauge' as const }, 'vi', '+1.200'],
    [-2.1, { kind: 'ratio' as const }, 'vi', '−2,1 điểm %'],
    [-2.1, { kind: 'ratio' as const }, 'en', '−2.1 pp'],
    [0, { kind: 'gauge' as const }, 'vi', '±0'],
  ])('formatChange(%s) = %s', (delta, metric, lang, expected) => {
    expect(formatChange(delta, metric, lang as 'vi')).toBe(expected);
  });

  it.each([
    [1_352_000_000, 1_361_000_000, 'vi', false, 1_355_000_000, '1,355 tỷ'],
    [0, 11_000_000, 'vi', false, 4_000_000, '4 triệu'],
    [20, 80, 'vi', true, 40, '40%'],
    [0, 5000, 'en', false, 2500, '2,500'],
  ] as const)('axisFormatter(%s..%s) keeps ticks distinct', (min, max, lang, percent, value, expected) => {
    expect(axisFormatter(min, max, lang, percent)(value)).toBe(expected);
  });
});

describe('times in Asia/Ho_Chi_Minh', () => {
  it.each([
    ['2025-10-26T00:00:00+07:00', 'vi', '26/10/2025', '26/10/2025 00:00'],
    ['2025-10-25T17:30:00Z', 'vi', '26/10/2025', '26/10/2025 00:30'],
    ['2025-10-25T17:30:00Z', 'en', '26 Oct 2025', '26 Oct 2025 00:30'],
  ] as const)('%s (%s)', (ts, lang, date, dateTime) => {
    expect(formatDate(ts, lang)).toBe(date);
    expect(formatDateTime(ts, lang)).toBe(dateTime);
  });

  it('clock', () => {
    expect(formatClock('2026-11-22T01:02:03Z')).toBe('08:02:03');
    expect(formatClock('2026-11-22T01:02:03Z', false)).toBe('08:02');
  });

  it.each([
    [59, 'vi', '59 giây'],
    [3600 * 26 + 60, 'vi', '1 ngày 2 giờ'],
    [3600 * 24, 'en', '1 d'],
    [0, 'vi', '0 giây'],
    [null, 'vi', '—'],
  ] as const)('formatDuration(%s, %s) = %s', (seconds, lang, expected) => {
    expect(formatDuration(seconds, lang)).toBe(expected);
  });

  it.each([
    [30_000, 'vi', 'vừa xong'],
    [3 * 3600_000, 'vi', '3 giờ trước'],
    [3 * 3600_000, 'en', '3 h ago'],
  ] as const)('formatAgo(%s) = %s', (age, lang, expected) => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(formatAgo(now - age, now, lang)).toBe(expected);
  });
});

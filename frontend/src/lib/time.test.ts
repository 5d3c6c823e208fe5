import { afterEach, describe, expect, it, vi } from 'vitest';
import { localIsoTime } from './explore';
import { formatDateTime } from './format';
import { bucketStart, isStale, periodStart, previousPeriodAsOf, rangeStart, setTimeZone, timeZone } from './time';

const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Date.parse('2026-11-22T10:00:00+07:00');

describe('staleness against the reporting cadence', () => {
  it.each([
    ['daily', '2026-11-21T00:00:00+07:00', false],
    ['daily', '2026-11-20T09:00:00+07:00', true],
    ['weekly', '2026-11-10T00:00:00+07:00', false],
    ['weekly', '2026-11-01T00:00:00+07:00', true],
    ['monthly', '2026-10-01T00:00:00+07:00', false],
    ['monthly', '2026-09-01T00:00:00+07:00', true],
    ['yearly', '2024-12-31T00:00:00+07:00', false],
    ['yearly', '2023-12-31T00:00:00+07:00', true],
    ['irregular', '2014-07-01T00:00:00+07:00', false],
  ] as const)('%s value of %s stale: %s', (cadence, ts, stale) => {
    expect(isStale(ts, cadence, NOW)).toBe(stale);
  });
  it('no value is not stale (it is "no data")', () => expect(isStale(null, 'daily', NOW)).toBe(false));
});

describe('ranges', () => {
  it.each([
    ['24h', '2026-11-21T10:00:00+07:00'],
    ['30d', '2026-10-23T10:00:00+07:00'],
    ['2w', '2026-11-08T10:00:00+07:00'],
    ['12mo', '2025-11-22T10:00:00+07:00'],
    ['10y', '2016-11-22T10:00:00+07:00'],
  ])('rangeStart(%s)', (range, expected) => {
    expect(iso(rangeStart(range, NOW))).toBe(iso(Date.parse(expected)));
  });
  it('refuses a bad range', () => expect(() => rangeStart('3x', NOW)).toThrow(/bad range/));
});

describe('buckets are Viet Nam days, Monday weeks, calendar months', () => {
  const t = Date.parse('2026-11-22T01:30:00+07:00'); // a Sunday
  it.each([
    ['15m', '2026-11-22T01:30:00+07:00'],
    ['1h', '2026-11-22T01:00:00+07:00'],
    ['1d', '2026-11-22T00:00:00+07:00'],
    ['1w', '2026-11-16T00:00:00+07:00'],
    ['1mo', '2026-11-01T00:00:00+07:00'],
    ['3mo', '2026-10-01T00:00:00+07:00'],
    ['1y', '2026-01-01T00:00:00+07:00'],
  ])('bucketStart(%s)', (bucket, expected) => {
    expect(iso(bucketStart(t, bucket))).toBe(iso(Date.parse(expected)));
  });

  it.each([
    ['daily', '2026-11-22T00:00:00+07:00'],
    ['monthly', '2026-11-01T00:00:00+07:00'],
    ['quarterly', '2026-10-01T00:00:00+07:00'],
    ['irregular', '2026-01-01T00:00:00+07:00'],
  ] as const)('periodStart(%s)', (cadence, expected) => {
    expect(iso(periodStart(cadence, t))).toBe(iso(Date.parse(expected)));
  });

  it('the previous period ends just before the newest value’s period', () => {
    expect(previousPeriodAsOf('monthly', Date.parse('2026-11-01T00:00:00+07:00'))).toBe(Date.parse('2026-11-01T00:00:00+07:00') - 1);
  });
});

describe('the backend time zone', () => {
  afterEach(() => setTimeZone('Asia/Ho_Chi_Minh'));

  it('moves days, buckets and the dates on screen with it', () => {
    const t = Date.parse('2026-11-22T16:30:00Z'); // 23:30 in Hà Nội, 01:30 next day in Tokyo
    expect(formatDateTime(t, 'vi')).toBe('22/11/2026 23:30');
    expect(iso(bucketStart(t, '1d'))).toBe('2026-11-21T17:00:00.000Z');
    setTimeZone('Asia/Tokyo');
    expect(timeZone()).toBe('Asia/Tokyo');
    expect(formatDateTime(t, 'vi')).toBe('23/11/2026 01:30');
    expect(iso(bucketStart(t, '1d'))).toBe('2026-11-22T15:00:00.000Z');
    expect(localIsoTime(t)).toBe('2026-11-23T01:30:00+09:00');
  });

  it('keeps the zone it has when told an unknown one', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    setTimeZone('Mars/Olympus_Mons');
    expect(timeZone()).toBe('Asia/Ho_Chi_Minh');
  });
});

import { describe, expect, it } from 'vitest';
import {
  bucketStart,
  isKnownTimeZone,
  localDay,
  periodStart,
  previousPeriodStart,
  startOfLocalDay,
  subtractDuration,
  zoneOffsetMs,
} from './calendar';

const HCM = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('the calendar in Viet Nam', () => {
  it('knows the offset (+7 h, no daylight saving) and the local day', () => {
    expect(zoneOffsetMs(at('2026-06-01T12:00:00Z'), HCM)).toBe(7 * 3_600_000);
    // 17:30 UTC is already the next day in Hà Nội
    expect(localDay(at('2026-11-22T17:30:00Z'), HCM)).toBe('2026-11-23');
    expect(localDay(new Date('2026-11-22T16:59:59Z'), HCM)).toBe('2026-11-22');
    expect(iso(startOfLocalDay('2025-07-01', HCM))).toBe('2025-06-30T17:00:00.000Z');
  });

  it.each([
    ['15m', '2026-11-23T00:37:10+07:00', '2026-11-23T00:30:00+07:00'],
    ['1h', '2026-11-23T00:37:10+07:00', '2026-11-23T00:00:00+07:00'],
    ['1d', '2026-11-23T00:37:10+07:00', '2026-11-23T00:00:00+07:00'],
    ['1w', '2026-11-22T23:00:00+07:00', '2026-11-16T00:00:00+07:00'],
    ['1mo', '2026-03-01T03:00:00+07:00', '2026-03-01T00:00:00+07:00'],
    ['3mo', '2026-11-22T10:00:00+07:00', '2026-10-01T00:00:00+07:00'],
    ['1y', '2026-01-01T03:00:00+07:00', '2026-01-01T00:00:00+07:00'],
  ])('a %s bucket of %s starts at %s', (bucket, time, start) => {
    expect(iso(bucketStart(at(time), bucket, HCM))).toBe(iso(at(start)));
  });

  it('refuses a bucket that is not a duration', () => {
    expect(() => bucketStart(0, '3x', HCM)).toThrow(/bad bucket/);
    expect(() => bucketStart(0, '0d', HCM)).toThrow(/bad bucket/);
  });

  it('has reporting periods, and none for irregular indicators', () => {
    const now = at('2026-11-23T00:30:00+07:00');
    expect(iso(periodStart('daily', now, HCM))).toBe(iso(at('2026-11-23T00:00:00+07:00')));
    expect(iso(previousPeriodStart('daily', now, HCM))).toBe(iso(at('2026-11-22T00:00:00+07:00')));
    expect(iso(previousPeriodStart('quarterly', now, HCM))).toBe(iso(at('2026-07-01T00:00:00+07:00')));
    expect(periodStart('irregular', now, HCM)).toBeNull();
    expect(previousPeriodStart('irregular', now, HCM)).toBeNull();
  });

  it('goes back by the local calendar for months and years', () => {
    const now = at('2026-03-31T10:00:00+07:00');
    expect(iso(subtractDuration(now, '1mo', HCM))).toBe(iso(at('2026-03-03T10:00:00+07:00')));
    expect(iso(subtractDuration(now, '10y', HCM))).toBe(iso(at('2016-03-31T10:00:00+07:00')));
    expect(iso(subtractDuration(now, '24h', HCM))).toBe(iso(at('2026-03-30T10:00:00+07:00')));
  });
});

describe('the calendar in another configured zone', () => {
  it('follows daylight saving where a zone has it', () => {
    const ny = 'America/New_York';
    expect(zoneOffsetMs(at('2026-01-15T12:00:00Z'), ny)).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs(at('2026-07-15T12:00:00Z'), ny)).toBe(-4 * 3_600_000);
    // 8 March 2026: clocks go forward at 02:00; that day still starts at local midnight (-05:00)
    expect(iso(startOfLocalDay('2026-03-08', ny))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(bucketStart(at('2026-03-08T20:00:00-04:00'), '1d', ny))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(bucketStart(at('2026-07-04T20:00:00-04:00'), '1mo', ny))).toBe('2026-07-01T04:00:00.000Z');
  });

  it('cuts days on half-hour offsets', () => {
    expect(localDay(at('2026-11-22T18:29:00Z'), 'Asia/Kolkata')).toBe('2026-11-22');
    expect(localDay(at('2026-11-22T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-11-23');
  });

  it('tells a known zone from a typo', () => {
    expect(isKnownTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isKnownTimeZone('Asia/Saigon_City')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  BUCKET_PATTERN,
  BucketText,
  durationSeconds,
  fixedDurationMs,
  formatDuration,
  parseDuration,
  RangeText,
  RuleDurationText,
} from './durations';
import { seriesKey, pointKey } from './series-key';

describe('one duration syntax for rules, buckets and ranges', () => {
  it.each([
    ['15m', { count: 15, unit: 'm' }],
    ['1mo', { count: 1, unit: 'mo' }],
    ['6 hours', { count: 6, unit: 'h' }],
    ['2 Weeks', { count: 2, unit: 'w' }],
    ['10y', { count: 10, unit: 'y' }],
  ])('%s reads as %o', (text, duration) => expect(parseDuration(text)).toEqual(duration));

  it.each(['', '1', 'm', '1x', '-1d', '1.5h', '1 fortnight'])('"%s" is no duration', (text) => expect(parseDuration(text)).toBeNull());

  it('has fixed lengths only up to weeks', () => {
    expect(fixedDurationMs({ count: 2, unit: 'w' })).toBe(14 * 86_400_000);
    expect(fixedDurationMs({ count: 1, unit: 'mo' })).toBeNull();
    expect(durationSeconds('15m')).toBe(900);
    expect(durationSeconds('1mo')).toBeNull();
    expect(formatDuration(5400)).toBe('90m');
    expect(formatDuration(2 * 86_400)).toBe('2d');
  });

  it('lets each place accept only its own units', () => {
    expect(RuleDurationText.safeParse('1w').success).toBe(true);
    expect(RuleDurationText.safeParse('1mo').success).toBe(false);
    expect(BucketText.safeParse('1mo').success).toBe(true);
    expect(BucketText.safeParse('30s').success).toBe(false);
    expect(BucketText.safeParse('6 hours').success).toBe(false);
    expect(BUCKET_PATTERN.test('6 hours')).toBe(true);
    expect(RangeText.safeParse('15m').success).toBe(false);
    expect(RangeText.safeParse('10y').success).toBe(true);
  });
});

describe('series keys', () => {
  it('never collide however codes are cut', () => {
    expect(seriesKey('a.b', '1')).not.toBe(seriesKey('a', 'b1'));
    expect(pointKey('m', '79', 5)).toBe(`${seriesKey('m', '79')}\u00005`);
  });
});

import { describe, expect, it } from 'vitest';
import { compareCursor, parseTimestamptz, type PreciseInstant } from './sql';

describe('the SQL source cursor keeps PostgreSQL microseconds', () => {
  it('reads timestamptz text in any session time zone to the microsecond', () => {
    const utc = parseTimestamptz('2026-11-20 02:00:00.123456+00') as PreciseInstant;
    const hanoi = parseTimestamptz('2026-11-20 09:00:00.123456+07') as PreciseInstant;
    const newfoundland = parseTimestamptz('2026-11-19 22:30:00.123456-03:30') as PreciseInstant;
    for (const instant of [utc, hanoi, newfoundland]) {
      expect(instant).toBeInstanceOf(Date);
      expect(instant.toISOString()).toBe('2026-11-20T02:00:00.123Z');
      expect(instant.toPreciseIso()).toBe('2026-11-20T02:00:00.123456Z');
    }
    expect((parseTimestamptz('2026-11-20 02:00:00+00') as PreciseInstant).toPreciseIso()).toBe('2026-11-20T02:00:00.000000Z');
    expect((parseTimestamptz('2026-11-20 02:00:00.5+00') as PreciseInstant).toPreciseIso()).toBe('2026-11-20T02:00:00.500000Z');
    expect((parseTimestamptz('1969-12-31 23:59:59.999999+00') as PreciseInstant).toPreciseIso()).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('orders instants that a millisecond Date cannot tell apart', () => {
    const earlier = { type: 'instant' as const, value: '2026-11-20T02:00:00.123456Z' };
    const later = { type: 'instant' as const, value: '2026-11-20T02:00:00.123457Z' };
    expect(compareCursor(later, earlier)).toBeGreaterThan(0);
    expect(compareCursor(earlier, later)).toBeLessThan(0);
    expect(compareCursor(earlier, { ...earlier })).toBe(0);
    // a cursor saved by an earlier version (milliseconds) still compares
    expect(compareCursor(earlier, { type: 'date', value: '2026-11-20T02:00:00.123Z' })).toBeGreaterThan(0);
    expect(compareCursor({ type: 'date', value: '2026-11-20T02:00:00.124Z' }, earlier)).toBeGreaterThan(0);
  });
});

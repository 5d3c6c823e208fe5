import { describe, expect, it } from 'vitest';
import { freshness, newestOf } from './freshness';

const NOW = Date.parse('2026-12-05T16:40:00+07:00');
const H = 3_600_000;
const D = 24 * H;

describe('freshness: "Số liệu đến …" and staleness by the cadence', () => {
  it.each([
    // a daily indicator is stale after two days without a newer value, a monthly one after two months
    { cadence: 'daily', asOf: NOW - 47 * H, stale: false },
    { cadence: 'daily', asOf: NOW - 49 * H, stale: true },
    { cadence: 'weekly', asOf: NOW - 13 * D, stale: false },
    { cadence: 'weekly', asOf: NOW - 15 * D, stale: true },
    { cadence: 'monthly', asOf: NOW - 50 * D, stale: false },
    { cadence: 'monthly', asOf: NOW - 70 * D, stale: true },
    { cadence: 'yearly', asOf: NOW - 700 * D, stale: false },
    { cadence: 'yearly', asOf: NOW - 800 * D, stale: true },
    // no cadence: never stale by age (the biennial UN survey, the alert feed)
    { cadence: 'irregular', asOf: NOW - 3000 * D, stale: false },
    { cadence: null, asOf: NOW - 3000 * D, stale: false },
  ] as const)('$cadence, as of now − $asOf ms: stale $stale', ({ cadence, asOf, stale }) => {
    expect(freshness({ asOf, cadence }, NOW, 'vi').stale).toBe(stale);
  });

  it('a bucket is measured from its end (never later than now): a yearly bucket of a daily indicator is current', () => {
    const yearStart = Date.parse('2026-01-01T00:00:00+07:00');
    expect(freshness({ asOf: yearStart, cadence: 'daily' }, NOW, 'vi').stale).toBe(true);
    expect(freshness({ asOf: yearStart, cadence: 'daily', periodMs: 366 * D }, NOW, 'vi').stale).toBe(false);
    // a bucket that ended long ago is stale all the same
    expect(freshness({ asOf: yearStart - 366 * D, cadence: 'daily', periodMs: 365 * D }, NOW, 'vi').stale).toBe(true);
  });

  it('shows the time in Viet Nam, date only when asked, in either language', () => {
    const asOf = '2026-12-05T09:05:00Z';
    expect(freshness({ asOf, cadence: 'daily' }, NOW, 'vi').text).toBe('05/12/2026 16:05');
    expect(freshness({ asOf, cadence: 'daily' }, NOW, 'en').text).toBe('5 Dec 2026 16:05');
    expect(freshness({ asOf, cadence: 'daily', dateOnly: true }, NOW, 'vi').text).toBe('05/12/2026');
  });

  it('no data: nothing to date, not stale (the panel says "no data")', () => {
    expect(freshness({ asOf: null, cadence: 'daily' }, NOW, 'vi')).toEqual({ asOf: null, stale: false, text: '' });
    expect(freshness({ asOf: 'not a time', cadence: 'daily' }, NOW, 'vi').asOf).toBeNull();
  });

  it('the newest of several times', () => {
    expect(newestOf(['2026-12-01T00:00:00Z', null, Date.parse('2026-12-03T00:00:00Z'), '2026-11-30T00:00:00Z'])).toBe(
      Date.parse('2026-12-03T00:00:00Z'),
    );
    expect(newestOf([])).toBeNull();
  });
});

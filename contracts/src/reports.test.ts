import { describe, expect, it } from 'vitest';
import {
  isReportWeekStart,
  previousReportWeek,
  rankWithChange,
  reportWeekOf,
  reportWeekRange,
  scheduledPublishAt,
  weekChange,
} from './reports';

const VN = 'Asia/Ho_Chi_Minh';

describe('report week', () => {
  it('names the week by its Viet Nam Monday', () => {
    // Sunday 2026-12-06 23:30 VN = 16:30 UTC: still the week of Monday 30 Nov
    expect(reportWeekOf(Date.parse('2026-12-06T16:30:00Z'), VN)).toBe('2026-11-30');
    // Monday 2026-12-07 00:30 VN = Sunday 17:30 UTC: the new week
    expect(reportWeekOf(Date.parse('2026-12-06T17:30:00Z'), VN)).toBe('2026-12-07');
  });
  it('spans Monday 00:00 to the next Monday 00:00 local', () => {
    const { from, to } = reportWeekRange('2026-11-30', VN);
    expect(new Date(from).toISOString()).toBe('2026-11-29T17:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2026-12-06T17:00:00.000Z');
    expect(new Date(scheduledPublishAt('2026-11-30', VN)).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
  it('validates and steps weeks', () => {
    expect(isReportWeekStart('2026-11-30')).toBe(true);
    expect(isReportWeekStart('2026-12-01')).toBe(false);
    expect(isReportWeekStart('junk')).toBe(false);
    expect(previousReportWeek('2026-11-30')).toBe('2026-11-23');
  });
});

describe('figures', () => {
  it('computes week-on-week change', () => {
    expect(weekChange(3552, 3400)).toEqual({ current: 3552, previous: 3400, delta: 152, percent: (152 / 3400) * 100 });
    expect(weekChange(5, 0).percent).toBeNull();
    expect(weekChange(null, 3).delta).toBeNull();
  });
  it('ranks with ties and rank changes', () => {
    const ranked = rankWithChange(
      [
        { unit: 'HN', value: 90 },
        { unit: 'HCM', value: 95 },
        { unit: 'DN', value: 90 },
        { unit: 'NEW', value: 10 },
      ],
      [
        { unit: 'HN', value: 99 },
        { unit: 'HCM', value: 80 },
        { unit: 'DN', value: 85 },
      ],
    );
    expect(ranked.map((r) => [r.unit, r.rank, r.previousRank, r.rankChange])).toEqual([
      ['HCM', 1, 3, 2],
      ['DN', 2, 2, 0],
      ['HN', 2, 1, -1],
      ['NEW', 4, null, null],
    ]);
  });
});

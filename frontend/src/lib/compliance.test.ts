import { describe, expect, it } from 'vitest';
import { complianceCounts, complianceRows, formatDueTime, latenessText, type Lateness } from './compliance';

const NOW = Date.parse('2026-12-04T09:30:00+07:00');
const onTime: Lateness = { status: 'on_time', periodsBehind: 0, lateSince: null, lateBySeconds: null };
const late = (periodsBehind: number, lateSince: string): Lateness => ({
  status: 'late',
  periodsBehind,
  lateSince: new Date(lateSince).toISOString(),
  lateBySeconds: Math.round((NOW - Date.parse(lateSince)) / 1000),
});

describe('lateness in words, Vietnamese first', () => {
  it.each([
    [onTime, 'Đúng hạn', 'On time'],
    [late(1, '2026-12-04T00:00:00+07:00'), 'Trễ 1 kỳ · từ 04/12 00:00', 'Late 1 period · since 4 Dec 00:00'],
    [late(2, '2026-12-03T00:00:00+07:00'), 'Trễ 2 kỳ · từ 03/12 00:00', 'Late 2 periods · since 3 Dec 00:00'],
    [late(3, '2026-12-02T07:00:00+07:00'), 'Trễ 3 kỳ · từ 02/12 07:00', 'Late 3 periods · since 2 Dec 07:00'],
    // a monthly indicator three months behind: due on the first of the month after the first missing one
    [late(3, '2026-10-01T00:00:00+07:00'), 'Trễ 3 kỳ · từ 01/10 00:00', 'Late 3 periods · since 1 Oct 00:00'],
    // another year is written out
    [
      { status: 'never', periodsBehind: 1252, lateSince: '2025-06-30T17:00:00.000Z', lateBySeconds: 1 },
      'Chưa báo cáo · 1.252 kỳ · từ 01/07/2025 00:00',
      'Never reported · 1,252 periods · since 1 Jul 2025 00:00',
    ],
    // never reported, nothing due yet
    [{ status: 'never', periodsBehind: 0, lateSince: null, lateBySeconds: null }, 'Chưa báo cáo', 'Never reported'],
    // periods unknown (irregular): the time late
    [{ status: 'late', periodsBehind: null, lateSince: null, lateBySeconds: 93_784 }, 'Trễ 1 ngày 2 giờ', 'Late 1 d 2 h'],
  ] as const)('%j', (row, vi, en) => {
    expect(latenessText(row, 'vi', NOW)).toBe(vi);
    expect(latenessText(row, 'en', NOW)).toBe(en);
  });

  it('writes due times in Viet Nam time whatever the instant is written in', () => {
    // 17:00 UTC on 1 Dec is midnight of 2 Dec in Hà Nội
    expect(formatDueTime('2026-12-01T17:00:00Z', 'vi', NOW)).toBe('02/12 00:00');
    expect(formatDueTime('2026-12-31T17:00:00Z', 'vi', NOW)).toBe('01/01/2027 00:00');
  });
});

describe('compliance rows over several indicators', () => {
  const unit = (code: string, l: Lateness, metrics: Record<string, Lateness['status']>, worstMetric: string | null = null) => ({
    unit: code,
    ...l,
    worstMetric,
    metrics: Object.fromEntries(
      Object.entries(metrics).map(([m, status]) => [
        m,
        { status, lastTs: null, periodsBehind: null, lateSince: null, firstMissingPeriod: null, lateBySeconds: null },
      ]),
    ),
  });

  it('one row per listed unit, worst first: never, then the most periods behind, then late the longest', () => {
    const metric = (code: string, collected = true) => ({
      metric: code,
      cadence: 'daily',
      periodStart: '',
      dueBy: '',
      graceSeconds: 0,
      collected,
    });
    const overview = {
      // m3: no unit of the kind has ever sent it
      metrics: [metric('m1'), metric('m2'), metric('m3', false)],
      units: [
        unit('01', onTime, { m1: 'on_time', m2: 'on_time', m3: 'never' }),
        unit('79', late(1, '2026-12-04T00:00:00+07:00'), { m1: 'late', m2: 'on_time' }, 'm1'),
        unit('48', late(3, '2026-12-02T00:00:00+07:00'), { m1: 'on_time', m2: 'late' }, 'm2'),
        unit('31', late(3, '2026-10-01T00:00:00+07:00'), { m1: 'late', m2: 'late' }, 'm2'),
        unit(
          '92',
          { status: 'never', periodsBehind: 20, lateSince: '2025-06-30T17:00:00.000Z', lateBySeconds: 1 },
          { m1: 'never', m2: 'late' },
        ),
        unit('XX', late(9, '2026-01-01T00:00:00+07:00'), { m1: 'late' }), // not on this panel
      ],
    };
    const rows = complianceRows(overview, ['79', '48', '01', '31', '92', '04']);
    expect(rows.map((r) => [r.unit, r.status, r.periodsBehind])).toEqual([
      ['92', 'never', 20],
      ['31', 'late', 3], // 3 behind since 1/10 before 3 behind since 2/12
      ['48', 'late', 3],
      ['79', 'late', 1],
      ['01', 'on_time', 0],
      ['04', 'on_time', null], // not in the answer: not required to report these indicators
    ]);
    expect(rows.map((r) => r.judged)).toEqual([true, true, true, true, true, false]);
    expect(rows[1]!.byMetric).toEqual({ m1: 'late', m2: 'late' });
    expect(rows[4]!.byMetric).toEqual({ m1: 'on_time', m2: 'on_time', m3: undefined }); // no data, not "never reported"
    expect(rows[2]!.worstMetric).toBe('m2');
    expect(complianceCounts(rows)).toEqual({ on_time: 1, late: 3, never: 1 }); // 04: nothing to judge
  });

  it('a unit none of whose indicators is collected yet has nothing to judge: after the others, not counted', () => {
    const overview = {
      metrics: [{ metric: 'm3', cadence: 'monthly', periodStart: '', dueBy: '', graceSeconds: 0, collected: false }],
      units: [unit('BCA', onTime, { m3: 'never' }), unit('BTC', onTime, { m3: 'never' })],
    };
    const rows = complianceRows(overview, ['BTC', 'BCA']);
    expect(rows.map((r) => [r.unit, r.judged, r.byMetric])).toEqual([
      ['BTC', false, { m3: undefined }],
      ['BCA', false, { m3: undefined }],
    ]);
    expect(complianceCounts(rows)).toEqual({ on_time: 0, late: 0, never: 0 });
  });
});

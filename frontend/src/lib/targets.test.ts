import { describe, expect, it } from 'vitest';
import {
  assessTarget,
  deadlineMs,
  pickTarget,
  progressPercent,
  projectionText,
  statusText,
  statusTone,
  targetText,
  tileTargetStatus,
  type TargetLike,
} from './targets';

const target = (over: Partial<TargetLike> = {}): TargetLike => ({
  id: 1,
  metricCode: 'm',
  unitCode: 'VN',
  value: 80,
  comparator: '>=',
  deadline: '2025-12-31',
  ...over,
});
const RATIO = { kind: 'ratio' as const };
const COUNT = { kind: 'gauge' as const };
const at = (iso: string) => Date.parse(iso);

describe('targets on the wall and in the console', () => {
  it.each([
    {
      name: 'nearest deadline still ahead',
      targets: [
        target({ id: 1, deadline: '2030-12-31' }),
        target({ id: 2, deadline: '2025-12-31' }),
        target({ id: 3, deadline: '2020-12-31' }),
      ],
      now: at('2025-06-01T00:00:00+07:00'),
      expected: 2,
    },
    {
      name: 'December 2026: the 2030 target, not the expired 2020 or 2025 ones',
      targets: [
        target({ id: 1, deadline: '2030-12-31' }),
        target({ id: 2, deadline: '2025-12-31' }),
        target({ id: 3, deadline: '2020-12-31' }),
      ],
      now: at('2026-12-05T00:00:00+07:00'),
      expected: 1,
    },
    {
      name: 'every deadline passed (level 4 ≥ 30% by 2020, seen in 2026): no headline',
      targets: [target({ id: 3, value: 30, deadline: '2020-12-31' })],
      now: at('2026-12-05T00:00:00+07:00'),
      expected: null,
    },
    {
      name: 'other unit or metric ignored',
      targets: [target({ id: 1, unitCode: '79' }), target({ id: 2, metricCode: 'x' })],
      now: 0,
      expected: null,
    },
  ])('pickTarget: $name', ({ targets, now, expected }) => {
    expect(pickTarget(targets, 'm', 'VN', now)?.id ?? null).toBe(expected);
  });

  it('the deadline day counts to its end in Viet Nam', () => {
    expect(deadlineMs('2025-12-31')).toBe(at('2026-01-01T00:00:00+07:00') - 1);
  });

  it('progress towards ≥ and ≤ (rank) targets', () => {
    expect(progressPercent(40, target())).toBeCloseTo(50, 6);
    expect(progressPercent(71, target({ comparator: '<=', value: 70 }))).toBeCloseTo((70 / 71) * 100, 6);
  });

  it('words a target met late with the date it was reached, in both languages', () => {
    const row = assessTarget(
      target({ value: 25, deadline: '2022-06-30' }),
      [
        { t: at('2022-04-27T00:00:00+07:00'), v: 11 },
        { t: at('2026-11-05T00:00:00+07:00'), v: 25 },
      ],
      at('2026-12-05T00:00:00+07:00'),
    );
    expect(row.status).toBe('met_late');
    const words = { status: row.status, reachedAt: new Date(row.reachedAt!).toISOString() };
    expect(statusText(words, 'vi')).toBe('Đạt muộn (05/11/2026)');
    expect(statusText(words, 'en')).toMatch(/^Met late \(.*2026\)$/);
    expect(statusTone('met_late')).toBe('warn');
    expect(statusText({ status: 'met_on_time', reachedAt: null }, 'vi')).toBe('Đã đạt đúng hạn');
  });

  it('states the target and its deadline', () => {
    expect(targetText(target({ value: 30, deadline: '2030-12-31' }), RATIO, 'vi')).toBe('≥ 30% · hạn 31/12/2030');
    expect(targetText(target({ value: 25, deadline: '2022-06-30' }), COUNT, 'en')).toMatch(/^≥ 25 · by /);
  });

  it('states the projection with its band and method, or why there is none', () => {
    const projected = projectionText(
      { method: 'holt', at: '2030-12-31T16:59:59.999Z', value: 13.7, low: 12.9, high: 14.5, pointsUsed: 6, reason: null },
      RATIO,
      'vi',
    );
    expect(projected).toBe('13,7% (khoảng 80% 12,9% – 14,5%) · xu hướng Holt, 6 số liệu');
    expect(
      projectionText(
        { method: null, at: '2045-12-31T16:59:59.999Z', value: null, low: null, high: null, pointsUsed: 5, reason: 'horizon_too_far' },
        RATIO,
        'en',
      ),
    ).toBe('No projection: deadline too far beyond the data');
    expect(projectionText(null, RATIO, 'vi')).toBeNull();
  });
});

describe('tileTargetStatus', () => {
  const t30 = target({ id: 7, value: 30, deadline: '2030-12-31' });
  it('shows the progress until the status has loaded, or when it is for another target', () => {
    expect(tileTargetStatus(t30, null, 43.9, 'vi')).toEqual({ text: '44%', tone: 'neutral', className: '' });
    expect(
      tileTargetStatus(
        t30,
        { status: 'at_risk', reachedAt: null, target: { ...t30, id: 8, legalSourceVi: '', legalSourceEn: '' } },
        43.9,
        'vi',
      ).text,
    ).toBe('44%');
  });
  it("says the backend's status with the progress while the deadline is ahead", () => {
    const row = { status: 'at_risk' as const, reachedAt: null, target: { ...t30, legalSourceVi: '', legalSourceEn: '' } };
    expect(tileTargetStatus(t30, row, 43.9, 'vi')).toEqual({ text: 'Có nguy cơ không đạt · 44%', tone: 'warn', className: 'missed' });
    expect(tileTargetStatus(t30, { ...row, status: 'met_on_time' }, 100, 'vi')).toMatchObject({ text: 'Đã đạt', className: 'met' });
  });
});

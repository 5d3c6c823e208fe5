import { describe, expect, it } from 'vitest';
import { assessRisk, assessTarget, deadlineMs, pickTarget, progressPercent, projectAt, sortByRisk, type TargetLike } from './targets';

const target = (over: Partial<TargetLike> = {}): TargetLike => ({
  id: 1,
  metricCode: 'm',
  unitCode: 'VN',
  value: 80,
  comparator: '>=',
  deadline: '2025-12-31',
  ...over,
});
const NOW = Date.parse('2025-06-01T00:00:00+07:00');
const DAY = 86_400_000;

describe('targets', () => {
  it.each([
    {
      name: 'nearest deadline still ahead',
      targets: [
        target({ id: 1, deadline: '2030-12-31' }),
        target({ id: 2, deadline: '2025-12-31' }),
        target({ id: 3, deadline: '2020-12-31' }),
      ],
      expected: 2,
    },
    {
      name: 'all past: the latest',
      targets: [target({ id: 1, deadline: '2019-12-31' }), target({ id: 3, deadline: '2020-12-31' })],
      expected: 3,
    },
    {
      name: 'other unit or metric ignored',
      targets: [target({ id: 1, unitCode: '79' }), target({ id: 2, metricCode: 'x' })],
      expected: null,
    },
  ])('pickTarget: $name', ({ targets, expected }) => {
    expect(pickTarget(targets, 'm', 'VN', NOW)?.id ?? null).toBe(expected);
  });

  it.each([
    [40, target(), 50],
    [90, target(), 100],
    [71, target({ comparator: '<=', value: 70 }), (70 / 71) * 100],
    [65, target({ comparator: '<=', value: 70 }), 100],
    [null, target(), null],
  ] as const)('progressPercent(%s)', (value, t, expected) => {
    const result = progressPercent(value, t);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toBeCloseTo(expected, 6);
  });

  it.each([
    { name: 'a straight line', points: [0, 10, 20].map((d, i) => ({ t: d * DAY, v: 10 + i * 10 })), at: 30 * DAY, expected: 40 },
    { name: 'flat', points: [0, 5].map((d) => ({ t: d * DAY, v: 7 })), at: 100 * DAY, expected: 7 },
    { name: 'one point', points: [{ t: 0, v: 1 }], at: DAY, expected: null },
  ])('projectAt: $name', ({ points, at, expected }) => {
    const result = projectAt(points, at);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toBeCloseTo(expected, 6);
  });

  it.each([
    { latest: null, projected: null, now: NOW, expected: 'no_data' },
    { latest: 85, projected: null, now: NOW, expected: 'achieved' },
    { latest: 40, projected: 90, now: NOW, expected: 'on_track' },
    { latest: 40, projected: 50, now: NOW, expected: 'at_risk' },
    { latest: 40, projected: null, now: deadlineMs('2025-12-31') + 1, expected: 'missed' },
  ] as const)('assessRisk → $expected', ({ latest, projected, now, expected }) => {
    expect(assessRisk(target(), latest, projected, now)).toBe(expected);
  });

  it('the deadline day counts to its end in Viet Nam', () => {
    expect(deadlineMs('2025-12-31')).toBe(Date.parse('2025-12-31T23:59:59+07:00'));
  });

  it('assesses and sorts worst first', () => {
    const rows = [
      assessTarget(target({ id: 1 }), [{ t: NOW - DAY, v: 90 }], NOW),
      assessTarget(target({ id: 2, deadline: '2020-12-31' }), [{ t: NOW - DAY, v: 10 }], NOW),
      assessTarget(target({ id: 3 }), [], NOW),
      assessTarget(
        target({ id: 4 }),
        [
          { t: NOW - 100 * DAY, v: 10 },
          { t: NOW - DAY, v: 20 },
        ],
        NOW,
      ),
    ];
    expect(sortByRisk(rows).map((r) => [r.target.id, r.risk])).toEqual([
      [2, 'missed'],
      [4, 'at_risk'],
      [3, 'no_data'],
      [1, 'achieved'],
    ]);
    expect(rows[1]!.projected).toBeNull(); // past deadline: no projection
  });
});

import { describe, expect, it } from 'vitest';
import {
  HOLT_MIN_POINTS,
  MIN_PROJECTION_POINTS,
  PROJECTION_POINTS,
  assessTargetStatus,
  currentTarget,
  deadlineEndMs,
  holtForecast,
  linearForecast,
  projectSeries,
  targetProgress,
  type TargetRef,
  type TimedValue,
} from './targets';

const TZ = 'Asia/Ho_Chi_Minh';
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const pt = (iso: string, v: number): TimedValue => ({ t: at(iso.length === 10 ? `${iso}T00:00:00+07:00` : iso), v });
const target = (over: Partial<TargetRef> = {}): TargetRef => ({
  id: 1,
  metricCode: 'm',
  unitCode: 'VN',
  value: 80,
  comparator: '>=',
  deadline: '2025-12-31',
  ...over,
});
/** daily values from `from`, one a day, as the simulator sends them */
const daily = (from: string, days: number, value: (i: number) => number) =>
  Array.from({ length: days }, (_, i) => ({ t: at(`${from}T00:00:00+07:00`) + i * DAY, v: value(i) }));
const DEC_2026 = at('2026-12-05T23:00:00+07:00');

describe('target status on the shapes the seed and the simulator store', () => {
  it('Project 06: 11 of 25 before 30 Jun 2022, 25 only in 2026 → met late, with the date reached', () => {
    const points = [pt('2022-04-27', 11), ...daily('2026-11-05', 30, () => 25)];
    const row = assessTargetStatus(
      target({ metricCode: 'dvc.project06_services', value: 25, deadline: '2022-06-30' }),
      points,
      DEC_2026,
      TZ,
    );
    expect(row.status).toBe('met_late');
    expect(new Date(row.reachedAt!).toISOString()).toBe(new Date(at('2026-11-05T00:00:00+07:00')).toISOString());
    expect(row.atDeadline?.v).toBe(11);
    expect(row.current).toBe(false);
    expect(row.projection).toBeNull();
  });

  it('10,000 officials by Oct 2022: about 1,000 in Q1 2022 and a running total past 10,000 in 2026 → met late', () => {
    const points = [pt('2022-03-31', 1000), ...daily('2026-11-05', 30, (i) => 40_000 + 10 * i)];
    const row = assessTargetStatus(target({ value: 10_000, deadline: '2022-10-31' }), points, DEC_2026, TZ);
    expect(row.status).toBe('met_late');
  });

  it('level-4 share ≥ 30% by end 2020: 4.5% (2018), 10.7% (2019), nothing after → missed, not a current target', () => {
    const points = [pt('2018-12-31', 4.5), pt('2019-12-31', 10.7)];
    const row = assessTargetStatus(target({ value: 30, deadline: '2020-12-31' }), points, DEC_2026, TZ);
    expect(row.status).toBe('missed');
    expect(row.current).toBe(false);
  });

  it('met on time: the value at the deadline meets it; reachedAt is when that run began', () => {
    const points = [pt('2020-05-31', 90), pt('2020-06-10', 100), pt('2020-06-20', 100), pt('2021-01-01', 99)];
    const row = assessTargetStatus(target({ value: 100, deadline: '2020-06-30' }), points, DEC_2026, TZ);
    expect(row.status).toBe('met_on_time');
    expect(row.reachedAt).toBe(at('2020-06-10T00:00:00+07:00'));
  });

  it('reached before the deadline but fallen back by it, regained later → met late', () => {
    const points = [pt('2020-05-01', 100), pt('2020-06-20', 95), pt('2020-08-01', 100)];
    expect(assessTargetStatus(target({ value: 100, deadline: '2020-06-30' }), points, DEC_2026, TZ).status).toBe('met_late');
  });

  it('rank targets (≤): EGDI top 70 by 2025 with 71 in Sep 2024 → missed', () => {
    const points = [
      pt('2014-07-01', 99),
      pt('2016-07-01', 89),
      pt('2018-07-01', 88),
      pt('2020-07-01', 86),
      pt('2022-07-01', 86),
      pt('2024-09-17', 71),
    ];
    const row = assessTargetStatus(target({ comparator: '<=', value: 70, deadline: '2025-12-31' }), points, DEC_2026, TZ);
    expect(row.status).toBe('missed');
    expect(row.progress).toBeCloseTo((70 / 71) * 100, 6);
  });

  it('digital economy 30% by 2030 from the GSO series 2020–2024 → at risk, projected by a line with a band', () => {
    const points = [
      pt('2020-12-31', 12.66),
      pt('2021-12-31', 12.87),
      pt('2022-12-31', 12.83),
      pt('2023-12-31', 12.87),
      pt('2024-12-31', 13.17),
    ];
    const row = assessTargetStatus(target({ value: 30, deadline: '2030-12-31' }), points, DEC_2026, TZ);
    expect(row.current).toBe(true);
    expect(row.status).toBe('at_risk');
    expect(row.projection?.method).toBe('linear');
    expect(row.projection?.value).toBeGreaterThan(13);
    expect(row.projection?.value).toBeLessThan(16);
    expect(row.projection?.low).toBeLessThan(row.projection!.value!);
    expect(row.projection?.high).toBeGreaterThan(row.projection!.value!);
    // 50% by 2045 lies 21 years past data spanning 4: no projection, "cannot assess"
    const far = assessTargetStatus(target({ value: 50, deadline: '2045-12-31' }), points, DEC_2026, TZ);
    expect(far.status).toBe('cannot_assess');
    expect(far.projection?.reason).toBe('horizon_too_far');
    expect(far.projection?.value).toBeNull();
  });

  it('a current target already met is met on time; no data is cannot_assess', () => {
    expect(assessTargetStatus(target(), [pt('2025-06-01', 85)], at('2025-07-01T00:00:00+07:00'), TZ).status).toBe('met_on_time');
    const none = assessTargetStatus(target(), [], at('2025-07-01T00:00:00+07:00'), TZ);
    expect(none.status).toBe('cannot_assess');
    expect(none.projection?.reason).toBe('no_data');
  });

  it('values after `now` are not known yet', () => {
    const row = assessTargetStatus(
      target({ value: 25, deadline: '2022-06-30' }),
      [pt('2022-04-27', 11), pt('2026-11-05', 25)],
      at('2023-01-01T00:00:00+07:00'),
      TZ,
    );
    expect(row.status).toBe('missed');
  });
});

describe('currentTarget', () => {
  const targets = [
    target({ id: 1, deadline: '2030-12-31' }),
    target({ id: 2, deadline: '2025-12-31' }),
    target({ id: 3, deadline: '2020-12-31' }),
  ];
  it('is the nearest deadline not yet passed', () => {
    expect(currentTarget(targets, 'm', 'VN', at('2025-06-01T00:00:00+07:00'), TZ)?.id).toBe(2);
    expect(currentTarget(targets, 'm', 'VN', DEC_2026, TZ)?.id).toBe(1);
  });
  it('is null once every deadline has passed (an expired target is no headline)', () => {
    expect(currentTarget([targets[2]!], 'm', 'VN', DEC_2026, TZ)).toBeNull();
  });
  it('counts the deadline day to its end in Viet Nam', () => {
    expect(deadlineEndMs('2025-12-31', TZ)).toBe(at('2026-01-01T00:00:00+07:00') - 1);
    expect(currentTarget(targets, 'm', 'VN', at('2025-12-31T23:59:00+07:00'), TZ)?.id).toBe(2);
  });
});

describe('projectSeries', () => {
  it(`needs ${MIN_PROJECTION_POINTS} distinct times: two points never project (the old backtest did)`, () => {
    const two = [pt('2024-06-30', 42), pt('2025-10-26', 39.98)];
    const p = projectSeries(two, at('2025-12-31T23:59:59+07:00'), at('2025-11-01T00:00:00+07:00'));
    expect(p).toMatchObject({ method: null, value: null, reason: 'too_few_points', pointsUsed: 2 });
    // repeated times count once
    const dup = [...two, pt('2025-10-26', 40)];
    expect(projectSeries(dup, at('2025-12-31T23:59:59+07:00'), at('2025-11-01T00:00:00+07:00')).reason).toBe('too_few_points');
  });

  it('refuses a horizon more than twice the span of the values', () => {
    const week = daily('2026-11-01', 7, (i) => 10 + i);
    expect(projectSeries(week, at('2026-11-18T00:00:00+07:00'), DEC_2026).value).not.toBeNull(); // 11 days past the last of 6 days of data
    expect(projectSeries(week, at('2027-01-01T00:00:00+07:00'), DEC_2026).reason).toBe('horizon_too_far');
  });

  it(`uses at most the latest ${PROJECTION_POINTS} values known at now`, () => {
    const long = daily('2026-01-01', 100, (i) => (i < 50 ? 1000 : 10 + i));
    const p = projectSeries(long, at('2026-04-20T00:00:00+07:00'), at('2026-04-10T00:00:00+07:00'));
    expect(p.pointsUsed).toBe(PROJECTION_POINTS);
    expect(p.method).toBe('holt');
    // a straight rise of 1 a day: Holt follows it exactly
    expect(p.value).toBeCloseTo(10 + 109, 6);
  });

  it(`Holt from ${HOLT_MIN_POINTS} points, a line below`, () => {
    const five = daily('2026-01-01', 5, (i) => 2 * i);
    const six = daily('2026-01-01', 6, (i) => 2 * i);
    expect(projectSeries(five, at('2026-01-08T00:00:00+07:00'), DEC_2026).method).toBe('linear');
    expect(projectSeries(six, at('2026-01-08T00:00:00+07:00'), DEC_2026).method).toBe('holt');
  });

  it('Holt follows a change of trend a straight line averages away', () => {
    // flat for 12 weeks, then rising 5 a week for 8 weeks
    const points = Array.from({ length: 20 }, (_, i) => ({ t: i * 7 * DAY, v: i < 12 ? 50 : 50 + 5 * (i - 11) }));
    const atT = 27 * 7 * DAY;
    const holt = holtForecast(points, atT)!;
    const line = linearForecast(points, atT)!;
    const truth = 50 + 5 * (27 - 11);
    expect(Math.abs(holt.value - truth)).toBeLessThan(Math.abs(line.value - truth));
    expect(Math.abs(holt.value - truth)).toBeLessThan(5);
  });

  it('the band widens with the horizon and holds the noise-free value', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const points = Array.from({ length: 24 }, (_, i) => ({ t: i * DAY, v: 100 + 2 * i + 4 * rand() }));
    const near = projectSeries(points, 25 * DAY, 23 * DAY);
    const far = projectSeries(points, 40 * DAY, 23 * DAY);
    expect(near.method).toBe('holt');
    expect(far.high! - far.low!).toBeGreaterThan(near.high! - near.low!);
    expect(near.low!).toBeLessThan(100 + 2 * 25);
    expect(near.high!).toBeGreaterThan(100 + 2 * 25);
  });

  it('handles uneven spacing (annual figures, then daily values)', () => {
    const points = [pt('2022-12-31', 20), pt('2023-12-31', 25), pt('2024-12-31', 30), ...daily('2025-12-01', 5, (i) => 35 + 0.01 * i)];
    const p = projectSeries(points, at('2026-12-31T00:00:00+07:00'), at('2025-12-06T00:00:00+07:00'));
    expect(p.method).toBe('holt');
    expect(Number.isFinite(p.value)).toBe(true);
    expect(p.value!).toBeGreaterThan(30);
    expect(p.value!).toBeLessThan(50);
  });
});

describe('targetProgress', () => {
  it.each([
    [40, target(), 50],
    [90, target(), 100],
    [71, target({ comparator: '<=', value: 70 }), (70 / 71) * 100],
    [65, target({ comparator: '<=', value: 70 }), 100],
  ] as const)('%s → %s', (value, t, expected) => {
    expect(targetProgress(value, t)).toBeCloseTo(expected, 6);
  });
  it('null without a value', () => expect(targetProgress(null, target())).toBeNull());
});

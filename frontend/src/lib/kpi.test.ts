import fc from 'fast-check';
import { COMPARE_MODES } from '@dxoc/dashboards/schema';
import { describe, expect, it } from 'vitest';
import {
  compareSetting,
  kpiSummary,
  planReference,
  referenceInstant,
  referenceLabel,
  resolveReference,
  tileMeasure,
  valueKnownAt,
  type ReferencePlan,
  type RevisionLike,
} from './kpi';

const NOW = Date.parse('2026-11-22T10:00:00+07:00');
const D = 86_400_000;
const targets = [{ id: 1, metricCode: 'm', unitCode: 'VN', value: 80, comparator: '>=' as const, deadline: '2027-12-31' }];
const at = (iso: string) => Date.parse(iso);

describe('KPI tile', () => {
  it.each([
    {
      name: 'fresh value with progress',
      points: [
        { t: NOW - 20 * D, v: 40 },
        { t: NOW - D, v: 60 },
      ],
      cadence: 'daily' as const,
      expected: { value: 60, stale: false, progress: 75, targetMet: false },
    },
    {
      name: 'stale monthly value greys out',
      points: [
        { t: NOW - 400 * D, v: 40 },
        { t: NOW - 100 * D, v: 85 },
      ],
      cadence: 'monthly' as const,
      expected: { value: 85, stale: true, progress: 100, targetMet: true },
    },
    {
      name: 'one value',
      points: [{ t: NOW - D, v: 10 }],
      cadence: 'daily' as const,
      expected: { value: 10, stale: false, progress: 12.5, targetMet: false },
    },
    {
      name: 'no data',
      points: [],
      cadence: 'daily' as const,
      expected: { value: null, stale: false, progress: null, targetMet: null },
    },
  ])('$name', ({ points, cadence, expected }) => {
    const s = kpiSummary(points, { metric: 'm', unit: 'VN', cadence, targets, thresholds: [], now: NOW });
    expect({ value: s.value, stale: s.stale, progress: s.progress, targetMet: s.targetMet }).toEqual(expected);
    // without a reference there is no change: never "since the first point of the range"
    expect(s.change).toBeNull();
    expect(s.reference).toBeNull();
  });

  it.each([
    [50, null],
    [70, '#ffb020'],
    [95, '#ff4d5e'],
  ])('threshold colour for %s', (value, colour) => {
    const s = kpiSummary([{ t: NOW, v: value }], {
      metric: 'm',
      unit: 'VN',
      cadence: 'daily',
      targets: [],
      thresholds: [
        { value: 90, colour: '#ff4d5e' },
        { value: 60, colour: '#ffb020' },
      ],
      now: NOW,
    });
    expect(s.thresholdColour).toBe(colour);
  });
});

describe('the page setting', () => {
  it.each([
    ['same-time-previous-day', { kind: 'same-time', period: 'day' }],
    ['same-time-previous-month', { kind: 'same-time', period: 'month' }],
    ['previous-complete-day', { kind: 'complete', period: 'day' }],
    ['previous-complete-year', { kind: 'complete', period: 'year' }],
    ['none', null],
  ] as const)('%s', (mode, expected) => {
    expect(compareSetting(mode)).toEqual(expected);
  });

  it('understands every mode the schema allows', () => {
    for (const mode of COMPARE_MODES) expect(() => compareSetting(mode)).not.toThrow();
  });

  it.each([
    // Viet Nam days: 00:52 on 5 Dec in Hà Nội is 17:52 on 4 Dec in UTC, and yesterday is 4 Dec there
    ['same-time-previous-day', '2026-12-05T00:52:00+07:00', '2026-12-04T00:52:00+07:00'],
    ['same-time-previous-day', '2026-12-05T23:30:00+07:00', '2026-12-04T23:30:00+07:00'],
    ['previous-complete-day', '2026-12-05T00:52:00+07:00', '2026-12-04T23:59:59.999+07:00'],
    // a week starts on Monday: Saturday 5 Dec 2026 → Saturday 28 Nov; the whole week before ends Sunday 29 Nov
    ['same-time-previous-week', '2026-12-05T09:00:00+07:00', '2026-11-28T09:00:00+07:00'],
    ['previous-complete-week', '2026-12-05T09:00:00+07:00', '2026-11-29T23:59:59.999+07:00'],
    ['same-time-previous-month', '2026-12-15T10:00:00+07:00', '2026-11-15T10:00:00+07:00'],
    // 31 March has no 31 February: the end of February, not 3 March
    ['same-time-previous-month', '2027-03-31T10:00:00+07:00', '2027-02-28T23:59:59.999+07:00'],
    ['previous-complete-month', '2026-12-01T00:10:00+07:00', '2026-11-30T23:59:59.999+07:00'],
    ['same-time-previous-year', '2026-12-05T10:00:00+07:00', '2025-12-05T10:00:00+07:00'],
    // 29 February 2028 → the end of 28 February 2027, not 1 March
    ['same-time-previous-year', '2028-02-29T10:00:00+07:00', '2027-02-28T23:59:59.999+07:00'],
    ['previous-complete-year', '2026-01-01T00:05:00+07:00', '2025-12-31T23:59:59.999+07:00'],
  ] as const)('%s at %s → %s', (mode, now, expected) => {
    expect(new Date(referenceInstant(compareSetting(mode)!, at(now))).toISOString()).toBe(new Date(at(expected)).toISOString());
  });
});

describe('a tile compares with the value it would have shown at the reference instant', () => {
  it.each([
    [{ bucket: '1d', agg: 'sum' as const }, 'last' as const, 'amount'],
    [{ bucket: '1d' }, 'sum' as const, 'amount'],
    [{ bucket: '1mo', agg: 'last' as const }, 'sum' as const, 'level'],
    [{}, 'sum' as const, 'level'],
    [{ bucket: '1mo', agg: 'avg' as const }, 'last' as const, 'aggregate'],
  ])('%j (metric default %s) is measured as %s', (query, defaultAgg, expected) => {
    expect(tileMeasure(query, defaultAgg)).toBe(expected);
  });

  it('revisions: the value as it stood at an instant', () => {
    const revisions = [
      { value: 120, receivedAt: '2026-12-04T01:00:00+07:00' },
      { value: 80, receivedAt: '2026-12-04T00:50:00+07:00' },
      { value: 20, receivedAt: '2026-12-04T00:10:00+07:00' },
    ];
    expect(valueKnownAt(revisions, at('2026-12-04T00:52:00+07:00'))).toBe(80);
    expect(valueKnownAt(revisions, at('2026-12-04T00:50:00+07:00'))).toBe(80);
    expect(valueKnownAt(revisions, at('2026-12-04T00:05:00+07:00'))).toBeNull();
    expect(valueKnownAt(revisions, at('2026-12-05T00:00:00+07:00'))).toBe(120);
  });
});

/** Yesterday's running count of online applications, revised every few minutes by the one-stop-shop systems. */
const REF_DAY = '2026-12-04';
const yesterdayRevisions: RevisionLike[] = [
  { value: 20, receivedAt: `${REF_DAY}T00:10:00+07:00` },
  { value: 71, receivedAt: `${REF_DAY}T00:40:00+07:00` },
  { value: 80, receivedAt: `${REF_DAY}T00:50:00+07:00` },
  { value: 120, receivedAt: `${REF_DAY}T01:00:00+07:00` },
  { value: 66_294, receivedAt: `${REF_DAY}T23:59:30+07:00` },
];
const applicationsToday = {
  bucket: '1d',
  agg: 'sum' as const,
  defaultAgg: 'sum' as const,
  cadence: 'daily' as const,
};

function summaryAt(now: number, plan: ReferencePlan, data: Parameters<typeof resolveReference>[1], points: { t: number; v: number }[]) {
  const reference = resolveReference(plan, data);
  return kpiSummary(points, {
    metric: 'onestop.applications_received',
    unit: 'VN',
    cadence: 'daily',
    targets: [],
    thresholds: [],
    now,
    reference,
    currentBucketStart: at('2026-12-05T00:00:00+07:00'),
  });
}

describe('"today so far" at 00:52', () => {
  const now = at('2026-12-05T00:52:00+07:00');
  const today = [
    { t: at('2026-12-03T00:00:00+07:00'), v: 64_100 },
    { t: at('2026-12-04T00:00:00+07:00'), v: 66_294 },
    { t: at('2026-12-05T00:00:00+07:00'), v: 89 },
  ];

  it('is compared with yesterday up to 00:52, not with the whole of yesterday (the −66.205 in red)', () => {
    const plan = planReference(compareSetting('same-time-previous-day'), now, applicationsToday)!;
    expect(plan).toMatchObject({
      measure: 'amount',
      from: at(`${REF_DAY}T00:00:00+07:00`),
      end: at('2026-12-05T00:00:00+07:00'),
      complete: false,
      partialTs: at(`${REF_DAY}T00:00:00+07:00`),
    });
    const s = summaryAt(now, plan, { whole: 66_294, before: 0, revisions: yesterdayRevisions }, today);
    expect(s.value).toBe(89);
    expect(s.reference).toMatchObject({ value: 80, kind: 'same-time', fair: true });
    expect(s.change).toBe(9);
    expect(s.fairChange).toBe(true);
    expect(referenceLabel(s.reference!, 'vi', now)).toBe('so với 04/12 cùng giờ');
    expect(referenceLabel(s.reference!, 'en', now)).toBe('vs 4 Dec, same time');
  });

  it('when yesterday was only loaded afterwards (no revision by 00:52), compares with all of yesterday and says so', () => {
    const plan = planReference(compareSetting('same-time-previous-day'), now, applicationsToday)!;
    const backfilled = [{ value: 66_294, receivedAt: '2026-12-05T00:20:00+07:00' }];
    const s = summaryAt(now, plan, { whole: 66_294, before: 0, revisions: backfilled }, today);
    expect(s.reference).toMatchObject({ value: 66_294, kind: 'whole-period', fair: false });
    expect(s.change).toBe(89 - 66_294);
    expect(s.fairChange).toBe(false);
    expect(referenceLabel(s.reference!, 'vi', now)).toBe('so với cả ngày 04/12');
    expect(referenceLabel(s.reference!, 'en', now)).toBe('vs all of 4 Dec');
  });

  it('when nothing is stored for yesterday at all (history 404), the same labelled whole day', () => {
    const plan = planReference(compareSetting('same-time-previous-day'), now, applicationsToday)!;
    const s = summaryAt(now, plan, { whole: 66_294, before: 0, revisions: null }, today);
    expect(s.reference?.kind).toBe('whole-period');
    expect(s.fairChange).toBe(false);
  });

  it('a page that asks for the whole previous day gets it, labelled and not coloured', () => {
    const plan = planReference(compareSetting('previous-complete-day'), now, applicationsToday)!;
    expect(plan).toMatchObject({ measure: 'amount', complete: true, partialTs: null });
    const s = summaryAt(now, plan, { whole: 66_294 }, today);
    expect(s.reference).toMatchObject({ kind: 'whole-period', fair: false, value: 66_294 });
    expect(referenceLabel(s.reference!, 'vi', now)).toBe('so với cả ngày 04/12');
  });

  it('before today has a value, the tile shows no change rather than yesterday against the day before', () => {
    const early = at('2026-12-05T00:01:00+07:00');
    const plan = planReference(compareSetting('same-time-previous-day'), early, applicationsToday)!;
    const s = summaryAt(early, plan, { whole: 66_294, before: 0, revisions: yesterdayRevisions }, today.slice(0, 2));
    expect(s.value).toBe(66_294);
    expect(s.change).toBeNull();
    // the reference is still stated (nothing had come in by 00:01 yesterday either: the whole day, labelled)
    expect(s.reference?.kind).toBe('whole-period');
  });
});

describe('levels, totals, monthly and yearly indicators', () => {
  const services = { bucket: '1mo', agg: 'last' as const, defaultAgg: 'last' as const, cadence: 'monthly' as const };

  it('a monthly level on a "same time yesterday" page: its value as it stood then, same reference date as the other tiles', () => {
    const now = at('2026-12-05T00:52:00+07:00');
    const plan = planReference(compareSetting('same-time-previous-day'), now, services)!;
    const amount = planReference(compareSetting('same-time-previous-day'), now, applicationsToday)!;
    expect(plan).toEqual({ measure: 'level', setting: { kind: 'same-time', period: 'day' }, at: amount.at });
    const reference = resolveReference(plan, { value: 4_590 })!;
    expect(reference).toMatchObject({ kind: 'same-time', value: 4_590, fair: true });
    expect(referenceLabel(reference, 'vi', now)).toBe('so với 04/12 cùng giờ');
    const s = kpiSummary([{ t: at('2026-12-01T00:00:00+07:00'), v: 4_612 }], {
      metric: 'dvc.services_online',
      unit: 'VN',
      cadence: 'monthly',
      targets: [],
      thresholds: [],
      now,
      reference,
    });
    expect(s.change).toBe(22);
    expect(s.fairChange).toBe(true);
  });

  it('a running total on a month page: as it stood at the same time a month ago', () => {
    const now = at('2026-12-15T10:00:00+07:00');
    const plan = planReference(compareSetting('same-time-previous-month'), now, {
      bucket: '1mo',
      agg: 'last',
      defaultAgg: 'last',
      cadence: 'monthly',
    })!;
    expect(plan.at).toBe(at('2026-11-15T10:00:00+07:00'));
    const reference = resolveReference(plan, { value: 62_000_000 })!;
    expect(referenceLabel(reference, 'vi', now)).toBe('so với cùng thời điểm 15/11');
    expect(referenceLabel(reference, 'en', now)).toBe('vs the same time on 15 Nov');
  });

  it('a month-to-date amount: the complete days of last month up to the same day, plus that day up to the same time', () => {
    const now = at('2026-12-15T10:00:00+07:00');
    const plan = planReference(compareSetting('same-time-previous-month'), now, { ...applicationsToday, bucket: '1mo' })!;
    expect(plan).toMatchObject({
      measure: 'amount',
      from: at('2026-11-01T00:00:00+07:00'),
      end: at('2026-12-01T00:00:00+07:00'),
      complete: false,
      partialTs: at('2026-11-15T00:00:00+07:00'),
    });
    const revisions = [
      { value: 30_000, receivedAt: '2026-11-15T09:58:00+07:00' },
      { value: 70_000, receivedAt: '2026-11-15T23:59:00+07:00' },
    ];
    const reference = resolveReference(plan, { whole: 2_000_000, before: 900_000, revisions })!;
    expect(reference).toMatchObject({ kind: 'same-time', value: 930_000, fair: true });
  });

  it('a previous-complete-month page: levels as they stood at the end of last month, amounts against all of it', () => {
    const now = at('2026-12-05T10:00:00+07:00');
    const level = resolveReference(planReference(compareSetting('previous-complete-month'), now, services)!, { value: 4_590 })!;
    expect(level.kind).toBe('end-of-period');
    expect(referenceLabel(level, 'vi', now)).toBe('so với cuối tháng 11/2026');
    expect(referenceLabel(level, 'en', now)).toBe('vs the end of Nov 2026');
    const month = resolveReference(
      planReference(compareSetting('previous-complete-month'), now, { ...applicationsToday, bucket: '1mo' })!,
      {
        whole: 2_000_000,
      },
    )!;
    expect(month).toMatchObject({ kind: 'whole-period', fair: false });
    expect(referenceLabel(month, 'vi', now)).toBe('so với cả tháng 11/2026');
  });

  it('a year page: the date says which year', () => {
    const now = at('2026-12-05T10:00:00+07:00');
    const reference = resolveReference(planReference(compareSetting('same-time-previous-year'), now, services)!, { value: 4_400 })!;
    expect(referenceLabel(reference, 'vi', now)).toBe('so với cùng thời điểm 05/12/2025');
    const complete = resolveReference(planReference(compareSetting('previous-complete-year'), now, services)!, { value: 4_400 })!;
    expect(referenceLabel(complete, 'vi', now)).toBe('so với cuối năm 2025');
    const days = resolveReference(planReference(compareSetting('previous-complete-year'), now, applicationsToday)!, { whole: 5 })!;
    // the daily amount's bucket on the last day of last year, in full
    expect(referenceLabel(days, 'vi', now)).toBe('so với cả ngày 31/12/2025');
  });

  it('nothing stored at the reference instant: no reference, so no change', () => {
    const now = at('2026-12-05T10:00:00+07:00');
    expect(resolveReference(planReference(compareSetting('same-time-previous-day'), now, services)!, { value: null })).toBeNull();
    expect(planReference(compareSetting('none'), now, services)).toBeNull();
  });
});

describe('for any time and any page setting', () => {
  const modes = COMPARE_MODES.filter((m) => m !== 'none');
  const instant = fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') });
  const tiles = [
    applicationsToday,
    { ...applicationsToday, bucket: '1mo' },
    { bucket: '1mo', agg: 'last' as const, defaultAgg: 'last' as const, cadence: 'monthly' as const },
    { bucket: '1w', agg: 'last' as const, defaultAgg: 'last' as const, cadence: 'weekly' as const },
  ];

  it('every tile of a page compares with the same instant, before now, in the previous period', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...modes), (now, mode) => {
        const plans = tiles.map((tile) => planReference(compareSetting(mode), now, tile)!);
        expect(new Set(plans.map((p) => p.at)).size).toBe(1);
        const reference = plans[0]!.at;
        expect(reference).toBeLessThan(now);
        const period = compareSetting(mode)!.period;
        const bucket = { day: '1d', week: '1w', month: '1mo', year: '1y' }[period];
        // the reference lies in the period just before the current one
        const day = planReference(compareSetting(`previous-complete-${period}` as (typeof modes)[number]), now, tiles[2]!)!.at;
        expect(reference).toBeLessThanOrEqual(day);
        expect(reference).toBeGreaterThan(day - (bucket === '1y' ? 366 : bucket === '1mo' ? 31 : bucket === '1w' ? 7 : 1) * D);
      }),
      { numRuns: 300 },
    );
  });

  it('a running amount is never compared with a whole period without saying "cả" and without colour', () => {
    const revision = fc.record({
      value: fc.integer({ min: 0, max: 100_000 }),
      receivedAt: fc.integer({ min: at('2019-12-01T00:00:00Z'), max: at('2031-01-31T00:00:00Z') }).map((t) => new Date(t).toISOString()),
    });
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...modes),
        fc.constantFrom(applicationsToday, { ...applicationsToday, bucket: '1mo' }),
        fc.option(fc.array(revision, { maxLength: 6 })),
        (now, mode, tile, revisions) => {
          const plan = planReference(compareSetting(mode), now, tile)!;
          const reference = resolveReference(plan, { whole: 1_000, before: 10, revisions });
          expect(reference).not.toBeNull();
          const label = referenceLabel(reference!, 'vi', now);
          if (reference!.kind === 'whole-period') {
            expect(reference!.fair).toBe(false);
            expect(label).toMatch(/^so với cả /);
          } else {
            // same part of the period: the value as it stood at the reference instant
            expect(revisions).not.toBeNull();
            expect(reference!.value).toBe(10 + valueKnownAt(revisions!, plan.at)!);
            expect(label).not.toMatch(/ cả /);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

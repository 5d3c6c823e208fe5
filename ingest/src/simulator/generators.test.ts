import { describe, expect, it } from 'vitest';
import { parseIsoWithOffset, plausibleRange } from '@dxoc/contracts';
import { seedMetrics } from '@dxoc/contracts/reference';
import {
  DAY_MS,
  METRIC_SHAPES,
  NOT_SIMULATED,
  badPoints,
  buildWorld,
  dayPoints,
  dayStart,
  historyPoints,
  lastReportedDay,
  livePoints,
  simulatedValue,
  vietnamIso,
  type SimCatalog,
} from './generators';
import { SURVEY_METRICS } from './surveys';

/** A slice of the catalog's units and all its metrics, as GET /api/v1/catalog/* serves them (@dxoc/contracts/reference). */
const catalog: SimCatalog = {
  units: [
    { code: 'VN', kind: 'nation', validFrom: null, validUntil: null },
    ...['01', '79', '04', '11', '14', '48', '52'].map((code) => ({ code, kind: 'province' as const, validFrom: null, validUntil: null })),
    { code: '74', kind: 'province', validFrom: null, validUntil: '2025-07-01' },
    { code: 'BCA', kind: 'ministry', validFrom: null, validUntil: null },
    { code: 'BXD', kind: 'ministry', validFrom: null, validUntil: null },
  ],
  metrics: seedMetrics.map((m) => ({ code: m.code, unitKinds: m.unitKinds })),
};

const NOW = Date.parse('2026-11-22T03:00:00Z'); // a Sunday, 10:00 in Viet Nam
const world = buildWorld(catalog, NOW, 7);
const value = (metric: string, unit: string, t: number) => simulatedValue(world, metric, unit, t) as number;
const metricsByCode = new Map(seedMetrics.map((m) => [m.code, m]));

describe('the simulator generators', () => {
  it('play the units in force and the metrics they can, and skip what they should not invent', () => {
    expect([...world.units.keys()].sort()).toEqual(['01', '04', '11', '14', '48', '52', '79', 'BCA', 'BXD', 'VN']);
    expect(simulatedValue(world, 'egdi.rank', 'VN', NOW)).toBeNull();
    expect(simulatedValue(world, 'einvoice.issued', 'BCA', NOW)).toBeNull();
    expect(simulatedValue(world, 'dvc.services_online', '74', NOW)).toBeNull();
  });

  it('are anchored to the published figures: 3,552 then 4,400 online services, level-4 share rising toward 30%', () => {
    expect(value('dvc.services_online', 'VN', Date.parse('2022-04-27T00:00:00+07:00'))).toBe(3552);
    expect(value('dvc.services_online', 'VN', Date.parse('2024-08-31T00:00:00+07:00'))).toBe(4400);
    expect(value('dvc.services_online', 'VN', NOW)).toBeGreaterThan(4400);
    expect(value('dvc.level4_share', 'VN', Date.parse('2019-12-31T00:00:00+07:00'))).toBe(10.7);
    const shares = [2021, 2023, 2025, 2026].map((year) => value('dvc.level4_share', 'VN', Date.parse(`${year}-06-01T00:00:00+07:00`)));
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.at(-1)).toBeLessThan(30);
    expect(shares.at(-1)).toBeGreaterThan(25);
    expect(value('population.citizen_records', 'VN', NOW)).toBeGreaterThan(104_000_000);
  });

  it('give lagging provinces lower shares than the leaders', () => {
    for (const metric of ['dvc.level4_share', 'dvc.end_to_end_dossier_share']) {
      for (const laggard of ['04', '11']) expect(value(metric, laggard, NOW)).toBeLessThan(value(metric, '48', NOW));
    }
  });

  it('keep every running total growing, whatever the unit, so the API never sees a counter go backwards', () => {
    const counters = Object.keys(METRIC_SHAPES).filter((m) => METRIC_SHAPES[m] === 'counter');
    for (const unit of world.units.keys()) {
      for (const metric of counters) {
        let previous = -Infinity;
        for (let t = NOW - 40 * DAY_MS; t <= NOW; t += 7 * 3_600_000 + 123) {
          const v = simulatedValue(world, metric, unit, t);
          if (v === null) break;
          expect(v, `${metric} ${unit}`).toBeGreaterThanOrEqual(previous);
          previous = v;
        }
      }
    }
  });

  it('count e-invoices on working days, fewer on Saturdays, fewest on Sundays, and the nation is the sum of its provinces', () => {
    const endOfDay = (date: string) => Date.parse(`${date}T23:59:00+07:00`);
    const [friday, saturday, sunday] = ['2026-11-13', '2026-11-14', '2026-11-15'].map((d) =>
      value('einvoice.issued', 'VN', endOfDay(d)),
    ) as [number, number, number];
    expect(friday).toBeGreaterThan(saturday);
    expect(saturday).toBeGreaterThan(sunday);
    expect(friday).toBeGreaterThan(1_000_000);
    const day = endOfDay('2026-11-13');
    const provinces = [...world.units.values()]
      .filter((u) => u.kind === 'province')
      .reduce((sum, u) => sum + value('einvoice.issued', u.code, day), 0);
    expect(Math.abs(friday - provinces)).toBeLessThanOrEqual(provinces * 0.001 + 10);
    // the running count of today grows during the day
    expect(value('einvoice.issued', '79', Date.parse('2026-11-13T09:00:00+07:00'))).toBeLessThan(
      value('einvoice.issued', '79', Date.parse('2026-11-13T16:00:00+07:00')),
    );
  });

  it('produce only values the API accepts: in range, one per metric, unit and time, never in the future', () => {
    const points = historyPoints(world, NOW - 30 * DAY_MS, NOW);
    const keys = new Set(points.map((p) => `${p.metric}|${p.unit}|${p.ts}`));
    expect(keys.size).toBe(points.length);
    for (const p of [...points, ...livePoints(world, NOW)]) {
      const { min, max } = plausibleRange(metricsByCode.get(p.metric)!);
      expect(p.value, `${p.metric} ${p.unit}`).toBeGreaterThanOrEqual(min);
      expect(p.value, `${p.metric} ${p.unit}`).toBeLessThanOrEqual(max);
      expect(parseIsoWithOffset(p.ts)).toBeLessThanOrEqual(NOW);
    }
  });

  it('hold back late reporters: their days arrive days late and they send nothing live', () => {
    const sonLa = world.units.get('14');
    expect(lastReportedDay(sonLa as NonNullable<typeof sonLa>, NOW)).toBe(dayStart(NOW) - 3 * DAY_MS);
    const history = historyPoints(world, NOW - 5 * DAY_MS, NOW);
    const lastDay = (unit: string) =>
      history
        .filter((p) => p.unit === unit && p.metric === 'dvc.services_online')
        .map((p) => p.ts)
        .sort()
        .at(-1);
    expect(lastDay('79')).toBe('2026-11-22T00:00:00+07:00');
    expect(lastDay('14')).toBe('2026-11-19T00:00:00+07:00');
    expect(lastDay('BXD')).toBe('2026-11-18T00:00:00+07:00');
    const live = new Set(livePoints(world, NOW).map((p) => p.unit));
    expect(live.has('79')).toBe(true);
    expect(live.has('14')).toBe(false);
  });

  it('now and then produce a value the API must refuse', () => {
    const bad = Array.from({ length: 60 }, (_, i) => badPoints(world, NOW + i * 30_000, 1)).flat();
    expect(bad).toHaveLength(60);
    const known = new Set(world.units.keys());
    for (const p of bad) expect(p.value > 100 || p.value < 0 || !known.has(p.unit), JSON.stringify(p)).toBe(true);
    expect(badPoints(world, NOW, 0)).toEqual([]);
  });

  // issue 15: every national system the notices name is fed, each indicator in the shape of what it measures; the UN
  // survey's figures are sent as published (surveys.ts, tested in surveys.test.ts)
  it('feed every metric of the catalog, except the official statistics they name and why, and the survey sent as published', () => {
    for (const m of seedMetrics) {
      const ways = [METRIC_SHAPES[m.code] !== undefined, SURVEY_METRICS.includes(m.code), NOT_SIMULATED[m.code] !== undefined];
      expect(ways.filter(Boolean), m.code).toHaveLength(1);
    }
    expect(Object.keys(NOT_SIMULATED).sort()).toEqual(['digital_economy.gdp_share', 'network.district_coverage']);
    expect([...SURVEY_METRICS].sort()).toEqual(['egdi.asean_rank', 'egdi.rank', 'egdi.score']);
    // every metric of the catalog the simulator plays has a value for every unit kind the catalog allows it
    const some: Record<string, string> = { nation: 'VN', province: '79', ministry: 'BCA' };
    for (const m of seedMetrics.filter((x) => METRIC_SHAPES[x.code])) {
      for (const kind of m.unitKinds) expect(simulatedValue(world, m.code, some[kind]!, NOW), `${m.code} ${kind}`).not.toBeNull();
    }
  });

  it('start the linked population data from the figures of 27 Apr 2022 and let them grow', () => {
    const meeting = Date.parse('2022-04-27T00:00:00+07:00');
    expect(value('population.social_insurance_records', 'VN', meeting)).toBe(17_000_000);
    expect(value('population.vaccination_citizen_records', 'VN', meeting)).toBe(78_000_000);
    expect(value('population.vaccination_doses', 'VN', meeting)).toBe(133_000_000);
    expect(value('population.teacher_records', 'VN', meeting)).toBe(570_000);
    expect(value('population.newborn_id_numbers', 'VN', meeting)).toBe(7_000_000);
    // more doses than vaccinated people, more citizens in the database than vaccinated ones, ~1.35 M births a year
    expect(value('population.vaccination_doses', 'VN', NOW)).toBeGreaterThan(value('population.vaccination_citizen_records', 'VN', NOW));
    expect(value('population.citizen_records', 'VN', NOW)).toBeGreaterThan(value('population.vaccination_citizen_records', 'VN', NOW));
    const births = value('population.newborn_id_numbers', 'VN', NOW) - value('population.newborn_id_numbers', 'VN', NOW - 365 * DAY_MS);
    expect(births).toBeGreaterThan(1_300_000);
    expect(births).toBeLessThan(1_400_000);
    expect(value('network.ministry_province_coverage', 'VN', NOW)).toBe(100);
  });

  it('respect the cadence: monthly and quarterly levels are one value a period, dated its first day, revised until it ends', () => {
    const points = historyPoints(world, NOW - 120 * DAY_MS, NOW);
    const firstOfMonth = /^\d{4}-\d{2}-01T00:00:00\+07:00$/;
    const firstOfQuarter = /^\d{4}-(01|04|07|10)-01T00:00:00\+07:00$/;
    for (const metric of ['onestop.on_time_share', 'onestop.digitised_share', 'govreport.on_time_share', 'einvoice.businesses']) {
      const mine = points.filter((p) => p.metric === metric && p.unit === '79');
      expect(mine.map((p) => p.ts)).toEqual(
        ['2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01'].map((d) => `${d}T00:00:00+07:00`),
      );
      for (const p of points.filter((x) => x.metric === metric)) expect(p.ts, metric).toMatch(firstOfMonth);
    }
    for (const metric of ['land.db_coverage', 'network.ministry_province_coverage']) {
      for (const p of points.filter((x) => x.metric === metric)) expect(p.ts, metric).toMatch(firstOfQuarter);
    }
    // per-day amounts are dated their day, running totals 00:00 of each day
    for (const metric of ['edoc.documents_sent', 'vneid.authentications', 'population.teacher_records', 'ecabinet.paperless_meetings']) {
      const days = points.filter((p) => p.metric === metric && p.unit === (metric.startsWith('ecabinet') ? 'VN' : '79'));
      expect(days.length, metric).toBeGreaterThanOrEqual(120);
    }
    // a finished month's value is the one it ended with; today's month is revised as the days go by
    const october = Date.parse('2026-10-01T00:00:00+07:00');
    const endOfOctober = Date.parse('2026-10-31T23:59:59+07:00');
    expect(dayPoints(world, '79', endOfOctober, NOW).find((p) => p.metric === 'onestop.digitised_share')).toEqual({
      metric: 'onestop.digitised_share',
      unit: '79',
      ts: vietnamIso(october),
      value: value('onestop.digitised_share', '79', endOfOctober),
    });
    const november = [1, 8, 15].map((d) =>
      value('onestop.on_time_share', '79', Date.parse(`2026-11-${String(d).padStart(2, '0')}T12:00:00+07:00`)),
    );
    expect(new Set(november).size).toBeGreaterThan(1);
  });

  it('keep shares in their ranges and tell the leaders from the laggards and the late', () => {
    for (const metric of ['onestop.on_time_share', 'onestop.digitised_share', 'govreport.on_time_share', 'land.db_coverage']) {
      for (const unit of ['VN', '01', '79', '04', '11', '14', '48', '52', 'BCA', 'BXD']) {
        const v = simulatedValue(world, metric, unit, NOW);
        if (v === null) continue;
        expect(v, `${metric} ${unit}`).toBeGreaterThanOrEqual(0);
        expect(v, `${metric} ${unit}`).toBeLessThanOrEqual(100);
      }
      expect(value(metric, '11', NOW), metric).toBeLessThan(value(metric, '48', NOW));
    }
    // Sơn La and Gia Lai, late with their figures to dxoc, file fewer reports on time with the Government too
    for (const late of ['14', '52'])
      expect(value('govreport.on_time_share', late, NOW)).toBeLessThan(value('govreport.on_time_share', '48', NOW));
  });

  it('add up the documents on the Axis and the VNeID authentications of the units to the nation, fewer at weekends', () => {
    const endOfDay = (date: string) => Date.parse(`${date}T23:59:00+07:00`);
    for (const metric of ['edoc.documents_sent', 'edoc.documents_received', 'vneid.authentications', 'onestop.applications_resolved']) {
      const friday = endOfDay('2026-11-13');
      const units = [...world.units.values()]
        .filter((u) => u.kind !== 'nation' && metricsByCode.get(metric)!.unitKinds.includes(u.kind))
        .reduce((sum, u) => sum + value(metric, u.code, friday), 0);
      expect(Math.abs(value(metric, 'VN', friday) - units), metric).toBeLessThanOrEqual(units * 0.001 + 10);
      expect(value(metric, 'VN', endOfDay('2026-11-15')), metric).toBeLessThan(value(metric, 'VN', friday));
    }
    // about as many applications resolved as received
    const received = value('onestop.applications_received', '79', endOfDay('2026-11-13'));
    const resolved = value('onestop.applications_resolved', '79', endOfDay('2026-11-13'));
    expect(resolved / received).toBeGreaterThan(0.8);
    expect(resolved / received).toBeLessThan(1.1);
  });

  it('are pure: the same instant gives the same points', () => {
    expect(dayPoints(world, '79', NOW, NOW)).toEqual(dayPoints(buildWorld(catalog, NOW, 7), '79', NOW, NOW));
    expect(livePoints(world, NOW)).toEqual(livePoints(world, NOW));
  });
});

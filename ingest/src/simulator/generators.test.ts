import { describe, expect, it } from 'vitest';
import { parseIsoWithOffset } from '@dxoc/contracts';
import {
  DAY_MS,
  METRIC_SHAPES,
  badPoints,
  buildWorld,
  dayPoints,
  dayStart,
  historyPoints,
  lastReportedDay,
  livePoints,
  simulatedValue,
  type SimCatalog,
  type UnitKind,
} from './generators';

const all: UnitKind[] = ['nation', 'province', 'ministry'];
const np: UnitKind[] = ['nation', 'province'];
/** A slice of the catalog (GET /api/v1/catalog/*): the unit kinds are those of backend/src/catalog/seed/metrics.ts. */
const catalog: SimCatalog = {
  units: [
    { code: 'VN', kind: 'nation', validFrom: null, validUntil: null },
    ...['01', '79', '04', '11', '14', '48', '52'].map((code) => ({ code, kind: 'province' as const, validFrom: null, validUntil: null })),
    { code: '74', kind: 'province', validFrom: null, validUntil: '2025-07-01' },
    { code: 'BCA', kind: 'ministry', validFrom: null, validUntil: null },
    { code: 'BXD', kind: 'ministry', validFrom: null, validUntil: null },
  ],
  metrics: [
    { code: 'dvc.services_online', unitKinds: all },
    { code: 'dvc.level4_share', unitKinds: all },
    { code: 'dvc.project06_services', unitKinds: np },
    { code: 'dvc.end_to_end_dossier_share', unitKinds: all },
    { code: 'onestop.applications_received', unitKinds: all },
    { code: 'edoc.electronic_share', unitKinds: all },
    { code: 'lgsp.unit_share', unitKinds: ['nation'] },
    { code: 'ndxp.transactions', unitKinds: all },
    { code: 'population.citizen_records', unitKinds: np },
    { code: 'vneid.accounts_activated', unitKinds: np },
    { code: 'einvoice.issued', unitKinds: np },
    { code: 'digitech.new_enterprises', unitKinds: np },
    { code: 'training.officials_trained', unitKinds: all },
    { code: 'egdi.rank', unitKinds: ['nation'] },
  ],
};

const NOW = Date.parse('2026-11-22T03:00:00Z'); // a Sunday, 10:00 in Viet Nam
const world = buildWorld(catalog, NOW, 7);
const value = (metric: string, unit: string, t: number) => simulatedValue(world, metric, unit, t) as number;
const ranges: Record<string, [number, number]> = { 'dvc.project06_services': [0, 25] };

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
      const [min, max] = ranges[p.metric] ?? (p.metric.endsWith('_share') ? [0, 100] : [0, Number.POSITIVE_INFINITY]);
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

  it('are pure: the same instant gives the same points', () => {
    expect(dayPoints(world, '79', NOW, NOW)).toEqual(dayPoints(buildWorld(catalog, NOW, 7), '79', NOW, NOW));
    expect(livePoints(world, NOW)).toEqual(livePoints(world, NOW));
  });
});

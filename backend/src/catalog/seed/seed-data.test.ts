import { describe, expect, it } from 'vitest';

import { seedHistory } from './history';
import { plausibleRange, type SeedMetric } from '@dxoc/contracts';
import { seedMetrics } from '@dxoc/contracts/reference';

const OFFSET_RE = /(Z|[+-]\d{2}:\d{2})$/;

const metricsByCode = new Map<string, SeedMetric>(seedMetrics.map((m) => [m.code, m]));

function inRange(metric: SeedMetric, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (metric.min !== null && value < metric.min) return false;
  if (metric.max !== null && value > metric.max) return false;
  return true;
}

describe('seed history', () => {
  it('references existing metrics', () => {
    for (const o of seedHistory) {
      expect(metricsByCode.has(o.metricCode), o.metricCode).toBe(true);
    }
  });

  it('has parseable timestamps with an offset', () => {
    for (const o of seedHistory) {
      expect(o.ts, `${o.metricCode} ${o.ts}`).toMatch(OFFSET_RE);
      expect(Number.isNaN(Date.parse(o.ts)), `${o.metricCode} ${o.ts}`).toBe(false);
    }
  });

  it('keeps values inside [min, max]', () => {
    for (const o of seedHistory) {
      const m = metricsByCode.get(o.metricCode);
      expect(m, o.metricCode).toBeDefined();
      if (m) expect(inRange(m, o.value), `${o.metricCode} ${o.ts} ${o.value}`).toBe(true);
    }
  });

  it('keeps values inside the plausible range ingest applies, dated after its default floor (2000)', () => {
    for (const o of seedHistory) {
      const range = plausibleRange(metricsByCode.get(o.metricCode)!);
      expect(o.value >= range.min && o.value <= range.max, `${o.metricCode} ${o.ts} ${o.value}`).toBe(true);
      expect(Date.parse(o.ts), `${o.metricCode} ${o.ts}`).toBeGreaterThanOrEqual(Date.parse('2000-01-01T00:00:00Z'));
    }
  });

  it('only uses units of a kind the metric allows (VN = nation)', () => {
    for (const o of seedHistory.filter((x) => x.unitCode === 'VN')) {
      expect(metricsByCode.get(o.metricCode)?.unitKinds, o.metricCode).toContain('nation');
    }
  });

  it('cites a source for every figure', () => {
    for (const o of seedHistory) {
      expect(o.source.trim().length, `${o.metricCode} ${o.ts}`).toBeGreaterThan(0);
    }
  });

  it('has no duplicate (metric, unit, ts)', () => {
    const keys = seedHistory.map((o) => `${o.metricCode}|${o.unitCode}|${Date.parse(o.ts)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // issue 15: the figures the notices give for the systems they name, with the date and the sentence they come from
  it.each([
    ['population.social_insurance_records', '2022-04-27', 17_000_000, 'trên 17 triệu thông tin bảo hiểm xã hội'],
    ['population.vaccination_citizen_records', '2022-04-27', 78_000_000, 'gần 78 triệu thông tin công dân'],
    ['population.vaccination_doses', '2022-04-27', 133_000_000, 'trên 133 triệu mũi tiêm chủng'],
    ['population.teacher_records', '2022-04-27', 570_000, 'trên 570 nghìn thông tin dữ liệu về cán bộ, giáo viên'],
    ['population.newborn_id_numbers', '2022-04-27', 7_000_000, 'cấp trên 7 triệu số định danh cho trẻ em'],
    ['network.ministry_province_coverage', '2019-12-31', 100, '100% cấp bộ, cấp tỉnh'],
    ['egdi.asean_rank', '2014-07-01', 5, 'từ 5 xuống 6'],
    ['egdi.asean_rank', '2016-07-01', 6, 'từ 5 xuống 6'],
    ['egdi.asean_rank', '2024-09-17', 5, '5th of 11 in South-East Asia'],
  ] as const)('seeds %s on %s as %d, quoting its source', (metric, day, value, quote) => {
    const seeded = seedHistory.filter((o) => o.metricCode === metric && o.unitCode === 'VN' && o.ts.startsWith(day));
    expect(seeded).toHaveLength(1);
    expect(seeded[0]?.value).toBe(value);
    expect(seeded[0]?.source).toContain(quote);
  });

  it('gives the figures added for issue 15 sources of their own: the seeder skips a source it already recorded', () => {
    const added = new Set([
      'population.social_insurance_records',
      'population.vaccination_citizen_records',
      'population.vaccination_doses',
      'population.teacher_records',
      'population.newborn_id_numbers',
      'network.ministry_province_coverage',
      'egdi.asean_rank',
    ]);
    const sourcesOf = (keep: (metric: string) => boolean) => new Set(seedHistory.filter((o) => keep(o.metricCode)).map((o) => o.source));
    const earlier = sourcesOf((m) => !added.has(m));
    for (const source of sourcesOf((m) => added.has(m))) expect(earlier.has(source), source).toBe(false);
  });

  it('never decreases a counter per (metric, unit) in time order', () => {
    const series = new Map<string, { t: number; value: number }[]>();
    for (const o of seedHistory) {
      if (metricsByCode.get(o.metricCode)?.kind !== 'counter') continue;
      const key = `${o.metricCode}|${o.unitCode}`;
      const points = series.get(key) ?? [];
      points.push({ t: Date.parse(o.ts), value: o.value });
      series.set(key, points);
    }
    for (const [key, points] of series) {
      points.sort((a, b) => a.t - b.t);
      for (let i = 1; i < points.length; i += 1) {
        const prev = points[i - 1];
        const cur = points[i];
        if (prev && cur) expect(cur.value, key).toBeGreaterThanOrEqual(prev.value);
      }
    }
  });
});

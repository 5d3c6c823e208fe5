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

import { describe, expect, it } from 'vitest';
import { DEFAULT_COUNT_MAX, PLAUSIBLE_MAGNITUDE, defaultValueRange, plausibleRange } from './catalog';
import { seedMetrics } from './reference/metrics';
import { seedTargets } from './reference/targets';

describe('plausible value ranges', () => {
  it.each([
    ['ratio', '%', { min: 0, max: 100 }],
    ['gauge', '%', { min: 0, max: 100 }],
    ['gauge', 'hạng/rank', { min: 1, max: 10_000 }],
    ['gauge', 'hồ sơ/applications', { min: 0, max: DEFAULT_COUNT_MAX }],
    ['gauge', 'người/people', { min: 0, max: DEFAULT_COUNT_MAX }],
    ['counter', 'VND', { min: 0, max: DEFAULT_COUNT_MAX }],
    ['gauge', 'tỷ đồng', { min: -PLAUSIBLE_MAGNITUDE, max: PLAUSIBLE_MAGNITUDE }],
  ] as const)('a %s in %s defaults to %o', (kind, unit, range) => {
    expect(defaultValueRange(kind, unit)).toEqual(range);
  });

  it('fills only the unset bounds and never goes beyond ±10^15', () => {
    expect(plausibleRange({ kind: 'gauge', unitOfMeasure: 'dịch vụ/services', min: 0, max: null })).toEqual({ min: 0, max: 1e12 });
    expect(plausibleRange({ kind: 'gauge', unitOfMeasure: 'dịch vụ/services', min: 5, max: 25 })).toEqual({ min: 5, max: 25 });
    expect(plausibleRange({ kind: 'gauge', unitOfMeasure: 'x', min: -1e300, max: 1e300 })).toEqual({ min: -1e15, max: 1e15 });
  });

  it('gives every seeded metric a finite, non-empty range that holds its targets', () => {
    for (const m of seedMetrics) {
      const range = plausibleRange(m);
      expect(Number.isFinite(range.min) && Number.isFinite(range.max), m.code).toBe(true);
      expect(range.min, m.code).toBeLessThan(range.max);
    }
    for (const t of seedTargets) {
      const range = plausibleRange(seedMetrics.find((m) => m.code === t.metricCode)!);
      expect(t.value, `${t.metricCode} ${t.unitCode}`).toBeGreaterThanOrEqual(range.min);
      expect(t.value, `${t.metricCode} ${t.unitCode}`).toBeLessThanOrEqual(range.max);
    }
  });
});

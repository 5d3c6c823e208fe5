import { describe, expect, it } from 'vitest';
import { IngestPointSchema } from '@dxoc/contracts';
import { egdiSurveyFigures, seedMetrics, seedUnits } from '@dxoc/contracts/reference';
import { METRIC_SHAPES, NOT_SIMULATED, simulatedValue, buildWorld, type SimCatalog } from './generators';
import { SIMULATED_METRICS, SURVEY_METRICS, surveyPoints } from './surveys';

/** The catalog as GET /api/v1/catalog/* serves it from the reference catalog. */
const catalog: SimCatalog = {
  units: seedUnits.map((u) => ({ code: u.code, kind: u.kind, validFrom: u.validFrom, validUntil: u.validUntil })),
  metrics: seedMetrics.map((m) => ({ code: m.code, unitKinds: m.unitKinds })),
};
const NOW = Date.parse('2026-11-22T03:00:00Z');

describe('the published survey figures the simulator sends', () => {
  it('are the UN E-Government Survey as published (the list the backend seeds), never a generated rank', () => {
    const points = surveyPoints(catalog, NOW);
    expect(points).toEqual(egdiSurveyFigures.map((f) => ({ metric: f.metricCode, unit: f.unitCode, ts: f.ts, value: f.value })));
    expect(points.filter((p) => p.metric === 'egdi.rank').map((p) => [p.ts.slice(0, 4), p.value])).toEqual([
      ['2014', 99],
      ['2016', 89],
      ['2018', 88],
      ['2020', 86],
      ['2022', 86],
      ['2024', 71],
    ]);
    for (const p of points) expect(IngestPointSchema.safeParse(p).success, JSON.stringify(p)).toBe(true);
    // the generators play no survey metric: nothing but these figures is ever sent for them
    const world = buildWorld(catalog, NOW);
    for (const metric of SURVEY_METRICS) {
      expect(METRIC_SHAPES[metric], metric).toBeUndefined();
      expect(simulatedValue(world, metric, 'VN', NOW), metric).toBeNull();
    }
  });

  it('leave out what the served catalog cannot take: a metric it lacks, a figure dated after now', () => {
    const withoutScore: SimCatalog = { ...catalog, metrics: catalog.metrics.filter((m) => m.code !== 'egdi.score') };
    expect(surveyPoints(withoutScore, NOW).some((p) => p.metric === 'egdi.score')).toBe(false);
    const before2024 = surveyPoints(catalog, Date.parse('2024-09-16T00:00:00+07:00'));
    expect(before2024.map((p) => p.ts.slice(0, 4))).not.toContain('2024');
    expect(before2024.length).toBeGreaterThan(0);
  });

  it('with the generated metrics, make the list of what the simulator feeds: every catalog metric but NOT_SIMULATED', () => {
    expect(new Set(SIMULATED_METRICS).size).toBe(SIMULATED_METRICS.length);
    expect([...SIMULATED_METRICS, ...Object.keys(NOT_SIMULATED)].sort()).toEqual(seedMetrics.map((m) => m.code).sort());
  });
});

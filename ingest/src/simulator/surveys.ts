/**
 * What the simulator sends as published, never generated: the UN E-Government Survey's figures for Viet Nam (EGDI
 * rank, rank within ASEAN, score), from @dxoc/contracts/reference, the list the backend seeds too. A biennial survey
 * is not a curve to invent: the simulator sends these once at start, through the ingest API with its key, as an
 * agent importing the survey would, and no other EGDI value ever. Values already stored (the seeded history) are
 * left as they are by the API (equal values are no revision).
 *
 * Kept apart from generators.ts, which may import types only (the k6 load tests run it without Node).
 */
import type { IngestPoint } from '@dxoc/contracts';
import { egdiSurveyFigures } from '@dxoc/contracts/reference';
import { METRIC_SHAPES, buildWorld, type SimCatalog } from './generators';

/** The catalog's metrics the simulator feeds with published survey figures. */
export const SURVEY_METRICS: readonly string[] = [...new Set(egdiSurveyFigures.map((f) => f.metricCode))];

/** Every metric the simulator feeds: played by the generators (METRIC_SHAPES) or sent as published (SURVEY_METRICS). */
export const SIMULATED_METRICS: readonly string[] = [...Object.keys(METRIC_SHAPES), ...SURVEY_METRICS];

/** The published figures the served catalog takes: its metrics, for units in force now, dated up to now. */
export function surveyPoints(catalog: SimCatalog, now: number): IngestPoint[] {
  const units = buildWorld(catalog, now).units;
  const kinds = new Map(catalog.metrics.map((m) => [m.code, m.unitKinds]));
  return egdiSurveyFigures
    .filter((f) => {
      const unit = units.get(f.unitCode);
      return unit !== undefined && (kinds.get(f.metricCode)?.includes(unit.kind) ?? false) && Date.parse(f.ts) <= now;
    })
    .map((f) => ({ metric: f.metricCode, unit: f.unitCode, ts: f.ts, value: f.value }));
}

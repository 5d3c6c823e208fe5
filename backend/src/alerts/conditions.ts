/**
 * Rule conditions as pure functions of the stored data known at a moment. The live evaluation (on ingest and in
 * the sweep) and the backtest (preview) both call evaluateCondition, so a preview shows what the live rule does.
 */

export interface SeriesPoint {
  ts: Date;
  value: number;
}

export interface ProjectionTarget {
  id: number;
  value: number;
  comparator: '>=' | '<=';
  /** the end of the target's last day */
  deadline: Date;
}

/** A rule's condition for one unit, with durations in milliseconds and the unit's target resolved. */
export type EvaluableCondition =
  | { type: 'above'; threshold: number }
  | { type: 'below'; threshold: number }
  | { type: 'change'; direction: 'rise' | 'drop'; percent: number; windowMs: number }
  | { type: 'no_data'; afterMs: number }
  /** target null: no target applies to this unit (or its deadline passed): never holds */
  | { type: 'target_at_risk'; target: ProjectionTarget | null };

/** What the stored data says about one (metric, unit) at a moment. */
export interface ConditionInput {
  /** the value with the latest ts (not the latest received: a backfilled old ts never counts as current) */
  latest: SeriesPoint | null;
  /** change: the last value at or before latest.ts - window */
  reference: SeriesPoint | null;
  /** target_at_risk: the most recent values (at most PROJECTION_POINTS), any order */
  recent: SeriesPoint[];
  /** no_data for a unit that never reported: counted from here (the rule's creation, or the preview's start) */
  watchingSince: Date;
}

export interface ConditionResult {
  holds: boolean;
  /** the value the condition is about: the latest value, or the projection at the deadline; null for no_data */
  value: number | null;
  /** the number compared with: the threshold, the percent, the target value; null for no_data */
  threshold: number | null;
  /** no_data: the time of the last value (or since when the unit was watched); null otherwise */
  since: Date | null;
}

/** target_at_risk fits a line through at most this many of the latest values. */
export const PROJECTION_POINTS = 12;

export function isAbove(value: number, threshold: number): boolean {
  return value > threshold;
}

export function isBelow(value: number, threshold: number): boolean {
  return value < threshold;
}

/**
 * Percent change from reference to latest. From 0, any rise is an infinite rise (and any fall an infinite drop):
 * a series that starts moving from zero crosses every percent threshold.
 */
export function changePercent(reference: number, latest: number): number {
  if (reference === 0) return latest === 0 ? 0 : latest > 0 ? Infinity : -Infinity;
  return ((latest - reference) / Math.abs(reference)) * 100;
}

export function changeHolds(direction: 'rise' | 'drop', percent: number, reference: number, latest: number): boolean {
  const change = changePercent(reference, latest);
  return direction === 'rise' ? change >= percent : change <= -percent;
}

/** Nothing newer than `afterMs` ago: the gap is counted from the last value's ts, or from watchingSince. */
export function noDataHolds(lastTs: Date | null, watchingSince: Date, afterMs: number, now: Date): boolean {
  const from = lastTs ?? watchingSince;
  return now.getTime() - from.getTime() >= afterMs;
}

/** Ordinary least squares of value over time; null with fewer than two distinct times. */
export function linearFit(points: readonly SeriesPoint[]): { slopePerMs: number; interceptAt: (t: number) => number } | null {
  if (points.length < 2) return null;
  // Times relative to the mean keep the sums small and the fit numerically stable.
  const meanT = points.reduce((sum, p) => sum + p.ts.getTime(), 0) / points.length;
  const meanV = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dt = p.ts.getTime() - meanT;
    sxx += dt * dt;
    sxy += dt * (p.value - meanV);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slopePerMs: slope, interceptAt: (t: number) => meanV + slope * (t - meanT) };
}

/** The straight-line projection of the series at `at`; null when it cannot be fitted. */
export function projectAt(points: readonly SeriesPoint[], at: Date): number | null {
  const fit = linearFit(points);
  return fit ? fit.interceptAt(at.getTime()) : null;
}

export function missesTarget(projected: number, target: Pick<ProjectionTarget, 'value' | 'comparator'>): boolean {
  return target.comparator === '>=' ? projected < target.value : projected > target.value;
}

export function evaluateCondition(condition: EvaluableCondition, input: ConditionInput, now: Date): ConditionResult {
  const latest = input.latest;
  switch (condition.type) {
    case 'above':
    case 'below': {
      if (!latest) return { holds: false, value: null, threshold: condition.threshold, since: null };
      const holds = condition.type === 'above' ? isAbove(latest.value, condition.threshold) : isBelow(latest.value, condition.threshold);
      return { holds, value: latest.value, threshold: condition.threshold, since: null };
    }
    case 'change': {
      const reference = input.reference;
      if (!latest || !reference || reference.ts.getTime() > latest.ts.getTime() - condition.windowMs) {
        return { holds: false, value: latest?.value ?? null, threshold: condition.percent, since: null };
      }
      const holds = changeHolds(condition.direction, condition.percent, reference.value, latest.value);
      return { holds, value: latest.value, threshold: condition.percent, since: null };
    }
    case 'no_data': {
      const since = latest?.ts ?? input.watchingSince;
      return { holds: noDataHolds(latest?.ts ?? null, input.watchingSince, condition.afterMs, now), value: null, threshold: null, since };
    }
    case 'target_at_risk': {
      const target = condition.target;
      if (!target || target.deadline.getTime() < now.getTime()) return { holds: false, value: null, threshold: target?.value ?? null, since: null };
      const recent = [...input.recent]
        .filter((p) => p.ts.getTime() <= now.getTime())
        .sort((a, b) => b.ts.getTime() - a.ts.getTime())
        .slice(0, PROJECTION_POINTS);
      const projected = projectAt(recent, target.deadline);
      if (projected === null) return { holds: false, value: null, threshold: target.value, since: null };
      return { holds: missesTarget(projected, target), value: projected, threshold: target.value, since: null };
    }
  }
}

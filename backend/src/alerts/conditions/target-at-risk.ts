import { startOfLocalDay, type ConditionOf } from '@dxoc/contracts';
import type { Target } from '../../catalog/catalog.types';
import { defineCondition, type SeriesPoint, type ValidationDetail } from './condition-kind';

/** target_at_risk fits a line through at most this many of the latest values. */
export const PROJECTION_POINTS = 12;

export interface ProjectionTarget {
  id: number;
  value: number;
  comparator: '>=' | '<=';
  /** the end of the target's last day */
  deadline: Date;
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

/** The last instant of a target's last day (deadlines are local calendar days of the configured zone). */
export function deadlineEnd(target: Target, timeZone: string): Date {
  return new Date(startOfLocalDay(nextDay(target.deadline), timeZone) - 1);
}

/** "2025-12-31" → "2026-01-01" */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function toProjectionTarget(target: Target, timeZone: string): ProjectionTarget {
  return { id: target.id, value: target.value, comparator: target.comparator, deadline: deadlineEnd(target, timeZone) };
}

/**
 * The target a unit is held to: the one named by targetId (for every unit in scope), or else the unit's own target
 * for the metric with the nearest deadline still ahead. null: none applies.
 */
export function targetFor(
  condition: ConditionOf<'target_at_risk'>,
  metric: string,
  unit: string,
  targets: readonly Target[],
  now: Date,
  timeZone: string,
): ProjectionTarget | null {
  if (condition.targetId !== undefined) {
    const target = targets.find((t) => t.id === condition.targetId && t.metricCode === metric);
    return target ? toProjectionTarget(target, timeZone) : null;
  }
  const ahead = targets
    .filter((t) => t.metricCode === metric && t.unitCode === unit && deadlineEnd(t, timeZone).getTime() >= now.getTime())
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  return ahead[0] ? toProjectionTarget(ahead[0], timeZone) : null;
}

/** The unit's target, resolved; null: no target applies to this unit, and the condition never holds. */
export interface PreparedTarget {
  target: ProjectionTarget | null;
}

/** The straight line through the latest values misses the target at its deadline. */
export const targetAtRisk = defineCondition({
  type: 'target_at_risk',
  needs: () => ({ referenceWindowSeconds: null, recentPoints: PROJECTION_POINTS }),
  prepare: (condition, { metric, unit, targets, now, timeZone }): PreparedTarget => ({
    target: targetFor(condition, metric.code, unit, targets, now, timeZone),
  }),
  evaluate({ target }: PreparedTarget, input, now) {
    if (!target || target.deadline.getTime() < now.getTime())
      return { holds: false, value: null, threshold: target?.value ?? null, since: null };
    const recent = input.recent
      .filter((p) => p.ts.getTime() <= now.getTime())
      .sort((a, b) => b.ts.getTime() - a.ts.getTime())
      .slice(0, PROJECTION_POINTS);
    const projected = projectAt(recent, target.deadline);
    if (projected === null) return { holds: false, value: null, threshold: target.value, since: null };
    return { holds: missesTarget(projected, target), value: projected, threshold: target.value, since: null };
  },
  // the deadline passing clears the condition by itself
  wakeUps: ({ target }: PreparedTarget) => (target ? [target.deadline.getTime() + 1] : []),
  validate(condition, { metric, catalog, unitsInScope, now, timeZone }): ValidationDetail[] {
    if (condition.targetId !== undefined) {
      const target = catalog.targets.find((t) => t.id === condition.targetId);
      const field = 'condition.targetId';
      if (!target)
        return [
          { field, message: `unknown target ${condition.targetId}; targets are listed with their metric in GET /api/v1/catalog/metrics` },
        ];
      if (target.metricCode !== metric.code)
        return [{ field, message: `target ${target.id} is a target of ${target.metricCode}, not ${metric.code}` }];
      if (deadlineEnd(target, timeZone).getTime() < now.getTime())
        return [{ field, message: `target ${target.id} had its deadline on ${target.deadline}: it can no longer be at risk` }];
      return [];
    }
    const targets = catalog.targets.filter((t) => t.metricCode === metric.code);
    if (targets.length === 0) return [{ field: 'condition.type', message: `${metric.code} has no target` }];
    if (!unitsInScope.some((unit) => targetFor(condition, metric.code, unit, catalog.targets, now, timeZone) !== null)) {
      const listed = targets.map((t) => `${t.unitCode} ${t.comparator} ${t.value} by ${t.deadline} (id ${t.id})`).join('; ');
      return [
        {
          field: 'condition.type',
          message: `no unit in scope has a target of ${metric.code} with a deadline ahead (targets: ${listed}); widen the scope or name a target with targetId`,
        },
      ];
    }
    return [];
  },
});

import { PROJECTION_POINTS, deadlineEndMs, projectSeries, type ConditionOf, type Projection } from '@dxoc/contracts';
import type { Target } from '../../catalog/catalog.types';
import { defineCondition, type SeriesPoint, type ValidationDetail } from './condition-kind';

/**
 * target_at_risk projects with the one method of @dxoc/contracts (`projectSeries`: Holt's linear trend from
 * HOLT_MIN_POINTS values, a straight line from MIN_PROJECTION_POINTS, no value when there are fewer or the deadline
 * lies more than MAX_HORIZON_FACTOR × their span ahead), over at most PROJECTION_POINTS of the latest values: the
 * live rule, its backtest and GET /api/v1/targets project alike.
 */
export { PROJECTION_POINTS };

export interface ProjectionTarget {
  id: number;
  value: number;
  comparator: '>=' | '<=';
  /** the end of the target's last day */
  deadline: Date;
}

/** The projection of the series at `at` from what is known at `now`, with the method and band, or why there is none. */
export function projectFor(points: readonly SeriesPoint[], at: Date, now: Date): Projection {
  return projectSeries(
    points.map((p) => ({ t: p.ts.getTime(), v: p.value })),
    at.getTime(),
    now.getTime(),
  );
}

export function missesTarget(projected: number, target: Pick<ProjectionTarget, 'value' | 'comparator'>): boolean {
  return target.comparator === '>=' ? projected < target.value : projected > target.value;
}

/** The last instant of a target's last day (deadlines are local calendar days of the configured zone). */
export function deadlineEnd(target: Target, timeZone: string): Date {
  return new Date(deadlineEndMs(target.deadline, timeZone));
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

/** The projection of the latest values misses the target at its deadline; no projection (too few values, too far ahead): does not hold. */
export const targetAtRisk = defineCondition({
  type: 'target_at_risk',
  needs: () => ({ referenceWindowSeconds: null, recentPoints: PROJECTION_POINTS }),
  prepare: (condition, { metric, unit, targets, now, timeZone }): PreparedTarget => ({
    target: targetFor(condition, metric.code, unit, targets, now, timeZone),
  }),
  evaluate({ target }: PreparedTarget, input, now) {
    if (!target || target.deadline.getTime() < now.getTime())
      return { holds: false, value: null, threshold: target?.value ?? null, since: null };
    const projected = projectFor(input.recent, target.deadline, now).value;
    if (projected === null) return { holds: false, value: null, threshold: target.value, since: null };
    // a target the latest value already meets is met (on time), not at risk: as GET /api/v1/targets says
    const known = input.recent.filter((p) => p.ts.getTime() <= now.getTime());
    const latest = known.reduce<SeriesPoint | null>((a, p) => (a === null || p.ts.getTime() > a.ts.getTime() ? p : a), null);
    const met = latest !== null && !missesTarget(latest.value, target);
    return { holds: !met && missesTarget(projected, target), value: projected, threshold: target.value, since: null };
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

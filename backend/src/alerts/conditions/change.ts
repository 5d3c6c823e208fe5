import { durationSeconds } from '@dxoc/contracts';
import { defineCondition, valueRange, type ValidationDetail } from './condition-kind';

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

/** The latest value rose or dropped by at least percent against the last value one window before it. */
export const change = defineCondition({
  type: 'change',
  needs: (condition) => ({ referenceWindowSeconds: durationSeconds(condition.window) ?? 0, recentPoints: 0 }),
  prepare: (condition) => ({
    direction: condition.direction,
    percent: condition.percent,
    windowMs: (durationSeconds(condition.window) ?? 0) * 1000,
  }),
  evaluate({ direction, percent, windowMs }, { latest, reference }) {
    // a reference inside the window (the data moved on) compares nothing
    if (!latest || !reference || reference.ts.getTime() > latest.ts.getTime() - windowMs) {
      return { holds: false, value: latest?.value ?? null, threshold: percent, since: null };
    }
    return { holds: changeHolds(direction, percent, reference.value, latest.value), value: latest.value, threshold: percent, since: null };
  },
  validate(condition, { metric }): ValidationDetail[] {
    const problems: ValidationDetail[] = [];
    if (durationSeconds(condition.window) === 0) {
      problems.push({
        field: 'condition.window',
        message: 'window must be longer than 0s: the change is between the latest value and the value one window earlier',
      });
    }
    if (condition.direction === 'drop' && metric.kind === 'counter') {
      problems.push({
        field: 'condition.direction',
        message: `${metric.code} is a counter (a running total that never goes down): it can never drop`,
      });
    } else if (condition.direction === 'drop' && condition.percent > 100 && metric.min !== null && metric.min >= 0) {
      problems.push({ field: 'condition.percent', message: `a drop of more than 100% can never happen: ${valueRange(metric)}` });
    }
    return problems;
  },
});

import { cadenceOverdueMs, durationSeconds, formatDuration } from '@dxoc/contracts';
import { defineCondition, LATEST_ONLY, type ValidationDetail } from './condition-kind';

/** Nothing newer than `afterMs` ago: the gap is counted from the last value's ts, or from watchingSince. */
export function noDataHolds(lastTs: Date | null, watchingSince: Date, afterMs: number, now: Date): boolean {
  const from = lastTs ?? watchingSince;
  return now.getTime() - from.getTime() >= afterMs;
}

/** Nothing received for longer than `after`, or past the metric's reporting cadence. */
export const noData = defineCondition({
  type: 'no_data',
  needs: () => LATEST_ONLY,
  prepare(condition, { metric }) {
    const afterMs = condition.after !== undefined ? (durationSeconds(condition.after) ?? 0) * 1000 : cadenceOverdueMs(metric.cadence);
    // 'irregular' without after is refused when the rule is saved; never hold if one slips through
    return { afterMs: afterMs ?? Number.POSITIVE_INFINITY };
  },
  evaluate({ afterMs }, { latest, watchingSince }, now) {
    const lastTs = latest?.ts ?? null;
    return { holds: noDataHolds(lastTs, watchingSince, afterMs, now), value: null, threshold: null, since: lastTs ?? watchingSince };
  },
  wakeUps: ({ afterMs }, lastTs, watchingSince) => (Number.isFinite(afterMs) ? [(lastTs ?? watchingSince).getTime() + afterMs] : []),
  validate(condition, { metric }): ValidationDetail[] {
    if (condition.after === undefined && metric.cadence === 'irregular') {
      return [
        { field: 'condition.after', message: `${metric.code} has no regular reporting cadence (irregular): give "after", e.g. "400d"` },
      ];
    }
    if (condition.after !== undefined && durationSeconds(condition.after) === 0)
      return [{ field: 'condition.after', message: 'after must be longer than 0s' }];
    return [];
  },
  thresholdText(condition, metric) {
    if (condition.after !== undefined) return condition.after;
    const overdue = cadenceOverdueMs(metric.cadence);
    return overdue === null ? null : formatDuration(overdue / 1000);
  },
});

import {
  defineCondition,
  LATEST_ONLY,
  valueRange,
  type ConditionInput,
  type ConditionResult,
  type ValidationDetail,
} from './condition-kind';

/** The latest value compared with a fixed threshold; shared by above and below. */
export function thresholdResult(holds: (value: number) => boolean, threshold: number, input: ConditionInput): ConditionResult {
  const latest = input.latest;
  if (!latest) return { holds: false, value: null, threshold, since: null };
  return { holds: holds(latest.value), value: latest.value, threshold, since: null };
}

export function isAbove(value: number, threshold: number): boolean {
  return value > threshold;
}

/** The latest value is above a threshold. */
export const above = defineCondition({
  type: 'above',
  needs: () => LATEST_ONLY,
  prepare: (condition) => ({ threshold: condition.value }),
  evaluate: ({ threshold }, input) => thresholdResult((value) => isAbove(value, threshold), threshold, input),
  validate(condition, { metric }): ValidationDetail[] {
    const { min, max } = metric;
    if (max !== null && condition.value >= max)
      return [{ field: 'condition.value', message: `above ${condition.value} can never fire: ${valueRange(metric)}` }];
    if (min !== null && condition.value < min)
      return [{ field: 'condition.value', message: `above ${condition.value} would hold for every value: ${valueRange(metric)}` }];
    return [];
  },
});

import { thresholdResult } from './above';
import { defineCondition, LATEST_ONLY, valueRange, type ValidationDetail } from './condition-kind';

export function isBelow(value: number, threshold: number): boolean {
  return value < threshold;
}

/** The latest value is below a threshold. */
export const below = defineCondition({
  type: 'below',
  needs: () => LATEST_ONLY,
  prepare: (condition) => ({ threshold: condition.value }),
  evaluate: ({ threshold }, input) => thresholdResult((value) => isBelow(value, threshold), threshold, input),
  validate(condition, { metric }): ValidationDetail[] {
    const { min, max } = metric;
    if (min !== null && condition.value <= min)
      return [{ field: 'condition.value', message: `below ${condition.value} can never fire: ${valueRange(metric)}` }];
    if (max !== null && condition.value > max)
      return [{ field: 'condition.value', message: `below ${condition.value} would hold for every value: ${valueRange(metric)}` }];
    return [];
  },
});

import { z } from 'zod';

/** The straight-line projection of the series at the target's deadline misses the target. */
export const TargetAtRiskCondition = z.strictObject({ type: z.literal('target_at_risk'), targetId: z.number().int().optional() }).meta({
  id: 'TargetAtRiskCondition',
  description: 'the projection at the deadline misses the target (targetId, or each unit’s own nearest target ahead)',
});

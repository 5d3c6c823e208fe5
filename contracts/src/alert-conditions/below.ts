import { z } from 'zod';

/** The latest value is below a threshold (strictly less). */
export const BelowCondition = z
  .strictObject({ type: z.literal('below'), value: z.number() })
  .meta({ id: 'BelowCondition', description: 'the latest value is below value' });

import { z } from 'zod';

/** The latest value is above a threshold (strictly greater). */
export const AboveCondition = z
  .strictObject({ type: z.literal('above'), value: z.number() })
  .meta({ id: 'AboveCondition', description: 'the latest value is above value' });

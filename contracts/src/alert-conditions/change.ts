import { z } from 'zod';
import { RuleDurationText } from '../durations';

/** The value rose / dropped by at least percent within window (the latest value against the value one window earlier). */
export const ChangeCondition = z
  .strictObject({
    type: z.literal('change'),
    direction: z.enum(['rise', 'drop']),
    percent: z.number().positive(),
    window: RuleDurationText,
  })
  .meta({
    id: 'ChangeCondition',
    description: 'the latest value rose or dropped by at least percent against the value one window earlier',
  });

import { z } from 'zod';
import { RuleDurationText } from '../durations';

/** Nothing received for longer than after; without after: past the metric's expected reporting cadence. */
export const NoDataCondition = z
  .strictObject({ type: z.literal('no_data'), after: RuleDurationText.optional() })
  .meta({ id: 'NoDataCondition', description: 'no value for longer than after (default: overdue for the metric’s cadence)' });

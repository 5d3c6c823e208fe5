import { z } from 'zod';

/** What an operator needs to fix its agent (issue 13 part 4): the batches received and those refused. */
export const IngestLogQuery = z.object({
  unit: z.string().optional().meta({ description: 'batches that wrote this unit; an operator: its own unit (the default)' }),
  key: z.string().optional().meta({ description: 'agent key id' }),
  from: z.string().optional(),
  to: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const ReceivedBatchSchema = z
  .object({
    receivedAt: z.string(),
    batchId: z.string(),
    keyId: z.string(),
    units: z.array(z.string()),
    accepted: z.number().int(),
    revised: z.number().int(),
  })
  .meta({ id: 'ReceivedBatch' });
export type ReceivedBatch = z.infer<typeof ReceivedBatchSchema>;

/** Refusals are aggregated: one row per key, status and error code, counting repeats, with the last batchId. */
export const RefusedBatchSchema = z
  .object({
    keyId: z.string(),
    status: z.number().int(),
    error: z.string(),
    message: z.string(),
    batchId: z.string().nullable(),
    count: z.number().int(),
    firstAt: z.string(),
    lastAt: z.string(),
  })
  .meta({ id: 'RefusedBatch' });
export type RefusedBatch = z.infer<typeof RefusedBatchSchema>;

export const ReceivedBatchesResponse = z.object({ batches: z.array(ReceivedBatchSchema) }).meta({ id: 'ReceivedBatches' });
export const RefusedBatchesResponse = z.object({ refusals: z.array(RefusedBatchSchema) }).meta({ id: 'RefusedBatches' });

/**
 * decodeBatch (backend/src/ingest/batch-decoder.ts) is the ingest hot path's reading of a body; IngestBatchSchema
 * (@dxoc/contracts) is the contract. Property: on any JSON body, valid or mangled near the contract's edges, the
 * decoder accepts exactly what the schema accepts, and then gives the same batchId, points and instants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestBatchSchema, MAX_POINTS_PER_BATCH, parseIsoWithOffset } from '@dxoc/contracts';
import { decodeBatch } from '../src/ingest/batch-decoder';
import { asParsed, body } from './support/ingest-bodies';

describe('decodeBatch agrees with the ingest contract', () => {
  it('accepts exactly the bodies IngestBatchSchema accepts, with the same points', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 20, arbitrary: body }, fc.constant(null), fc.constant([]), fc.string()), (generated) => {
        const input = asParsed(generated);
        const parsed = IngestBatchSchema.safeParse(input);
        const decoded = decodeBatch(input);
        expect(decoded !== null).toBe(parsed.success);
        if (!parsed.success || !decoded) return;
        accepted += 1;
        expect(decoded.batchId).toBe(parsed.data.batchId);
        expect(decoded.metric).toEqual(parsed.data.points.map((p) => p.metric));
        expect(decoded.unit).toEqual(parsed.data.points.map((p) => p.unit));
        expect(decoded.metric.map((_, i) => decoded.tsText(i))).toEqual(parsed.data.points.map((p) => p.ts));
        expect(decoded.ts).toEqual(parsed.data.points.map((p) => parseIsoWithOffset(p.ts)));
        expect(decoded.value).toEqual(parsed.data.points.map((p) => p.value));
      }),
      { numRuns: 3000 },
    );
    // the generators reach both sides of the contract
    expect(accepted).toBeGreaterThan(100);
  });

  it('refuses an empty batch and one over the size limit, as the schema does', () => {
    const p = { metric: 'm', unit: 'u', ts: '2026-01-01T00:00:00Z', value: 1 };
    for (const size of [0, 1, MAX_POINTS_PER_BATCH, MAX_POINTS_PER_BATCH + 1]) {
      const input = { batchId: 'b', points: Array.from({ length: size }, () => ({ ...p })) };
      expect(decodeBatch(input) !== null).toBe(IngestBatchSchema.safeParse(input).success);
    }
    expect(decodeBatch({ batchId: 'b', points: [p] })).not.toBeNull();
    expect(decodeBatch({ batchId: 'b', points: Array.from({ length: MAX_POINTS_PER_BATCH + 1 }, () => p) })).toBeNull();
  });
});

/**
 * decodeBatch (backend/src/ingest/batch-decoder.ts) is the ingest hot path's reading of a body; IngestBatchSchema
 * (@dxoc/contracts) is the contract. Property: on any JSON body, valid or mangled near the contract's edges, the
 * decoder accepts exactly what the schema accepts, and then gives the same batchId, points and instants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestBatchSchema, MAX_POINTS_PER_BATCH, parseIsoWithOffset } from '@dxoc/contracts';
import { decodeBatch } from '../src/ingest/batch-decoder';

/** Strings near each field's edges: empty, at and past the length limits, almost-dates, odd characters. */
const edgeString = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constant('x'.repeat(16)),
  fc.constant('x'.repeat(17)),
  fc.constant('m'.repeat(64)),
  fc.constant('m'.repeat(65)),
  fc.constant('dvc.services_online'),
  fc.constant('79'),
  fc.constant('a"b\\c'),
);
const tsText = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-01-31T17:00:00+07:00',
    '2026-01-31T17:00+0700',
    '2026-02-30T00:00:00Z',
    '2026-01-31T17:00:00',
    '2026-01-31 17:00:00Z',
    '2024-02-29T23:59:59.123456789-14:00',
    '2026-01-31T24:00:00Z',
    '0099-01-01T00:00:00Z',
  ),
);
const anyValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constant(1e308),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(Number.NaN),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
  fc.boolean(),
);

/** A point: mostly well-formed, sometimes with a field missing, mistyped or an extra one. */
const point = fc
  .record({
    metric: fc.oneof({ weight: 30, arbitrary: fc.constant('dvc.services_online') }, edgeString, fc.integer()),
    unit: fc.oneof({ weight: 30, arbitrary: fc.constant('79') }, edgeString, fc.constant(79)),
    ts: fc.oneof({ weight: 30, arbitrary: tsText }, edgeString, fc.integer()),
    value: fc.oneof({ weight: 30, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) }, anyValue),
    drop: fc.oneof({ weight: 40, arbitrary: fc.constant(null) }, fc.constantFrom('metric', 'unit', 'ts', 'value')),
    extra: fc.oneof({ weight: 40, arbitrary: fc.constant(null) }, fc.constantFrom('note', '__proto__', 'constructor')),
  })
  .map(({ drop, extra, ...fields }) => {
    const p: Record<string, unknown> = { ...fields };
    if (drop) delete p[drop];
    if (extra) Object.defineProperty(p, extra, { value: 1, enumerable: true, configurable: true, writable: true });
    return p;
  });
const pointOrJunk = fc.oneof(
  { weight: 8, arbitrary: point },
  fc.constant(null),
  fc.constant([]),
  fc.string({ maxLength: 4 }),
  fc.integer(),
);

const body = fc
  .record({
    batchId: fc.oneof({ weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) }, edgeString, fc.integer()),
    points: fc.oneof(
      { weight: 10, arbitrary: fc.array(pointOrJunk, { minLength: 0, maxLength: 6 }) },
      fc.constant('nope'),
      fc.constant(null),
    ),
    drop: fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, fc.constantFrom('batchId', 'points')),
    extra: fc.oneof({ weight: 20, arbitrary: fc.constant(null) }, fc.constant('source')),
  })
  .map(({ drop, extra, ...fields }) => {
    const b: Record<string, unknown> = { ...fields };
    if (drop) delete b[drop];
    if (extra) b[extra] = 'x';
    return b;
  });

/** A body as the API sees it: parsed from its JSON text (1e999 parses to Infinity, "__proto__" becomes a key). */
const asParsed = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v: unknown) => (v === Number.POSITIVE_INFINITY ? '@inf' : v)).replaceAll('"@inf"', '1e999'));

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
        expect(decoded.tsText).toEqual(parsed.data.points.map((p) => p.ts));
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

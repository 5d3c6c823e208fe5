/**
 * Ingest bodies for property tests (fast-check): mostly well-formed, often mangled near the contract's edges.
 * Shared by test/batch-decoder.test.ts and test/batch-bytes.test.ts.
 */
import fc from 'fast-check';

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
export const tsText = fc.oneof(
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
export const point = fc
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

export const body = fc
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
export const asParsed = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v: unknown) => (v === Number.POSITIVE_INFINITY ? '@inf' : v)).replaceAll('"@inf"', '1e999'));

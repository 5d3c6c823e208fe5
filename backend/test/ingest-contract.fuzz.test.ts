/**
 * A property test of the ingest contract (issue 12), over real HTTP on a fresh embedded database: generated batches
 * that are valid are stored exactly (read back by SQL: every point's metric, unit, instant and value, bit for bit),
 * generated invalid ones are refused with 400 and leave observation, ingest_batch and observation_revision as they
 * were.
 *
 * Validity is known by construction: valid batches come from generators of known-valid field values (metrics and
 * the units they may be reported for, values within each metric's range, real instants in any offset notation,
 * batchIds of the allowed alphabet); an invalid one is a valid batch with one mutation from a list of known-invalid
 * variants. The zod schema of @dxoc/contracts is asked as well: it must accept every valid batch and refuse every
 * mutation that is a matter of shape, so the generators and the shared contract cannot drift apart unnoticed.
 *
 * Every run writes to a day of its own (from 2010-01-01 on), so a valid batch never revises another run's values and
 * "stored exactly" can be read back.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestBatchSchema, MAX_FUTURE_SKEW_MS } from '@dxoc/contracts';
import { push, startTestServer, type TestServer } from './support/app';
import { seedUnits } from '@dxoc/contracts/reference';

const NUM_RUNS = 60;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2010, 0, 1);

/** Metrics, their ranges (catalog bounds or the default for their unit of measure) and units they may be reported for. */
const SERIES: { metric: string; min: number; max: number; units: string[] }[] = [
  { metric: 'dvc.services_online', min: 0, max: 1e12, units: ['VN', '01', '48', '79', 'BCA'] },
  { metric: 'dvc.level4_share', min: 0, max: 100, units: ['VN', '01', '79', 'BCA'] },
  { metric: 'dvc.project06_services', min: 0, max: 25, units: ['VN', '01', '79'] },
];
const KNOWN_METRICS = new Set(SERIES.map((s) => s.metric));
/** Every unit of the seeded catalog: a generated "unknown" unit must not be a real code (a run once drew "10"). */
const KNOWN_UNITS = new Set(seedUnits.map((unit) => unit.code));

/** A point before it is written out: its instant and how its ts is spelled. */
interface PointSpec {
  series: number;
  unit: number;
  /** milliseconds into the run's day */
  at: number;
  value: number;
  /** offset of the ts text in minutes, and whether a zero offset is written "Z" and the colon kept */
  offset: number;
  zulu: boolean;
  colon: boolean;
}

const OFFSETS = [0, 420, -330, 345, -600, 840, -720];

const pointSpec = fc
  .record({
    series: fc.nat(SERIES.length - 1),
    unit: fc.nat(4),
    at: fc.nat(DAY_MS - 1),
    offset: fc.constantFrom(...OFFSETS),
    zulu: fc.boolean(),
    colon: fc.boolean(),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ fraction, ...rest }) => {
    const s = SERIES[rest.series] as (typeof SERIES)[number];
    // a value anywhere in the range, its bounds included (fc.double alone rarely hits a bound exactly)
    const value = fraction === 1 ? s.max : fraction === 0 ? s.min : s.min + (s.max - s.min) * fraction;
    return { ...rest, unit: rest.unit % s.units.length, value } satisfies PointSpec;
  });

const validBatch = fc.record({
  // the run number is put in front: batchIds must not repeat across runs
  batchId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/),
  points: fc.uniqueArray(pointSpec, {
    minLength: 1,
    maxLength: 40,
    selector: (p) => `${p.series}|${p.unit}|${p.at}`,
  }),
});

function tsText(epochMs: number, offset: number, zulu: boolean, colon: boolean): string {
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 23);
  const text = local.endsWith('.000') ? local.slice(0, 19) : local;
  if (offset === 0 && zulu) return `${text}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${text}${offset < 0 ? '-' : '+'}${hh}${colon ? ':' : ''}${mm}`;
}

interface Written {
  batchId: string;
  points: { metric: string; unit: string; ts: string; value: number }[];
  /** what each point is: epoch ms for comparison with the stored ts */
  instants: number[];
}

function render(batch: { batchId: string; points: PointSpec[] }, run: number): Written {
  const day = FIRST_DAY + run * DAY_MS;
  const points = batch.points.map((p) => {
    const s = SERIES[p.series] as (typeof SERIES)[number];
    return { metric: s.metric, unit: s.units[p.unit] as string, ts: tsText(day + p.at, p.offset, p.zulu, p.colon), value: p.value };
  });
  return { batchId: `r${run}-${batch.batchId}`, points, instants: batch.points.map((p) => day + p.at) };
}

type Body = Record<string, unknown>;

/** One known-invalid change to a valid batch; `shape`: the zod schema alone must refuse it. */
interface Mutation {
  name: string;
  shape: boolean;
  /** the body as JSON text (duplicate keys cannot be an object) */
  apply(body: { batchId: string; points: Body[] }, index: number): string;
}

const FIELDS = ['metric', 'unit', 'ts', 'value'] as const;
const wrongValue = (field: (typeof FIELDS)[number]) =>
  fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
    fc.array(fc.integer(), { maxLength: 2 }),
    field === 'value' ? fc.oneof(fc.string(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e3')) : fc.double(),
  );

/** Unicode lookalikes and invisible characters put into a valid code. */
const LOOKALIKE = fc.constantFrom('\u041e', '\u039f', '\u200b', '\u200d', '\u200f', '\u202e', '\ufeff', '\u0301', '\u00a0', ' ', '７');

function mutations(now: number): fc.Arbitrary<Mutation> {
  const text =
    (f: (body: { batchId: string; points: Body[] }, i: number) => unknown) => (body: { batchId: string; points: Body[] }, i: number) =>
      JSON.stringify(f(structuredClone(body), i));
  const setField = (field: string, value: unknown) =>
    text((b, i) => {
      (b.points[i] as Body)[field] = value;
      return b;
    });
  return fc.oneof(
    fc
      .constantFrom(...FIELDS)
      .chain((field) =>
        wrongValue(field).map((value) => ({ name: `${field} ${JSON.stringify(value)}`, shape: true, apply: setField(field, value) })),
      ),
    fc.constantFrom(...FIELDS).map((field) => ({
      name: `${field} missing`,
      shape: true,
      apply: text((b, i) => {
        delete (b.points[i] as Body)[field];
        return b;
      }),
    })),
    fc
      .string({ minLength: 1, maxLength: 10 })
      .filter((k) => !(FIELDS as readonly string[]).includes(k))
      .map((k) => ({ name: `extra field ${JSON.stringify(k)}`, shape: true, apply: setField(k, 1) })),
    fc
      .string({ maxLength: 200, unit: 'binary' })
      .filter((id) => !/^[A-Za-z0-9._:-]{1,128}$/.test(id))
      .map((id) => ({
        name: `batchId ${JSON.stringify(id)}`,
        shape: true,
        apply: text((b) => ({ ...b, batchId: id })),
      })),
    fc
      .string({ maxLength: 40, unit: 'binary' })
      .filter((ts) => Number.isNaN(Date.parse(ts)) || !/^\d{4}-\d{2}-\d{2}T/.test(ts))
      .map((ts) => ({ name: `ts ${JSON.stringify(ts)}`, shape: true, apply: setField('ts', ts) })),
    fc
      .constantFrom(
        '2026-02-29',
        '2026-02-30',
        '2025-02-29',
        '2100-02-29',
        '2026-04-31',
        '2026-06-31',
        '2026-09-31',
        '2026-11-31',
        '2026-13-01',
        '2026-00-10',
        '2026-03-00',
      )
      .map((day) => `${day}T08:00:00+07:00`)
      .map((ts) => ({ name: `ts ${ts} (no such day)`, shape: true, apply: setField('ts', ts) })),
    fc.constant({ name: 'points empty', shape: true, apply: text((b) => ({ ...b, points: [] })) }),
    fc
      .string({ minLength: 1, maxLength: 64 })
      .filter((m) => !KNOWN_METRICS.has(m))
      .map((metric) => ({ name: `metric ${JSON.stringify(metric)}`, shape: false, apply: setField('metric', metric) })),
    fc.tuple(LOOKALIKE, fc.nat(2)).map(([c, at]) => ({
      name: `unit with ${JSON.stringify(c)}`,
      shape: false,
      apply: text((b, i) => {
        const unit = (b.points[i] as Body).unit as string;
        (b.points[i] as Body).unit = at === 0 ? c + unit : at === 1 ? unit + c : unit.slice(0, 1) + c + unit.slice(1);
        return b;
      }),
    })),
    fc
      .string({ minLength: 1, maxLength: 16 })
      .filter((u) => !KNOWN_UNITS.has(u))
      .map((unit) => ({ name: `unit ${JSON.stringify(unit)}`, shape: false, apply: setField('unit', unit) })),
    fc.tuple(fc.boolean(), fc.double({ min: 1e-9, max: 1e300, noNaN: true })).map(([above, by]) => ({
      name: `value ${above ? 'above' : 'below'} the range by ${by}`,
      shape: false,
      apply: text((b, i) => {
        const point = b.points[i] as Body;
        const s = SERIES.find((x) => x.metric === point.metric) as (typeof SERIES)[number];
        // a margin that survives rounding: at least the bound's own spacing
        const margin = Math.max(by, Math.abs(above ? s.max : s.min) * 1e-12, 1e-9);
        point.value = above ? s.max + margin : s.min - margin;
        return b;
      }),
    })),
    fc.integer({ min: MAX_FUTURE_SKEW_MS + 60_000, max: 200 * 365 * DAY_MS }).map((ahead) => ({
      name: `ts ${ahead} ms ahead of the clock`,
      shape: false,
      apply: setField('ts', new Date(now + ahead).toISOString()),
    })),
    fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(2000, 0, 1) - 1 }).map((at) => ({
      name: `ts ${new Date(at).toISOString()} (before DXOC_MIN_TIMESTAMP)`,
      shape: false,
      apply: setField('ts', new Date(at).toISOString()),
    })),
    fc.double({ min: 0, max: 25, noNaN: true }).map((value) => ({
      name: 'a point repeated with another value',
      shape: false,
      apply: text((b, i) => ({ ...b, points: [...b.points, { ...(b.points[i] as Body), value }] })),
    })),
    fc.constantFrom(...FIELDS, 'batchId', 'points').map((field) => ({
      name: `key ${field} named twice`,
      shape: false,
      apply: (b: { batchId: string; points: Body[] }, i: number) => {
        if (field === 'batchId' || field === 'points') {
          const value = JSON.stringify(b[field]);
          return `{"${field}":${value},${JSON.stringify(b).slice(1)}`;
        }
        const points = b.points.map((p, n) => {
          const json = JSON.stringify(p);
          return n === i ? `{"${field}":${JSON.stringify(p[field])},${json.slice(1)}` : json;
        });
        return `{"batchId":${JSON.stringify(b.batchId)},"points":[${points.join(',')}]}`;
      },
    })),
  );
}

describe('the ingest contract under generated input', () => {
  let server: TestServer;
  let key: string;
  let run = 0;

  async function counts() {
    const { rows } = await server.db.query<{ observation: number; batches: number; revisions: number }>(
      `SELECT (SELECT count(*)::int FROM observation) AS observation,
              (SELECT count(*)::int FROM ingest_batch) AS batches,
              (SELECT count(*)::int FROM observation_revision) AS revisions`,
    );
    return rows[0] as { observation: number; batches: number; revisions: number };
  }

  beforeAll(async () => {
    server = await startTestServer();
    key = await server.createKey(null);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('valid ⇒ 202 and stored exactly', async () => {
    await fc.assert(
      fc.asyncProperty(validBatch, async (batch) => {
        const written = render(batch, run++);
        const body = { batchId: written.batchId, points: written.points };
        expect(IngestBatchSchema.safeParse(body).success).toBe(true);
        const before = await counts();
        const r = await push(server.url, key, body);
        expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(202);
        expect(r.body).toEqual({ batchId: written.batchId, accepted: written.points.length, duplicate: false, revised: 0 });
        expect(await counts()).toEqual({ ...before, observation: before.observation + written.points.length, batches: before.batches + 1 });

        const { rows } = await server.db.query<{ metric: string; unit: string; ts: Date; value: number }>(
          'SELECT metric, unit, ts, value FROM observation WHERE batch_id = $1',
          [written.batchId],
        );
        const stored = new Map(rows.map((row) => [`${row.metric}|${row.unit}|${new Date(row.ts).getTime()}`, row.value]));
        expect(stored.size).toBe(written.points.length);
        written.points.forEach((p, n) => {
          const value = stored.get(`${p.metric}|${p.unit}|${written.instants[n]}`);
          // Object.is: bit for bit, -0 and 0 apart
          expect(Object.is(value, p.value), `${p.metric} ${p.unit} ${p.ts}: sent ${p.value}, stored ${value}`).toBe(true);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('invalid ⇒ 400 invalid_batch and nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(validBatch, mutations(Date.now()), fc.nat(), async (batch, mutation, pick) => {
        const written = render(batch, run++);
        const body = { batchId: written.batchId, points: written.points as Body[] };
        const text = mutation.apply(body, pick % written.points.length);
        if (mutation.shape) expect(IngestBatchSchema.safeParse(JSON.parse(text)).success, mutation.name).toBe(false);
        const before = await counts();
        const r = await push(server.url, key, text);
        const shown = `${mutation.name}: ${JSON.stringify(r.body).slice(0, 400)}`;
        expect(r.status, shown).toBe(400);
        expect(r.body.error, shown).toBe('invalid_batch');
        expect(r.body.details.length, shown).toBeGreaterThan(0);
        expect(await counts(), shown).toEqual(before);
        const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM observation WHERE batch_id = $1', [
          written.batchId,
        ]);
        expect(rows[0]?.n, shown).toBe(0);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/**
 * binary-arrays.ts: every array it encodes reads back on the server exactly as the text literal of the same values
 * (the text path ingest takes in process, and took everywhere before), with the element types the statements
 * declare; values it cannot send (a null, a NUL, not a number) are left to the text path. Real SQL, on the drivers
 * that speak the `pg` protocol: PGlite's one session behind pglite-socket, and a TimescaleDB server when
 * TEST_DATABASE_URL names one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryFloat8Array, binaryTextArray } from '../src/db/binary-arrays';
import type { Database } from '../src/db/database';
import { allDrivers, type TestDatabase } from './support/databases';

const pgDrivers = allDrivers().filter((driver) => driver.name.includes('through pg') || driver.name.startsWith('TimescaleDB server'));

/** The text literal ingest sends in process (observations.repository.ts' numberArray), here for any number. */
const numberLiteral = (values: readonly number[]) => `{${values.join(',')}}`;

describe.each(pgDrivers)('binary arrays on $name', (driver) => {
  let opened: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    opened = await driver.open();
    db = opened.db;
    expect(db.driver).toBe('pg');
  });
  afterAll(() => opened?.close());

  it('float8[]: the same numbers as their text, -0 as 0, the empty array as empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(-0, 0, 1e21, 0.1, -5e-7)), { maxLength: 300 }),
        async (values) => {
          const binary = binaryFloat8Array(values);
          expect(binary).not.toBeNull();
          const { rows } = await db.query<{ same: boolean; n: number; back: number[] }>(
            `SELECT $1::float8[] IS NOT DISTINCT FROM $2::float8[] AS same, cardinality($1::float8[]) AS n, $1::float8[] AS back`,
            [binary, numberLiteral(values)],
          );
          expect(rows[0]?.same).toBe(true);
          expect(rows[0]?.n).toBe(values.length);
          expect(rows[0]?.back.map(Number)).toEqual(values.map((v) => (v === 0 ? 0 : v)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('text[]: any text, in any script, as pg itself would send it', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(text, fc.constantFrom('einvoice.issued', '79', 'Hồ Chí Minh', '"', '\\', '', 'NULL')), { maxLength: 200 }),
        async (values) => {
          const binary = binaryTextArray(values);
          expect(binary).not.toBeNull();
          const { rows } = await db.query<{ same: boolean; back: string[] }>(
            `SELECT $1::text[] IS NOT DISTINCT FROM $2::text[] AS same, $1::text[] AS back`,
            [binary, values],
          );
          expect(rows[0]?.same).toBe(true);
          expect(rows[0]?.back).toEqual(values);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('unnests in step, as the ingest statements read them', async () => {
    const units = ['01', '79', '79', '48'];
    const ms = [Date.UTC(2026, 11, 7, 1), Date.UTC(2026, 11, 7, 2), 1.5, -86_400_000];
    const { rows } = await db.query<{ unit: string; ts: Date }>(
      `SELECT r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond' AS ts FROM unnest($1::text[], $2::float8[]) AS r(unit, ms)`,
      [binaryTextArray(units), binaryFloat8Array(ms)],
    );
    expect(rows.map((r) => [r.unit, r.ts.getTime()])).toEqual(units.map((u, i) => [u, Math.floor(ms[i] as number)]));
  });
});

describe('what the encoders leave to the text path', () => {
  it('a null, a NUL or a value of another type gives null', () => {
    expect(binaryTextArray(['a', null as unknown as string])).toBeNull();
    expect(binaryTextArray(['a\u0000b'])).toBeNull();
    expect(binaryFloat8Array([1, '2' as unknown as number])).toBeNull();
    expect(binaryFloat8Array([1, null as unknown as number])).toBeNull();
  });
});

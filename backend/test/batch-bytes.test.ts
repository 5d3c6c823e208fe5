/**
 * decodeBatchBytes (backend/src/ingest/batch-bytes.ts) reads an ingest body's bytes straight into columns and leaves
 * every other body to the general path (the duplicate-key scan, JSON.parse, decodeBatch). Properties, on bodies
 * written as text in many ways (spaces, key order, number forms, escapes, repeated keys, a BOM, trailing bytes):
 * - whatever it takes, the general path takes too, with the same batchId, points, instants and texts;
 * - a plain body (printable ASCII strings, no escape, no repeated key) it takes exactly when the general path does,
 *   so agents' batches are not quietly sent the slow way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_POINTS_PER_BATCH } from '@dxoc/contracts';
import { findDuplicateKey } from '../src/http/duplicate-keys';
import { decodeBatchBytes } from '../src/ingest/batch-bytes';
import { decodeBatch, type DecodedBatch } from '../src/ingest/batch-decoder';
import { body } from './support/ingest-bodies';

/** Batches the contract accepts, with codes of any characters now and then (not plain, yet valid). */
const validBody = fc.record({
  batchId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
  points: fc.array(
    fc.record({
      metric: fc.oneof(
        { weight: 5, arbitrary: fc.stringMatching(/^[a-z._]{1,64}$/) },
        fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }),
      ),
      unit: fc.oneof(
        { weight: 5, arbitrary: fc.stringMatching(/^[0-9A-Za-z]{1,16}$/) },
        fc.string({ minLength: 1, maxLength: 16, unit: 'binary' }),
      ),
      ts: fc
        .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

interface Style {
  /** whitespace between tokens, picked in turn */
  spaces: string[];
  /** reverse the keys of every other object */
  reorder: boolean;
  /** write numbers in another JSON form of the same value */
  numberForm: 'plain' | 'exponent' | 'fraction';
  /** escape the first letter of every key ("\u006detric") */
  escapeKeys: boolean;
  /** name the first key of the n-th object twice (-1: none) */
  repeatKeyIn: number;
  prefix: string;
  suffix: string;
}

const style: fc.Arbitrary<Style> = fc.record({
  spaces: fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>(['']) },
    fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  \n    '), { minLength: 1, maxLength: 5 }),
  ),
  reorder: fc.boolean(),
  numberForm: fc.constantFrom('plain', 'plain', 'exponent', 'fraction'),
  escapeKeys: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
  repeatKeyIn: fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, fc.integer({ min: 0, max: 4 })),
  prefix: fc.oneof({ weight: 9, arbitrary: fc.constant('') }, fc.constantFrom('\ufeff', ' ', 'x', '[')),
  suffix: fc.oneof({ weight: 9, arbitrary: fc.constant('') }, fc.constantFrom(' \n', '}', ',', 'x', '\u00a0')),
});

/** A value as JSON text in the given style (Infinity as 1e999, which JSON.parse reads as Infinity). */
function write(value: unknown, s: Style): { text: string; plain: boolean } {
  let turn = 0;
  let objects = 0;
  let plain = !s.escapeKeys && s.repeatKeyIn === -1 && s.prefix === '' && s.suffix.trim() === '';
  const space = () => s.spaces[turn++ % s.spaces.length] as string;
  const str = (text: string) => {
    const json = JSON.stringify(text);
    if (/[^\x20-\x7e]|\\/.test(json)) plain = false;
    return json;
  };
  const num = (n: number): string => {
    if (n === Number.POSITIVE_INFINITY) return '1e999';
    if (n === Number.NEGATIVE_INFINITY) return '-1e999';
    if (Object.is(n, -0)) return s.numberForm === 'fraction' ? '-0.0' : '-0';
    if (s.numberForm === 'exponent') return n.toExponential();
    if (s.numberForm === 'fraction' && Number.isInteger(n) && Math.abs(n) < 1e15) return `${n}.0`;
    return JSON.stringify(n);
  };
  const go = (v: unknown): string => {
    if (typeof v === 'number') return Number.isNaN(v) ? 'null' : num(v);
    if (typeof v === 'string') return str(v);
    if (v === null || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${space()}${v.map((x) => go(x)).join(`${space()},${space()}`)}${space()}]`;
    const own = objects++;
    let keys = Object.keys(v as object);
    if (s.reorder && own % 2 === 1) keys = keys.reverse();
    const key = (k: string) =>
      s.escapeKeys && k.length > 0 ? `"\\u${k.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(k).slice(2)}` : str(k);
    const members = keys.map((k) => `${key(k)}${space()}:${space()}${go((v as Record<string, unknown>)[k])}`);
    if (own === s.repeatKeyIn && keys.length > 0) members.push(members[0] as string);
    return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
  };
  return { text: `${s.prefix}${go(value)}${s.suffix}`, plain };
}

/** How the general path reads the bytes: refused (null) or the decoded batch. */
function general(bytes: Buffer): DecodedBatch | null {
  if (findDuplicateKey(bytes)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, ''));
  } catch {
    return null;
  }
  return decodeBatch(parsed);
}

function columns(batch: DecodedBatch) {
  return {
    batchId: batch.batchId,
    metric: batch.metric,
    unit: batch.unit,
    ts: batch.ts,
    // -0 and 0 are two values (the general path keeps -0 too)
    value: batch.value.map((v) => (Object.is(v, -0) ? '-0' : v)),
    tsText: batch.metric.map((_, i) => batch.tsText(i)),
  };
}

describe('decodeBatchBytes reads what the general path reads', () => {
  it('takes only bodies the general path takes, with the same points, and every plain one it takes', () => {
    const counts = { fast: 0, plainTaken: 0, left: 0 };
    fc.assert(
      fc.property(fc.oneof(body, validBody), style, (generated, s) => {
        const { text, plain } = write(generated, s);
        const bytes = Buffer.from(text, 'utf8');
        const fast = decodeBatchBytes(bytes);
        const slow = general(bytes);
        if (fast) {
          counts.fast += 1;
          expect(slow).not.toBeNull();
          expect(columns(fast)).toEqual(columns(slow as DecodedBatch));
        } else if (slow) counts.left += 1;
        if (plain) {
          expect({ text, taken: fast !== null }).toEqual({ text, taken: slow !== null });
          if (fast) counts.plainTaken += 1;
        }
      }),
      { numRuns: 4000 },
    );
    // the generators reach both sides: plain bodies taken, and valid bodies left to the general path
    expect(counts.plainTaken).toBeGreaterThan(300);
    expect(counts.left).toBeGreaterThan(300);
  });

  it('reads an agent-sized batch, and leaves one point too many', () => {
    const point = (i: number) => ({
      metric: 'dvc.services_online',
      unit: String(i % 63).padStart(2, '0'),
      ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      value: i * 0.5,
    });
    const full = Buffer.from(JSON.stringify({ batchId: 'b', points: Array.from({ length: MAX_POINTS_PER_BATCH }, (_, i) => point(i)) }));
    const decoded = decodeBatchBytes(full);
    expect(decoded?.metric.length).toBe(MAX_POINTS_PER_BATCH);
    expect(columns(decoded as DecodedBatch)).toEqual(columns(general(full) as DecodedBatch));
    // codes are made once per batch and shared
    expect(new Set(decoded?.unit).size).toBe(63);
    const over = Buffer.from(
      JSON.stringify({ batchId: 'b', points: Array.from({ length: MAX_POINTS_PER_BATCH + 1 }, (_, i) => point(i)) }),
    );
    expect(decodeBatchBytes(over)).toBeNull();
  });

  it('reads numbers exactly as JSON.parse does', () => {
    const texts = [
      '0',
      '-0',
      '7',
      '-7',
      '123456789012345',
      '1234567890123456789',
      '9007199254740993',
      '0.1',
      '-0.5e-3',
      '1E+2',
      '2.5e10',
      '1e308',
      '4.9e-324',
      '1e-400',
    ];
    for (const text of texts) {
      const bytes = Buffer.from(`{"batchId":"b","points":[{"metric":"m","unit":"u","ts":"2026-01-01T00:00:00Z","value":${text}}]}`);
      const value = decodeBatchBytes(bytes)?.value[0];
      expect({ text, value: Object.is(value, -0) ? '-0' : value }).toEqual({
        text,
        value: Object.is(JSON.parse(text), -0) ? '-0' : JSON.parse(text),
      });
    }
    for (const text of ['1e999', '-1e999', '00', '01', '-01', '1.', '.5', '+1', '1e', '0x10', 'NaN', '"1"']) {
      const bytes = Buffer.from(`{"batchId":"b","points":[{"metric":"m","unit":"u","ts":"2026-01-01T00:00:00Z","value":${text}}]}`);
      expect({ text, decoded: decodeBatchBytes(bytes) }).toEqual({ text, decoded: null });
    }
  });
});

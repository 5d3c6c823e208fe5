import { BATCH_ID_PATTERN, MAX_POINTS_PER_BATCH, parseIsoBytes } from '@dxoc/contracts';
import type { DecodedBatch } from './batch-decoder';

/**
 * An ingest body read from its bytes straight into columns, or null when it is not the plain kind agents send.
 *
 * What it reads: the JSON object `{"batchId": …, "points": [{"metric", "unit", "ts", "value"}, …]}`, members in any
 * order, any JSON whitespace, strings of printable ASCII without escapes, and every value of the type and bounds
 * IngestBatchSchema asks for. Then the answer is exactly decodeBatch(JSON.parse(body)) (test/batch-bytes.test.ts
 * holds it to that on random bodies), and neither JSON.parse nor the duplicate-key scan need to run: each key is
 * recognised and counted on the way. Anything else (an escape, a non-ASCII byte, a BOM, a key named twice or
 * unknown, a value of the wrong type or out of bounds, malformed JSON) answers null and the body is read the general
 * way, which explains what is wrong: null never means "invalid".
 *
 * Why: the duplicate-key scan, JSON.parse and decodeBatch read each point three times and made an object and four
 * strings of it: 2.1 µs per point on the 2-core test machine, 0.74 here (npm run bench:batch-decode). Here a point
 * makes no string: metric and unit codes repeat within a batch and are made once (CodeStrings), `ts` is read from the
 * bytes and its text made only when a message quotes it.
 */
export function decodeBatchBytes(body: Buffer): BytesBatch | null {
  let at = skipSpace(body, 0);
  if (body[at] !== OPEN_OBJECT) return null;
  let seen = 0;
  let batchId = '';
  let points: BytesBatch | null = null;
  do {
    at = skipSpace(body, at + 1);
    const key = batchKey(body, at);
    if (key === 0 || seen & key) return null;
    seen |= key;
    at = afterColon(body, readEnd);
    if (at < 0) return null;
    if (key === BATCH_ID) {
      const end = stringEnd(body, at);
      if (end < 0) return null;
      batchId = body.toString('latin1', at + 1, end);
      if (!BATCH_ID_PATTERN.test(batchId)) return null;
      at = skipSpace(body, end + 1);
    } else {
      points = readPoints(body, at);
      if (!points) return null;
      at = skipSpace(body, readEnd);
    }
  } while (body[at] === COMMA);
  if (body[at] !== CLOSE_OBJECT || !points || seen !== (BATCH_ID | POINTS)) return null;
  if (skipSpace(body, at + 1) !== body.length) return null;
  points.batchId = batchId;
  return points;
}

/** Where the value read last (readPoints, readNumber) ends: a second result without an object per call. */
let readEnd = 0;

/** The points array starting at `at`; readEnd is set past its "]". */
function readPoints(body: Buffer, start: number): BytesBatch | null {
  if (body[start] !== OPEN_ARRAY) return null;
  const metric: string[] = [];
  const unit: string[] = [];
  const ts: number[] = [];
  const value: number[] = [];
  /** where each point's ts text starts and ends in the body, for tsText */
  const tsBounds: number[] = [];
  const metrics = new CodeStrings();
  const units = new CodeStrings();
  let at = start;
  let n = 0;
  do {
    if (n === MAX_POINTS_PER_BATCH) return null;
    at = skipSpace(body, at + 1);
    if (body[at] !== OPEN_OBJECT) return null;
    let seen = 0;
    do {
      at = skipSpace(body, at + 1);
      // the key with its quotes, compared in place (one read of its bytes)
      const key = pointKey(body, at);
      if (key === 0 || seen & key) return null;
      seen |= key;
      at = afterColon(body, readEnd);
      if (at < 0) return null;
      if (key === VALUE) {
        const number = readNumber(body, at);
        if (Number.isNaN(number)) return null;
        value[n] = number;
        at = readEnd;
      } else if (key === TS) {
        // the closing quote; what lies between is judged by the grammar of ts (no quote, escape or space in it)
        if (body[at] !== QUOTE) return null;
        const end = body.indexOf(QUOTE, at + 1);
        const ms = end < 0 ? null : parseIsoBytes(body, at + 1, end);
        if (ms === null) return null;
        ts[n] = ms;
        tsBounds.push(at + 1, end);
        at = end + 1;
      } else {
        const codes = key === METRIC ? metrics : units;
        const code = codes.read(body, at, key === METRIC ? 64 : 16);
        if (code === null) return null;
        (key === METRIC ? metric : unit)[n] = code;
        at = readEnd;
      }
      at = skipSpace(body, at);
    } while (body[at] === COMMA);
    if (body[at] !== CLOSE_OBJECT || seen !== ALL_POINT_MEMBERS) return null;
    n += 1;
    at = skipSpace(body, at + 1);
  } while (body[at] === COMMA);
  if (body[at] !== CLOSE_ARRAY) return null;
  readEnd = at + 1;
  return new BytesBatch(body, metric, unit, ts, value, tsBounds);
}

/** A batch the byte decoder read: what the ingest route's body is then (IngestService takes it as it is). */
export class BytesBatch implements DecodedBatch {
  batchId = '';

  constructor(
    private readonly body: Buffer,
    readonly metric: string[],
    readonly unit: string[],
    readonly ts: number[],
    readonly value: number[],
    /** where each point's ts text starts and ends in the body */
    private readonly tsBounds: readonly number[],
  ) {}

  tsText(i: number): string {
    return this.body.toString('latin1', this.tsBounds[2 * i], this.tsBounds[2 * i + 1]);
  }
}

/**
 * A JSON number at `at` with a finite value, as JSON.parse reads it (readEnd set past it), or NaN when there is none
 * or it is out of range (1e999 parses to Infinity, which the schema refuses).
 */
function readNumber(body: Buffer, start: number): number {
  let at = start;
  const negative = body[at] === MINUS;
  if (negative) at += 1;
  const firstDigit = at;
  if (body[at] === ZERO) at += 1;
  else if (isDigit(body[at])) while (isDigit(body[at])) at += 1;
  else return Number.NaN;
  let exact = at - firstDigit <= EXACT_DIGITS;
  if (body[at] === DOT) {
    exact = false;
    at += 1;
    if (!isDigit(body[at])) return Number.NaN;
    while (isDigit(body[at])) at += 1;
  }
  if (body[at] === LOWER_E || body[at] === UPPER_E) {
    exact = false;
    at += 1;
    if (body[at] === PLUS || body[at] === MINUS) at += 1;
    if (!isDigit(body[at])) return Number.NaN;
    while (isDigit(body[at])) at += 1;
  }
  // "012" is not JSON: after a number comes its end, a separator or space
  const next = body[at];
  if (next !== undefined && next !== COMMA && next !== CLOSE_OBJECT && !isSpace(next)) return Number.NaN;
  readEnd = at;
  if (exact) {
    let value = 0;
    for (let k = firstDigit; k < at; k += 1) value = value * 10 + ((body[k] as number) - ZERO);
    return negative ? -value : value;
  }
  // the same correctly rounded conversion JSON.parse does
  const value = Number(body.toString('latin1', start, at));
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * The closing quote of the string whose opening quote is at `at`, or -1 when there is none or the string holds what
 * the plain form leaves out: a control character, an escape, a byte that is not printable ASCII.
 */
function stringEnd(body: Buffer, at: number): number {
  if (body[at] !== QUOTE) return -1;
  for (let i = at + 1; ; i += 1) {
    const c = body[i];
    if (c === QUOTE) return i;
    if (c === undefined || c < SPACE || c === BACKSLASH || c >= NOT_ASCII) return -1;
  }
}

/** Past the ":" after a key and the spaces around it, or -1. */
function afterColon(body: Buffer, at: number): number {
  const colon = skipSpace(body, at);
  return body[colon] === COLON ? skipSpace(body, colon + 1) : -1;
}

function skipSpace(body: Buffer, at: number): number {
  // most bodies have no space between tokens: one comparison tells (every byte of JSON's spaces is ≤ 0x20)
  let c = body[at];
  while (c !== undefined && c <= SPACE && isSpace(c)) c = body[++at];
  return at;
}

function isSpace(c: number | undefined): boolean {
  return c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

/** Members of a point, as bits: each must be named exactly once. */
const METRIC = 1;
const UNIT = 2;
const TS = 4;
const VALUE = 8;
const ALL_POINT_MEMBERS = METRIC | UNIT | TS | VALUE;
/** Members of the batch. */
const BATCH_ID = 1;
const POINTS = 2;

/**
 * A point's keys with their quotes, compared four bytes at a time: `"metric"` is two words, `"ts"` one, `"unit"` and
 * `"value"` a word and the bytes after it.
 */
const KEY = {
  metric: quotedKey('metric'),
  unit: quotedKey('unit'),
  ts: quotedKey('ts'),
  value: quotedKey('value'),
  batchId: quotedKey('batchId'),
  points: quotedKey('points'),
};

interface QuotedKey {
  bytes: Buffer;
  /** the first four bytes as one number (word) */
  head: number;
}

function quotedKey(name: string): QuotedKey {
  const bytes = Buffer.from(`"${name}"`);
  return { bytes, head: word(bytes, 0) };
}

/** Four bytes from `at` as one 32-bit number (bytes past the end count as 0: a key is never compared with them). */
function word(body: Uint8Array, at: number): number {
  return (body[at] as number) | ((body[at + 1] as number) << 8) | ((body[at + 2] as number) << 16) | ((body[at + 3] as number) << 24) | 0;
}

/** Whether the quoted key starts at `at`. */
function isKey(body: Buffer, at: number, key: QuotedKey): boolean {
  if (word(body, at) !== key.head) return false;
  const bytes = key.bytes;
  for (let k = 4; k < bytes.length; k += 1) if (body[at + k] !== bytes[k]) return false;
  return true;
}

/** The point member whose quoted key starts at `at` (readEnd set past it), or 0 for anything else. */
function pointKey(body: Buffer, at: number): number {
  let member: number;
  let key: QuotedKey;
  switch (body[at + 1]) {
    case 0x6d: // m
      member = METRIC;
      key = KEY.metric;
      break;
    case 0x75: // u
      member = UNIT;
      key = KEY.unit;
      break;
    case 0x74: // t
      member = TS;
      key = KEY.ts;
      break;
    case 0x76: // v
      member = VALUE;
      key = KEY.value;
      break;
    default:
      return 0;
  }
  if (!isKey(body, at, key)) return 0;
  readEnd = at + key.bytes.length;
  return member;
}

/** The batch member whose quoted key starts at `at` (readEnd set past it), or 0 for anything else. */
function batchKey(body: Buffer, at: number): number {
  if (isKey(body, at, KEY.batchId)) {
    readEnd = at + KEY.batchId.bytes.length;
    return BATCH_ID;
  }
  if (isKey(body, at, KEY.points)) {
    readEnd = at + KEY.points.bytes.length;
    return POINTS;
  }
  return 0;
}

/** Slots of CodeStrings (a power of two: a slot is the hash's low bits): a batch names a few metrics and at most a few hundred units. */
const CODE_SLOTS = 256;

/**
 * The text of short ASCII codes (metric, unit) made once per batch and shared by every point that names them. A
 * batch is mostly runs of one code: the last one is compared first, in place; else a table by a hash of the bytes,
 * each slot holding the last code that fell in it (a miss makes a new string, which is only slower, never wrong).
 */
class CodeStrings {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(CODE_SLOTS).fill(undefined);
  private last = '';
  /** where the last code's bytes are in the body */
  private lastStart = 0;

  /**
   * The string at `at` (its opening quote), of 1 to maxLength plain characters; readEnd is set past its closing quote.
   * Null when it is not such a string.
   */
  read(body: Buffer, at: number, maxLength: number): string | null {
    if (body[at] !== QUOTE) return null;
    const start = at + 1;
    const last = this.last.length;
    if (last > 0) {
      // the same bytes as the last code, then its end: the same code (its characters were checked when it was made)
      let k = 0;
      const from = this.lastStart;
      while (k < last && body[start + k] === body[from + k]) k += 1;
      if (k === last && body[start + k] === QUOTE) {
        readEnd = start + k + 1;
        return this.last;
      }
    }
    let hash = 0x811c9dc5;
    let end = start;
    for (;;) {
      const c = body[end];
      if (c === QUOTE) break;
      if (c === undefined || c < SPACE || c === BACKSLASH || c >= NOT_ASCII) return null;
      hash = Math.imul(hash ^ c, 0x01000193);
      end += 1;
    }
    const length = end - start;
    if (length < 1 || length > maxLength) return null;
    readEnd = end + 1;
    const slot = hash & (CODE_SLOTS - 1);
    let text = this.slots[slot];
    if (text === undefined || !sameText(text, body, start, end)) {
      text = body.toString('latin1', start, end);
      this.slots[slot] = text;
    }
    this.last = text;
    this.lastStart = start;
    return text;
  }
}

function sameText(text: string, body: Buffer, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let k = 0; k < text.length; k += 1) if (text.charCodeAt(k) !== body[start + k]) return false;
  return true;
}

/** Integers of up to 15 digits are exact as they are summed; longer ones (and fractions, exponents) go to Number(). */
const EXACT_DIGITS = 15;

const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
/** DEL and every byte of UTF-8's multi-byte sequences: not in the plain form */
const NOT_ASCII = 0x7f;

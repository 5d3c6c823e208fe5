/**
 * The ingest wire contract: what an agent sends to POST /api/v1/ingest and what it gets back.
 * Imported by the backend and by the agents, so both ends validate the same shape.
 */
import { z } from 'zod';

export const INGEST_PATH = '/api/v1/ingest';
export const MAX_POINTS_PER_BATCH = 5000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
export const BATCH_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** ISO-8601 date-time with an explicit offset ("Z" or "+07:00"); a bare local time is ambiguous across provinces' servers. */
export const ISO_WITH_OFFSET_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Epoch milliseconds of an ISO-8601 date-time with offset, or null when it is not a real instant
 * (Date.parse would quietly turn 30 February into 2 March).
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function parseIsoWithOffset(text: string): number | null {
  // the grammar is ASCII: the text's codes go through the one reader of it, parseIsoBytes
  const n = text.length;
  if (n > ISO_SCRATCH.length) return null;
  for (let i = 0; i < n; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return null;
    ISO_SCRATCH[i] = code;
  }
  return parseIsoBytes(ISO_SCRATCH, 0, n);
}

/** Longer than any text of the grammar (35 characters at most). */
const ISO_SCRATCH = new Uint8Array(64);

/**
 * parseIsoWithOffset of the ASCII text bytes[start, end): the ingest body's decoder reads `ts` from the request's
 * bytes without making a string of it.
 */
export function parseIsoBytes(bytes: Uint8Array, start: number, end: number): number | null {
  // Read byte by byte (the grammar of ISO_WITH_OFFSET_PATTERN, which the tests hold it to): ingest parses one of
  // these per point, and the regular expression's match array and captures were most of a batch's parse time.
  if (end - start < 17) return null;
  const year = digits(bytes, start, 4);
  if (year < 0 || bytes[start + 4] !== DASH) return null;
  const month = digits(bytes, start + 5, 2);
  if (month < 0 || bytes[start + 7] !== DASH) return null;
  const day = digits(bytes, start + 8, 2);
  if (day < 0 || bytes[start + 10] !== LETTER_T) return null;
  const hour = digits(bytes, start + 11, 2);
  if (hour < 0 || bytes[start + 13] !== COLON) return null;
  const minute = digits(bytes, start + 14, 2);
  if (minute < 0) return null;
  // bytes past `end` may be read on the way (they are the rest of the body): only a text that ends exactly at `end`
  // is accepted (the checks against `end` below)
  let at = start + 16;
  let second = 0;
  let fraction = 0;
  if (bytes[at] === COLON && at < end) {
    second = digits(bytes, at + 1, 2);
    if (second < 0) return null;
    at += 3;
    if (bytes[at] === DOT && at < end) {
      // 1 to 9 digits; the first three are milliseconds, the rest are dropped (floor)
      let count = 0;
      let scale = 100;
      for (at += 1; count < 10 && at < end && isDigit(bytes[at] as number); at += 1, count += 1) {
        if (count < 3) fraction += ((bytes[at] as number) - ZERO) * scale;
        scale /= 10;
      }
      if (count < 1 || count > 9) return null;
    }
  }
  let offsetMinutes = 0;
  const sign = bytes[at];
  if (sign === LETTER_Z) {
    if (at + 1 !== end) return null;
  } else if (sign === PLUS || sign === DASH) {
    const offsetHours = digits(bytes, at + 1, 2);
    if (offsetHours < 0) return null;
    const colon = bytes[at + 3] === COLON ? 1 : 0;
    const offsetMins = digits(bytes, at + 3 + colon, 2);
    if (offsetMins < 0 || at + 5 + colon !== end) return null;
    if (offsetHours > 14 || offsetMins > 59) return null;
    offsetMinutes = (sign === DASH ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else return null;
  // Real calendar values only: Date.UTC would quietly roll 30 February over into March.
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > daysInMonth) return null;
  const epochMs = ((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + fraction;
  // Year 10000 and later would not survive a round trip through ISO text (toISOString writes +010000-...).
  return epochMs < MAX_EPOCH_MS ? epochMs : null;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, as Date.UTC counts them (H. Hinnant's
 * days_from_civil): integer arithmetic, a quarter of Date.UTC's time per ingested point.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const ZERO = 0x30;
const DASH = 0x2d;
const PLUS = 0x2b;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The number written by `count` ASCII digits at `at`, or -1 when one of them is not a digit (or is past the end). */
function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i += 1) {
    const code = bytes[i] as number;
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/** 10000-01-01T00:00:00Z */
const MAX_EPOCH_MS = 253402300800000;

/** Quote the value the operator sent, so the message says exactly what to fix. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify turns Infinity and NaN into "null"
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** "a string \"12\"", "a boolean true", "null" (not "null null"). */
function described(value: unknown): string {
  return value === null ? 'null' : `${typeName(value)} ${quote(value)}`;
}

const requiredString = (field: string, example: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? `"${field}" is missing; expected a string such as ${quote(example)}`
        : `"${field}" must be a string such as ${quote(example)}, got ${described(issue.input)}`,
  });

export const IngestPointSchema = z.strictObject(
  {
    metric: requiredString('metric', 'dvc.services_online')
      .min(1, { error: '"metric" is empty' })
      .max(64, {
        error: (issue) => `"metric" is longer than 64 characters: ${quote(issue.input)}`,
      }),
    unit: requiredString('unit', '79')
      .min(1, { error: '"unit" is empty' })
      .max(16, {
        error: (issue) => `"unit" is longer than 16 characters: ${quote(issue.input)}`,
      }),
    ts: requiredString('ts', '2026-01-31T17:00:00+07:00').refine((text) => parseIsoWithOffset(text) !== null, {
      error: (issue) =>
        `"ts" must be a real ISO-8601 date-time with an offset, such as "2026-01-31T17:00:00+07:00"; got ${quote(issue.input)}`,
    }),
    value: z.number({
      error: (issue) =>
        issue.input === undefined
          ? '"value" is missing; expected a finite number'
          : typeof issue.input === 'number'
            ? // 1e999 is valid JSON that parses to Infinity: the sender wrote a number, just not one a double can hold
              `"value" is out of range: the number is not finite (beyond ±1.8e308, it reads as ${quote(issue.input)}); send a finite number`
            : `"value" must be a JSON number, got ${described(issue.input)}`,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; a point has only metric, unit, ts, value`
        : `a point must be an object {metric, unit, ts, value}, got ${typeName(issue.input)}`,
  },
);

export const IngestBatchSchema = z.strictObject(
  {
    batchId: requiredString('batchId', 'hcm-2026-01-31-001').regex(BATCH_ID_PATTERN, {
      error: (issue) => `"batchId" must be 1-128 characters of A-Z a-z 0-9 . _ : -; got ${quote(issue.input)}`,
    }),
    points: z
      .array(IngestPointSchema, {
        error: (issue) =>
          issue.input === undefined
            ? '"points" is missing; expected an array of points'
            : `"points" must be an array, got ${typeName(issue.input)}`,
      })
      .min(1, { error: '"points" is empty; send 1 to 5000 points' })
      .max(MAX_POINTS_PER_BATCH, {
        error: (issue) =>
          `too many points: ${Array.isArray(issue.input) ? issue.input.length : '?'}; send at most ${MAX_POINTS_PER_BATCH} per batch and split the rest`,
      }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; a batch has only batchId and points`
        : 'the body must be a JSON object {"batchId": ..., "points": [...]}',
  },
);

export type IngestPoint = z.infer<typeof IngestPointSchema>;
export type IngestBatch = z.infer<typeof IngestBatchSchema>;

export const IngestAcceptedSchema = z.object({
  batchId: z.string(),
  accepted: z.number().int(),
  /** true when the same key already sent this batchId with the same content: nothing was written again. */
  duplicate: z.boolean(),
  /** how many points changed an already stored value (a revision; the older value stays in history). */
  revised: z.number().int(),
});
export type IngestAccepted = z.infer<typeof IngestAcceptedSchema>;

/** One problem with one point (index into points) or with the batch as a whole (index null). */
export const IngestErrorDetailSchema = z.object({
  index: z.number().int().nullable(),
  field: z.string(),
  message: z.string(),
});
export type IngestErrorDetail = z.infer<typeof IngestErrorDetailSchema>;

export const ErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Error codes an agent can act on. */
export const IngestErrorCode = {
  invalidBatch: 'invalid_batch',
  payloadTooLarge: 'payload_too_large',
  unauthorized: 'unauthorized',
  forbiddenUnit: 'forbidden_unit',
  batchConflict: 'batch_conflict',
  rateLimited: 'rate_limited',
  databaseUnavailable: 'database_unavailable',
} as const;

/** Turn zod issues into the ingest API's details list: index of the point, field, plain-English message. */
export function toIngestErrorDetails(issues: readonly z.core.$ZodIssue[]): IngestErrorDetail[] {
  return issues.map((issue) => {
    const [first, index, field] = issue.path;
    if (first === 'points' && typeof index === 'number') {
      return { index, field: typeof field === 'string' ? field : 'point', message: issue.message };
    }
    return { index: null, field: typeof first === 'string' ? first : 'body', message: issue.message };
  });
}

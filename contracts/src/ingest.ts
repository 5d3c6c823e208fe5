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
  const m = ISO_WITH_OFFSET_PATTERN.exec(text);
  if (!m) return null;
  // Called for every point of every batch: unary + and a table beat Number() and a Date per call.
  const year = +(m[1] as string);
  const month = +(m[2] as string);
  const day = +(m[3] as string);
  const hour = +(m[4] as string);
  const minute = +(m[5] as string);
  const second = m[6] ? +m[6] : 0;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // Years 0-99 are refused: Date.UTC would read them as 1900-1999.
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = +(m[10] as string);
    const offsetMins = +(m[11] as string);
    if (offsetHours > 14 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const fraction = m[7] ? Math.floor(+m[7] * 1000) : 0;
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offsetMinutes * 60_000;
  // A negative offset can push 9999-12-31 into the year 10000, which ISO text and Postgres cannot carry.
  return epochMs < MAX_EPOCH_MS ? epochMs : null;
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

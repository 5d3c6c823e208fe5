/**
 * Hostile input to POST /api/v1/ingest (issue 12): what an attacker, a broken agent or a confused gateway may send,
 * over real HTTP (node:http, so the exact bytes and headers go out as written) to a real backend on a fresh database.
 * Every case asserts the status, the reason ({ error, message, details }) AND that nothing was written: the rows of
 * observation, ingest_batch and observation_revision (backend/migrations/002_observations.sql) are counted before
 * and after.
 *
 * The rule for a batch with one bad point among good ones (IngestService.ingest): everything is validated first and
 * the whole batch is written in one transaction, or nothing; the batchId of a refused batch is not used up. The
 * "all or nothing" cases below hold that rule, whatever the kind of the bad point (shape, catalog, scope, counter,
 * duplicate key).
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@dxoc/contracts';
import { startTestServer, type TestServer } from './support/app';

const SERVICES = 'dvc.services_online'; // gauge, 'dịch vụ/services', min 0, no max of its own (a count: 0..1e12)
const LEVEL4 = 'dvc.level4_share'; // ratio 0..100
const CITIZENS = 'population.citizen_records'; // counter, nation/province
const TS = '2026-03-02T08:00:00+07:00';

type Json = Record<string, unknown>;

function pt(overrides: Json = {}): Json {
  return { metric: SERVICES, unit: '79', ts: TS, value: 1, ...overrides };
}

/** A batch of one point with one field replaced (or removed, with undefined). */
function withPoint(overrides: Json, batchId = 'hostile-1'): Json {
  const point = pt(overrides);
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete point[k];
  return { batchId, points: [point] };
}

/** The text of one batch of one point whose value is written verbatim into the JSON (NaN, 1e999, 0x10…). */
function rawValue(valueText: string): string {
  return `{"batchId":"hostile-raw","points":[{"metric":"${SERVICES}","unit":"79","ts":"${TS}","value":${valueText}}]}`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One POST with exactly these bytes and headers (fetch would add or refuse some). */
function send(url: string, key: string | null, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const target = new URL('/api/v1/ingest', url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: the assertions below show the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      },
    );
    // the server may answer (413) and close before it has read all of a large body
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

/** [index, field, fragment of the message] of one expected detail; a RegExp for messages that vary. */
type Detail = [index: number | null, field: string, fragment: string | RegExp];

interface Case {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  /** the key for every unit instead of the one for 79 */
  all?: boolean;
  status: number;
  error: string;
  /** fragment of the top-level message */
  says?: string | RegExp;
  /** the details the answer must contain (in this order, among possibly others) */
  details?: Detail[];
}

const bad = (name: string, body: unknown, ...details: Detail[]): Case => ({ name, body, status: 400, error: 'invalid_batch', details });
/** A body that is not sent as JSON: 415 naming the accepted types and what was sent. */
const unsupported = (name: string, body: unknown, got: RegExp): Case => ({
  name,
  body,
  status: 415,
  error: 'unsupported_media_type',
  says: new RegExp(
    `must be JSON, sent with Content-Type: application/json \\(or an application/\\*\\+json type\\); ${got.source}\\. Nothing was stored\\.$`,
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// NaN, Infinity and numbers in disguise. JSON has no NaN or Infinity: as tokens they are malformed JSON; as strings
// they are strings; 1e999 parses to Infinity and is refused as out of range.
const NUMBERS: Case[] = [
  bad('value "NaN" as a string', withPoint({ value: 'NaN' }), [0, 'value', 'got a string "NaN"']),
  bad('value "Infinity" as a string', withPoint({ value: 'Infinity' }), [0, 'value', 'got a string "Infinity"']),
  bad('value "-Infinity" as a string', withPoint({ value: '-Infinity' }), [0, 'value', 'got a string "-Infinity"']),
  bad('value NaN as a bare token', rawValue('NaN'), [null, 'body', 'malformed JSON']),
  bad('value Infinity as a bare token', rawValue('Infinity'), [null, 'body', 'malformed JSON']),
  bad('value -Infinity as a bare token', rawValue('-Infinity'), [null, 'body', 'malformed JSON']),
  // valid JSON, but beyond a double: the reason says the number is out of range, not that it is no number
  bad('value 1e999 (parses to Infinity)', rawValue('1e999'), [
    0,
    'value',
    /^"value" is out of range: the number is not finite \(beyond ±1\.8e308, it reads as Infinity\)/,
  ]),
  bad('value -1e999 (parses to -Infinity)', rawValue('-1e999'), [
    0,
    'value',
    /^"value" is out of range: the number is not finite \(beyond ±1\.8e308, it reads as -Infinity\)/,
  ]),
  bad('value 1.7e308 on an ordinary gauge (overflowed day sums)', rawValue('1.7e308'), [0, 'value', 'is above the valid range']),
  bad('value 1e13 on a count of services (above 1e12)', withPoint({ value: 1e13 }), [0, 'value', 'is above the valid range']),
  bad('value -1 on a gauge from 0', withPoint({ value: -1 }), [0, 'value', '-1 is below']),
  bad('value 100.0001 on a percentage', withPoint({ metric: LEVEL4, value: 100.0001 }), [0, 'value', 'is above']),
  bad('value "12" (a number as a string)', withPoint({ value: '12' }), [0, 'value', 'got a string "12"']),
  bad('value "1e3" (a number as a string)', withPoint({ value: '1e3' }), [0, 'value', 'got a string "1e3"']),
  bad('value "0x10" (hex as a string)', withPoint({ value: '0x10' }), [0, 'value', 'got a string "0x10"']),
  bad('value "" (empty string)', withPoint({ value: '' }), [0, 'value', 'got a string ""']),
  bad('value 0x10 as a bare token', rawValue('0x10'), [null, 'body', 'malformed JSON']),
  bad('value +5 (a plus sign is not JSON)', rawValue('+5'), [null, 'body', 'malformed JSON']),
  bad('value 012 (leading zero)', rawValue('012'), [null, 'body', 'malformed JSON']),
  bad('value 5. (trailing dot)', rawValue('5.'), [null, 'body', 'malformed JSON']),
  bad('value .5 (no leading digit)', rawValue('.5'), [null, 'body', 'malformed JSON']),
  bad('value {"$numberDouble":"NaN"} (an extended-JSON NaN)', withPoint({ value: { $numberDouble: 'NaN' } }), [
    0,
    'value',
    'got an object',
  ]),
];

// ---------------------------------------------------------------------------------------------------------------
// Codes that look right and are not: homoglyphs, full-width and other digits, invisible characters. None may match a
// catalog code (which would write under another unit) or slip past the key's scope.
const LOOKALIKES: Case[] = [
  bad("unit 'О1' (Cyrillic О for 0)", withPoint({ unit: '\u041e1' }), [0, 'unit', 'unknown unit "О1"']),
  bad("unit 'Ο1' (Greek Ο for 0)", withPoint({ unit: '\u039f1' }), [0, 'unit', 'unknown unit']),
  bad("unit '７９' (full-width digits)", withPoint({ unit: '７９' }), [0, 'unit', 'unknown unit "７９"']),
  bad("unit '٧٩' (Arabic-Indic digits)", withPoint({ unit: '٧٩' }), [0, 'unit', 'unknown unit']),
  bad('unit 7‍9 (zero-width joiner inside)', withPoint({ unit: '7\u200d9' }), [0, 'unit', 'unknown unit']),
  bad('unit ​79 (zero-width space before)', withPoint({ unit: '\u200b79' }), [0, 'unit', 'unknown unit']),
  bad('unit 79 with a right-to-left mark', withPoint({ unit: '\u200f79' }), [0, 'unit', 'unknown unit']),
  bad('unit 97 reversed by a right-to-left override (shows as 79)', withPoint({ unit: '\u202e97' }), [0, 'unit', 'unknown unit']),
  bad('unit 79 with a byte-order mark', withPoint({ unit: '\ufeff79' }), [0, 'unit', 'unknown unit']),
  bad('unit 79 with a combining accent', withPoint({ unit: '79\u0301' }), [0, 'unit', 'unknown unit']),
  bad('unit 79 followed by NUL', withPoint({ unit: '79\u0000' }), [0, 'unit', 'unknown unit']),
  bad("unit ' 79' (leading space)", withPoint({ unit: ' 79' }), [0, 'unit', 'unknown unit " 79"']),
  bad("unit '79 ' (trailing space)", withPoint({ unit: '79 ' }), [0, 'unit', 'unknown unit "79 "']),
  bad("unit '079'", withPoint({ unit: '079' }), [0, 'unit', 'unknown unit "079"']),
  { ...bad("unit 'vn' (codes are case-sensitive)", withPoint({ unit: 'vn' }), [0, 'unit', 'unknown unit "vn"']), all: true },
  bad("unit \"79' OR '1'='1\" (SQL in a code)", withPoint({ unit: "79' OR '1'='1" }), [0, 'unit', 'unknown unit']),
  bad('unit empty', withPoint({ unit: '' }), [0, 'unit', '"unit" is empty']),
  bad('unit of 17 characters', withPoint({ unit: '7'.repeat(17) }), [0, 'unit', 'longer than 16']),
  bad('metric with a Cyrillic о', withPoint({ metric: 'dvc.services_\u043enline' }), [0, 'metric', 'unknown metric']),
  bad('metric in full-width letters', withPoint({ metric: 'ｄｖｃ.services_online' }), [0, 'metric', 'unknown metric']),
  bad('metric with a zero-width joiner', withPoint({ metric: 'dvc.services\u200d_online' }), [0, 'metric', 'unknown metric']),
  bad('metric in capitals', withPoint({ metric: SERVICES.toUpperCase() }), [0, 'metric', 'unknown metric "DVC.SERVICES_ONLINE"']),
  bad('metric with SQL', withPoint({ metric: `${SERVICES}'; DROP TABLE observation;--` }), [0, 'metric', 'unknown metric']),
  bad('metric unknown', withPoint({ metric: 'dvc.no_such_metric' }), [0, 'metric', 'unknown metric "dvc.no_such_metric"']),
  bad('metric empty', withPoint({ metric: '' }), [0, 'metric', '"metric" is empty']),
  bad('metric of 65 characters', withPoint({ metric: `dvc.${'x'.repeat(61)}` }), [0, 'metric', 'longer than 64']),
];

// ---------------------------------------------------------------------------------------------------------------
// Units outside the key's scope: 403 forbidden_unit, listing the points.
const forbidden = (name: string, body: unknown, ...details: Detail[]): Case => ({
  name,
  body,
  status: 403,
  error: 'forbidden_unit',
  details,
});
const SCOPE: Case[] = [
  forbidden('the key for 79 writing 01', withPoint({ unit: '01' }), [0, 'unit', 'unit "01" is not granted to this key']),
  forbidden('the key for 79 writing the nation VN', withPoint({ unit: 'VN' }), [0, 'unit', 'unit "VN" is not granted']),
  forbidden('the key for 79 writing a ministry BCA', withPoint({ unit: 'BCA' }), [0, 'unit', 'unit "BCA" is not granted']),
  forbidden(
    'the key for 79 hiding one point of 48 among points of 79',
    { batchId: 'hostile-scope', points: [pt({ value: 1 }), pt({ unit: '48', value: 2 }), pt({ ts: '2026-03-02T09:00:00+07:00' })] },
    [1, 'unit', 'unit "48" is not granted'],
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Every field's wrong type: null, a number, an object, an array, a boolean (value: a string instead of a number).
const WRONG_TYPES: [label: string, value: unknown, described: string][] = [
  ['null', null, 'got null'],
  ['a number', 42, 'got a number 42'],
  ['an object', { a: 1 }, 'got an object {"a":1}'],
  ['an array', ['79'], 'got an array ["79"]'],
  ['a boolean', true, 'got a boolean true'],
];
const TYPES: Case[] = [
  ...(['metric', 'unit', 'ts'] as const).flatMap((field) =>
    WRONG_TYPES.map(([label, value, described]) =>
      bad(`${field} ${label}`, withPoint({ [field]: value }), [0, field, new RegExp(`"${field}" must be a string.*${escape(described)}`)]),
    ),
  ),
  ...[...WRONG_TYPES.filter(([label]) => label !== 'a number'), ['a string', '42', 'got a string "42"'] as const].map(
    ([label, value, described]) =>
      bad(`value ${label}`, withPoint({ value }), [0, 'value', new RegExp(`"value" must be a JSON number.*${escape(described)}`)]),
  ),
  ...WRONG_TYPES.map(([label, value, described]) =>
    bad(`batchId ${label}`, { batchId: value, points: [pt()] }, [
      null,
      'batchId',
      new RegExp(`"batchId" must be a string.*${escape(described)}`),
    ]),
  ),
  ...[...WRONG_TYPES.filter(([label]) => label !== 'an array'), ['a string', 'points', 'a string'] as const].map(([label, value]) =>
    bad(`points ${label}`, { batchId: 'hostile-types', points: value }, [null, 'points', /"points" must be an array, got/]),
  ),
  ...WRONG_TYPES.filter(([label]) => label !== 'an object').map(([label, value]) =>
    bad(`a point that is ${label}`, { batchId: 'hostile-types', points: [value] }, [0, 'point', 'a point must be an object']),
  ),
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Missing fields and extra fields (the contract is strict: a point has exactly metric, unit, ts, value).
const SHAPE: Case[] = [
  ...(['metric', 'unit', 'ts', 'value'] as const).map((field) =>
    bad(`${field} missing`, withPoint({ [field]: undefined }), [0, field, `"${field}" is missing`]),
  ),
  bad('batchId missing', { points: [pt()] }, [null, 'batchId', '"batchId" is missing']),
  bad('points missing', { batchId: 'hostile-shape' }, [null, 'points', '"points" is missing']),
  bad('an empty object', {}, [null, 'batchId', '"batchId" is missing'], [null, 'points', '"points" is missing']),
  bad('points empty', { batchId: 'hostile-shape', points: [] }, [null, 'points', '"points" is empty']),
  bad('an extra field in a point', withPoint({ unitName: 'HCM' }), [0, 'point', 'unknown field(s) "unitName"']),
  bad('an extra field in the batch', { batchId: 'hostile-shape', points: [pt()], key: 'x' }, [null, 'body', 'unknown field(s) "key"']),
  bad(
    'a "__proto__" member in the batch (prototype pollution)',
    `{"__proto__":{"isAdmin":true},"batchId":"hostile-proto","points":[${JSON.stringify(pt())}]}`,
    [null, 'body', 'unknown field(s) "__proto__"'],
  ),
  bad(
    'a "__proto__" member in a point',
    `{"batchId":"hostile-proto","points":[{"__proto__":{"unit":"01"},"metric":"${SERVICES}","unit":"79","ts":"${TS}","value":1}]}`,
    [0, 'point', 'unknown field(s) "__proto__"'],
  ),
  bad('a "constructor" member in a point', withPoint({ constructor: { name: 'x' } }), [0, 'point', 'unknown field(s) "constructor"']),
  bad('points nested one array too deep', { batchId: 'hostile-shape', points: [[pt()]] }, [0, 'point', 'got an array']),
  bad(
    '5001 points',
    {
      batchId: 'hostile-shape',
      points: Array.from({ length: 5001 }, (_, i) => pt({ ts: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() })),
    },
    [null, 'points', 'too many points: 5001'],
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// batchId: 1-128 characters of A-Z a-z 0-9 . _ : - and nothing else.
const BATCH_IDS: [name: string, batchId: string][] = [
  ['empty', ''],
  ['129 characters', 'b'.repeat(129)],
  ['10,000 characters', 'b'.repeat(10_000)],
  ['a NUL inside', 'batch\u00001'],
  ['a newline inside (log injection)', 'batch-1\nlevel=error forged'],
  ['a tab inside', 'batch\t1'],
  ['an ANSI escape', '\u001b[31mred'],
  ['Vietnamese letters', 'lô-số-1'],
  ['an emoji', 'batch-📦'],
  ['a Cyrillic а', 'b\u0430tch-1'],
  ['full-width letters', 'ｂａｔｃｈ'],
  ['a zero-width space', 'batch\u200b1'],
  ['only a space', ' '],
  ['a leading space', ' batch-1'],
  ['a trailing space', 'batch-1 '],
  ['a path', '../../etc/passwd'],
  ['a slash', 'a/b'],
  ['SQL', "x'; DELETE FROM ingest_batch;--"],
];
const BATCH_ID_CASES: Case[] = BATCH_IDS.map(([name, batchId]) =>
  bad(`batchId ${name}`, { batchId, points: [pt()] }, [null, 'batchId', '"batchId" must be 1-128 characters']),
);

// ---------------------------------------------------------------------------------------------------------------
// Timestamps: real instants with an offset, not in the future, not before DXOC_MIN_TIMESTAMP (2000-01-01 by default).
const badTs = (name: string, ts: unknown, fragment: string | RegExp = 'must be a real ISO-8601 date-time with an offset'): Case =>
  bad(`ts ${name}`, withPoint({ ts }), [0, 'ts', fragment]);
const TIMESTAMPS: Case[] = [
  badTs('2026-02-30 (no such day)', '2026-02-30T00:00:00Z'),
  badTs('2026-02-29 (2026 is not a leap year)', '2026-02-29T12:00:00+07:00'),
  badTs('month 13', '2026-13-01T00:00:00Z'),
  badTs('month 00', '2026-00-10T00:00:00Z'),
  badTs('day 00', '2026-03-00T00:00:00Z'),
  badTs('hour 24', '2026-03-02T24:00:00Z'),
  badTs('minute 60', '2026-03-02T23:60:00Z'),
  badTs('second 60 (a leap second)', '2026-03-02T23:59:60Z'),
  badTs('offset +15:00', '2026-03-02T08:00:00+15:00'),
  badTs('offset -14:60', '2026-03-02T08:00:00-14:60'),
  badTs('offset +7:00 (one digit)', '2026-03-02T08:00:00+7:00'),
  badTs('offset after a space', '2026-03-02T08:00:00 +07:00'),
  badTs('offset as a zone name', '2026-03-02T08:00:00 Asia/Ho_Chi_Minh'),
  badTs('no offset', '2026-03-02T08:00:00'),
  badTs('a lowercase z', '2026-03-02T08:00:00z'),
  badTs('a space instead of T', '2026-03-02 08:00:00Z'),
  badTs('ten digits of fraction', '2026-03-02T08:00:00.1234567890Z'),
  badTs('epoch seconds as a string', '1772413200'),
  badTs('a date only', '2026-03-02'),
  badTs('full-width digits', '２０２６-03-02T08:00:00Z'),
  badTs('with a zero-width space', '2026-03-02T08:00:00Z\u200b'),
  badTs('"Invalid Date"', 'Invalid Date'),
  badTs('empty', ''),
  badTs('year +010000 (expanded years)', '+010000-01-01T00:00:00Z'),
  badTs('year 0026 (not silently 1926)', '0026-03-02T08:00:00+07:00'),
  badTs('9999-12-31 (far future)', '9999-12-31T23:59:59Z', 'more than 5 minutes in the future'),
  badTs('2100-01-01 (future)', '2100-01-01T00:00:00+07:00', 'more than 5 minutes in the future'),
  badTs('1970-01-01 (epoch zero)', '1970-01-01T00:00:00Z', 'DXOC_MIN_TIMESTAMP'),
  badTs('0100-01-01 (year 100)', '0100-01-01T00:00:00Z', 'DXOC_MIN_TIMESTAMP'),
  badTs('1999-12-31T23:59:59Z (a second before the floor)', '1999-12-31T23:59:59Z', 'DXOC_MIN_TIMESTAMP'),
  badTs('2000-01-01T06:59:59+07:00 (before the floor once the offset is applied)', '2000-01-01T06:59:59+07:00', 'DXOC_MIN_TIMESTAMP'),
];

// ---------------------------------------------------------------------------------------------------------------
// A key named twice in one object: JSON.parse keeps the last, a gateway may keep the first.
const pointText = (inner: string) => `{"batchId":"hostile-dup","points":[${inner}]}`;
const DUPLICATE_KEYS: Case[] = [
  bad(
    'duplicate key unit in a point ("01" then "79")',
    pointText(`{"metric":"${SERVICES}","unit":"01","unit":"79","ts":"${TS}","value":1}`),
    [0, 'unit', 'key "unit" appears twice'],
  ),
  bad('duplicate key value in a point', pointText(`{"metric":"${SERVICES}","unit":"79","ts":"${TS}","value":1e9,"value":1}`), [
    0,
    'value',
    'key "value" appears twice',
  ]),
  bad(
    'duplicate key written once escaped ("\\u0075nit")',
    pointText(`{"metric":"${SERVICES}","unit":"01","\\u0075nit":"79","ts":"${TS}","value":1}`),
    [0, 'unit', 'key "unit" appears twice'],
  ),
  bad('duplicate key batchId at the top level', `{"batchId":"a","batchId":"b","points":[${JSON.stringify(pt())}]}`, [
    null,
    'batchId',
    'key "batchId" appears twice',
  ]),
  bad(
    'duplicate key points at the top level (the first array hides the second)',
    `{"batchId":"hostile-dup","points":[${JSON.stringify(pt({ unit: '01' }))}],"points":[${JSON.stringify(pt())}]}`,
    [null, 'points', 'key "points" appears twice'],
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// The body as a whole: size, nesting, media type, encoding, emptiness, not an object.
const GOOD = JSON.stringify({ batchId: 'hostile-body', points: [pt()] });
const depth = 100_000;
/** A deeply nested body: 400 invalid_batch whose message names the depth limit or, without one, the contract's reason. */
function deep(name: string, body: string, contractReason: RegExp): Case {
  return { name, body, status: 400, error: 'invalid_batch', says: new RegExp(`deeper than \\d+ levels|${contractReason.source}`) };
}
const BODIES: Case[] = [
  {
    name: `a body one byte over MAX_BODY_BYTES (${MAX_BODY_BYTES})`,
    body: JSON.stringify({ batchId: 'big-1', points: [pt({ metric: 'x'.repeat(MAX_BODY_BYTES) })] }).slice(0, MAX_BODY_BYTES + 1),
    status: 413,
    error: 'payload_too_large',
    says: String(MAX_BODY_BYTES),
  },
  {
    name: 'a body of 8 MB',
    body: JSON.stringify({ batchId: 'big-2', points: [pt({ metric: 'x'.repeat(8 * 1024 * 1024) })] }),
    status: 413,
    error: 'payload_too_large',
    says: String(MAX_BODY_BYTES),
  },
  {
    name: 'a gzip bomb: 200 kB that inflate to 20 MB',
    body: gzipSync(Buffer.from(`{"batchId":"bomb","points":[${' '.repeat(20 * 1024 * 1024)}]}`)),
    headers: { 'content-encoding': 'gzip' },
    status: 413,
    error: 'payload_too_large',
  },
  // Deep nesting is refused before it is parsed far (a depth limit next to the duplicate-key scan), or by the
  // contract; either way a 400 that says so, never a stack overflow (500) in the code that quotes the value.
  deep(`a value nested ${depth} arrays deep`, rawValue(`${'['.repeat(depth)}1${']'.repeat(depth)}`), /got an array/),
  deep(
    `an extra member nested ${depth} objects deep`,
    `{"batchId":"hostile-deep","points":[${JSON.stringify(pt())}],"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
    /unknown field\(s\) "x"/,
  ),
  deep(`a body that is ${depth} nested arrays`, `${'['.repeat(depth)}${']'.repeat(depth)}`, /must be a JSON object/),
  bad('a body that is a JSON array of points', JSON.stringify([pt()]), [null, 'body', 'must be a JSON object']),
  bad('a body that is the number 42', '42', [null, 'body', 'malformed JSON']),
  bad('a body that is a JSON string', '"hello"', [null, 'body', 'malformed JSON']),
  bad('a body that is true', 'true', [null, 'body', 'malformed JSON']),
  bad('a body that is null', 'null', [null, 'body', 'malformed JSON']),
  bad('an empty body', '', [null, 'batchId', '"batchId" is missing'], [null, 'points', '"points" is missing']),
  bad('a body of whitespace', '   \n\t ', [null, 'body', 'malformed JSON']),
  bad('truncated JSON', GOOD.slice(0, -3), [null, 'body', 'malformed JSON']),
  bad('two JSON objects in a row', `${GOOD}${GOOD}`, [null, 'body', 'malformed JSON']),
  bad('a JSON comment', `/* hi */${GOOD}`, [null, 'body', 'malformed JSON']),
  bad('single quotes', GOOD.replace(/"/g, "'"), [null, 'body', 'malformed JSON']),
  bad('a trailing comma', `${GOOD.slice(0, -1)},}`, [null, 'body', 'malformed JSON']),
  bad(
    'invalid UTF-8 bytes in a string',
    Buffer.concat([Buffer.from('{"batchId":"'), Buffer.from([0xff, 0xfe]), Buffer.from(`","points":[${JSON.stringify(pt())}]}`)]),
    [null, 'batchId', '"batchId" must be 1-128 characters'],
  ),
  // A body of another media type, or of none named, is refused as such (415 naming the JSON types), before anything
  // reads it: not 400 "the body must be a JSON object", which sent the agent's author to look at the JSON.
  unsupported('Content-Type text/plain', GOOD, /got Content-Type "text\/plain"/),
  unsupported(
    'Content-Type application/x-www-form-urlencoded',
    'batchId=x&points=1',
    /got Content-Type "application\/x-www-form-urlencoded"/,
  ),
  unsupported('Content-Type multipart/form-data', GOOD, /got Content-Type "multipart\/form-data; boundary=x"/),
  unsupported('Content-Type application/xml', '<batch/>', /got Content-Type "application\/xml"/),
  unsupported('no Content-Type', GOOD, /got no Content-Type/),
  {
    // JSON is UTF-8 (RFC 8259 §8.1); the parser also decodes UTF-16 when told so, but no other charset
    name: 'Content-Type application/json; charset=iso-8859-1',
    body: Buffer.from(GOOD, 'latin1'),
    headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    status: 415,
    error: 'unsupported_encoding',
  },
  { ...bad('Content-Encoding gzip with a plain body (corrupt gzip)', GOOD), headers: { 'content-encoding': 'gzip' } },
  { ...bad('Content-Encoding deflate with a plain body', GOOD), headers: { 'content-encoding': 'deflate' } },
  { ...bad('Content-Encoding br with a plain body', GOOD), headers: { 'content-encoding': 'br' } },
  { ...bad('a gzip body cut in half', gzipSync(Buffer.from(GOOD)).subarray(0, 20)), headers: { 'content-encoding': 'gzip' } },
  {
    name: 'Content-Encoding of an unknown scheme',
    body: GOOD,
    headers: { 'content-encoding': 'x-rot13' },
    status: 415,
    error: 'unsupported_encoding',
  },
];
// the content types above that are not JSON
const CONTENT_TYPES: Record<string, string> = {
  'Content-Type text/plain': 'text/plain',
  'Content-Type application/x-www-form-urlencoded': 'application/x-www-form-urlencoded',
  'Content-Type multipart/form-data': 'multipart/form-data; boundary=x',
  'Content-Type application/xml': 'application/xml',
  'no Content-Type': '',
};
for (const c of BODIES) if (c.name in CONTENT_TYPES) c.headers = { 'content-type': CONTENT_TYPES[c.name] as string };

// ---------------------------------------------------------------------------------------------------------------
// One bad point among good ones: the whole batch is refused and nothing of it is written.
const goodPoints = [pt({ value: 1 }), pt({ ts: '2026-03-02T09:00:00+07:00', value: 2 }), pt({ metric: LEVEL4, value: 40 })];
const MIXED: Case[] = [
  bad('three good points and an unknown metric', { batchId: 'hostile-mixed', points: [...goodPoints, pt({ metric: 'dvc.nope' })] }, [
    3,
    'metric',
    'unknown metric',
  ]),
  bad(
    'three good points and a value as a string',
    { batchId: 'hostile-mixed', points: [...goodPoints, pt({ ts: '2026-03-02T10:00:00+07:00', value: '3' })] },
    [3, 'value', 'got a string "3"'],
  ),
  bad('three good points and a homoglyph unit', { batchId: 'hostile-mixed', points: [...goodPoints, pt({ unit: '\u041e1' })] }, [
    3,
    'unit',
    'unknown unit',
  ]),
  bad(
    'three good points and a percentage of 101',
    { batchId: 'hostile-mixed', points: [...goodPoints, pt({ metric: LEVEL4, ts: '2026-03-02T11:00:00+07:00', value: 101 })] },
    [3, 'value', '101 is above'],
  ),
  bad(
    'three good points and a timestamp of 1970',
    { batchId: 'hostile-mixed', points: [...goodPoints, pt({ ts: '1970-01-01T00:00:00Z' })] },
    [3, 'ts', 'DXOC_MIN_TIMESTAMP'],
  ),
  bad(
    'three good points and a counter going backwards',
    {
      batchId: 'hostile-mixed',
      points: [
        ...goodPoints,
        pt({ metric: CITIZENS, ts: '2026-03-05T00:00:00+07:00', value: 10 }),
        pt({ metric: CITIZENS, ts: '2026-03-06T00:00:00+07:00', value: 9 }),
      ],
    },
    [4, 'value', 'went backwards'],
  ),
  bad(
    'three good points and a repeat of the first in UTC',
    { batchId: 'hostile-mixed', points: [...goodPoints, pt({ ts: '2026-03-02T01:00:00Z', value: 5 })] },
    [3, 'ts', 'point 0'],
  ),
  bad(
    '4999 good points and one with a duplicate key',
    pointText(
      [
        ...Array.from({ length: 4999 }, (_, i) => JSON.stringify(pt({ ts: new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString() }))),
        `{"metric":"${SERVICES}","unit":"01","unit":"79","ts":"${TS}","value":1}`,
      ].join(','),
    ),
    [4999, 'unit', 'key "unit" appears twice'],
  ),
  forbidden('three good points and one for a unit not granted', { batchId: 'hostile-mixed', points: [...goodPoints, pt({ unit: '01' })] }, [
    3,
    'unit',
    'not granted',
  ]),
];

const CASES: [group: string, cases: Case[]][] = [
  ['NaN, Infinity and numbers in disguise', NUMBERS],
  ['homoglyph, invisible and unknown codes', LOOKALIKES],
  ["units outside the key's scope", SCOPE],
  ["every field's wrong type", TYPES],
  ['missing and extra fields', SHAPE],
  ['batchId edge cases', BATCH_ID_CASES],
  ['timestamps', TIMESTAMPS],
  ['duplicate JSON keys', DUPLICATE_KEYS],
  ['bodies: size, nesting, media type, encoding', BODIES],
  ['one bad point among good ones (all or nothing)', MIXED],
];

describe('hostile input to POST /api/v1/ingest: refused with a reason, nothing written', () => {
  let server: TestServer;
  let key79: string;
  let keyAll: string;

  async function counts(): Promise<{ observation: number; batches: number; revisions: number }> {
    const { rows } = await server.db.query<{ observation: number; batches: number; revisions: number }>(
      `SELECT (SELECT count(*)::int FROM observation) AS observation,
              (SELECT count(*)::int FROM ingest_batch) AS batches,
              (SELECT count(*)::int FROM observation_revision) AS revisions`,
    );
    return rows[0] as { observation: number; batches: number; revisions: number };
  }

  beforeAll(async () => {
    server = await startTestServer();
    key79 = await server.createKey(['79']);
    keyAll = await server.createKey(null);
    // something stored, so "nothing written" is checked against a table that is not empty (and revisions could happen)
    const seeded = await send(
      server.url,
      keyAll,
      JSON.stringify({ batchId: 'hostile-seed', points: [pt({ value: 7 }), pt({ unit: '01', value: 3 })] }),
    );
    expect(seeded.status).toBe(202);
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`has at least 80 cases (${CASES.reduce((n, [, cases]) => n + cases.length, 0)})`, () => {
    expect(CASES.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(80);
  });

  for (const [group, cases] of CASES) {
    describe(group, () => {
      it.each(cases)('$name', async ({ body, headers, all, status, error, says, details }) => {
        const before = await counts();
        const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        const r = await send(server.url, all ? keyAll : key79, text, headers);
        const shown = JSON.stringify(r.body).slice(0, 600);
        expect(r.status, shown).toBe(status);
        expect(r.body.error, shown).toBe(error);
        expect(typeof r.body.message, shown).toBe('string');
        if (says) expect(r.body.message).toMatch(says);
        if (error === 'invalid_batch') expect(r.body.message, shown).toContain('Nothing');
        if (details) {
          expect(Array.isArray(r.body.details), shown).toBe(true);
          let from = 0;
          for (const [index, field, fragment] of details) {
            const at = (r.body.details as { index: number | null; field: string; message: string }[]).findIndex(
              (d, n) =>
                n >= from &&
                d.index === index &&
                d.field === field &&
                (typeof fragment === 'string' ? d.message.includes(fragment) : fragment.test(d.message)),
            );
            expect(at, `no detail [${index}, ${field}, ${String(fragment)}] in ${shown}`).toBeGreaterThanOrEqual(0);
            from = at + 1;
          }
        }
        expect(await counts()).toEqual(before);
      });
    });
  }

  it('does not use up the batchId of a refused batch: the corrected batch goes through under the same id, exactly once', async () => {
    // a day nothing else writes: the three points are new rows
    const good = goodPoints.map((p) => ({ ...p, ts: (p.ts as string).replace('2026-03-02', '2026-03-20') }));
    const before = await counts();
    const refused = await send(
      server.url,
      key79,
      JSON.stringify({ batchId: 'hostile-retry', points: [...good, pt({ metric: 'dvc.nope' })] }),
    );
    expect(refused.status).toBe(400);
    expect(await counts()).toEqual(before);
    const fixed = await send(server.url, key79, JSON.stringify({ batchId: 'hostile-retry', points: good }));
    expect(fixed.status).toBe(202);
    expect(fixed.body).toEqual({ batchId: 'hostile-retry', accepted: 3, duplicate: false, revised: 0 });
    expect(await counts()).toEqual({ ...before, observation: before.observation + 3, batches: before.batches + 1 });
  });

  it('still answers and still stores after all of the above (no hostile body broke the server)', async () => {
    const r = await send(server.url, keyAll, JSON.stringify({ batchId: 'hostile-after', points: [pt({ unit: '48', value: 4 })] }));
    expect(r.status).toBe(202);
    const { rows } = await server.db.query<{ value: number }>(`SELECT value FROM observation WHERE batch_id = 'hostile-after'`);
    expect(rows).toEqual([{ value: 4 }]);
  });
});

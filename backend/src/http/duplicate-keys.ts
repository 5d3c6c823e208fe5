/**
 * Finds a key named twice in one JSON object of a request body. JSON.parse keeps the last of the two silently
 * ("unit":"01","unit":"79" is read as 79) while a gateway, a log reader or another parser may keep the first, so
 * two readers of the same batch would see different data; such a body is refused instead (RFC 8259 §4: names
 * SHOULD be unique). A reviver cannot tell (it sees the parsed object), so the raw bytes are scanned once before
 * JSON.parse: one pass over the buffer, no allocation for keys without escapes, a few comparisons of byte ranges per
 * object (a point has four keys). Malformed JSON is not judged here: the scan stops and JSON.parse reports it.
 */
import { AppError } from './errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
/** TypedArray's indexOf, a V8 builtin (Buffer's own goes through a native binding on every call) */
const indexOf = Uint8Array.prototype.indexOf;

export interface DuplicateKey {
  /** the key as parsed (escapes resolved) */
  key: string;
  /** where it is named twice: [] for the top-level object, else object keys and array indices ("points", 3) */
  at: (string | number)[];
}

/**
 * Deeper than any body of the API needs (an ingest batch is 3 levels, a dashboard page under 10). A value nested
 * 100,000 arrays deep parsed fine and then overflowed the stack of the validator's error message (500): the scan
 * refuses it on the way, before JSON.parse and zod recurse into it.
 */
export const MAX_JSON_DEPTH = 64;

class TooDeep extends Error {
  constructor(readonly at: (string | number)[]) {
    super('too deep');
  }
}

/** Objects with more keys than this are checked through a Set of decoded keys, not pairwise (hostile bodies). */
const PAIRWISE_MAX_KEYS = 16;

/** One open object or array of the scan. Keys are kept as byte ranges of the raw body (inside the quotes). */
interface Frame {
  isObject: boolean;
  /** object: key ranges as [start, end, hasEscape] triples, flattened; the last one names the member being read */
  keys: number[] | null;
  /** object with many keys: every key so far, decoded */
  seen: Set<string> | null;
  /** array: index of the element being read */
  index: number;
}

/** Throws TooDeep (answered as 400 by refuseDuplicateKeys) past MAX_JSON_DEPTH levels of nesting. */
export function findDuplicateKey(body: Uint8Array): DuplicateKey | null {
  const stack: Frame[] = [];
  // frames are reused between siblings: a batch of 5,000 points allocates one frame per depth, not per point
  const pool: Frame[] = [];
  let depth = 0;
  const length = body.length;
  // where the next backslash is (-1: none left), found once and moved past as strings are read: O(length) in all
  let nextBackslash = indexOf.call(body, BACKSLASH, 0);
  for (let i = 0; i < length; i++) {
    const c = body[i] as number;
    if (c === QUOTE) {
      const start = i + 1;
      // the closing quote by V8's own search (most of a body is inside strings); a quote after an odd run of
      // backslashes is escaped and the search goes on
      if (nextBackslash !== -1 && nextBackslash < start) nextBackslash = indexOf.call(body, BACKSLASH, start);
      i = indexOf.call(body, QUOTE, start);
      let escaped = false;
      while (i !== -1 && nextBackslash !== -1 && nextBackslash < i) {
        escaped = true;
        let run = 0;
        while (body[i - 1 - run] === BACKSLASH) run++;
        if (run % 2 === 0) break;
        i = indexOf.call(body, QUOTE, i + 1);
      }
      if (i === -1) return null; // unterminated string: malformed, JSON.parse says where
      const frame = depth > 0 ? (stack[depth - 1] as Frame) : null;
      // a string is a key when it follows "{" or "," inside an object; the ":" after it is skipped as punctuation
      if (frame?.isObject && expectsKey(body, start - 1)) {
        const keys = (frame.keys ??= []);
        if (frame.seen) {
          const key = decode(body, start, i, escaped);
          if (frame.seen.has(key)) return { key, at: pathOf(body, stack, depth) };
          frame.seen.add(key);
        } else {
          for (let k = 0; k < keys.length; k += 3) {
            if (sameKey(body, keys[k] as number, keys[k + 1] as number, keys[k + 2] === 1, start, i, escaped)) {
              return { key: decode(body, start, i, escaped), at: pathOf(body, stack, depth) };
            }
          }
          if (keys.length === 3 * PAIRWISE_MAX_KEYS) {
            frame.seen = new Set();
            for (let k = 0; k < keys.length; k += 3)
              frame.seen.add(decode(body, keys[k] as number, keys[k + 1] as number, keys[k + 2] === 1));
            frame.seen.add(decode(body, start, i, escaped));
          }
        }
        // only the last key is needed from here on (it names the member being read, see pathOf)
        if (frame.seen) keys.splice(0, keys.length, start, i, escaped ? 1 : 0);
        else keys.push(start, i, escaped ? 1 : 0);
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth >= MAX_JSON_DEPTH) throw new TooDeep(pathOf(body, stack, depth + 1));
      let frame = pool[depth];
      if (!frame) pool[depth] = frame = { isObject: false, keys: null, seen: null, index: 0 };
      frame.isObject = c === OPEN_OBJECT;
      if (frame.keys) frame.keys.length = 0;
      frame.seen = null;
      frame.index = 0;
      stack[depth++] = frame;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return null;
      depth--;
    } else if (c === COMMA && depth > 0) {
      const frame = stack[depth - 1] as Frame;
      if (!frame.isObject) frame.index++;
    }
  }
  return null;
}

/** Whether the string whose opening quote is at `quoteAt` starts an object member: "{" or "," before it, spaces apart. */
function expectsKey(body: Uint8Array, quoteAt: number): boolean {
  for (let j = quoteAt - 1; j >= 0; j--) {
    const c = body[j] as number;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === OPEN_OBJECT || c === COMMA;
  }
  return false;
}

function sameKey(
  body: Uint8Array,
  aStart: number,
  aEnd: number,
  aEscaped: boolean,
  bStart: number,
  bEnd: number,
  bEscaped: boolean,
): boolean {
  // "\u0075nit" and "unit" are the same key to JSON.parse: compare decoded text when either has an escape
  if (aEscaped || bEscaped) return decode(body, aStart, aEnd, aEscaped) === decode(body, bStart, bEnd, bEscaped);
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let k = 0; k < aEnd - aStart; k++) if (body[aStart + k] !== body[bStart + k]) return false;
  return true;
}

function decode(body: Uint8Array, start: number, end: number, escaped: boolean): string {
  const text = Buffer.from(body.buffer, body.byteOffset + start, end - start).toString('utf8');
  if (!escaped) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text; // an invalid escape: JSON.parse of the whole body refuses it anyway
  }
}

/** The path of the object being read when the duplicate was found: the key or index of each enclosing member. */
function pathOf(body: Uint8Array, stack: Frame[], depth: number): (string | number)[] {
  const path: (string | number)[] = [];
  for (let d = 0; d < depth - 1; d++) {
    const frame = stack[d] as Frame;
    if (frame.isObject) {
      const keys = frame.keys as number[];
      const k = keys.length - 3;
      path.push(decode(body, keys[k] as number, keys[k + 1] as number, keys[k + 2] === 1));
    } else path.push(frame.index);
  }
  return path;
}

/** "points[3]", "" for the top level: JavaScript-like, as messages name places in a body. */
export function formatPath(at: readonly (string | number)[]): string {
  return at
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `${i === 0 ? '' : '.'}${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

/**
 * express.json's verify hook: throws a 400 AppError naming the key and where it is repeated. In an ingest batch
 * the details name the point (index) as for any invalid point, so an agent can set that point aside.
 */
export function refuseDuplicateKeys(_req: unknown, _res: unknown, body: Buffer): void {
  let duplicate: DuplicateKey | null;
  try {
    duplicate = findDuplicateKey(body);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    const path = formatPath(error.at.slice(0, 8));
    const message = `the body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels (at ${path || 'the top level'}${error.at.length > 8 ? '…' : ''})`;
    throw new AppError(400, 'invalid_batch', `invalid body: ${message}. Nothing was stored.`, [
      { index: null, field: path, path, message },
    ]);
  }
  if (!duplicate) return;
  const { key, at } = duplicate;
  const path = formatPath([...at, key]);
  const where = at.length === 0 ? 'the top-level object' : formatPath(at);
  const message = `key ${JSON.stringify(key)} appears twice in ${where} (${path}); a JSON object must name each key once, since readers disagree on which one counts`;
  const index = at[0] === 'points' && typeof at[1] === 'number' && at.length === 2 ? at[1] : null;
  throw new AppError(400, 'invalid_batch', `invalid body: ${message}. Nothing was stored.`, [
    { index, field: index === null ? path : key, path, message },
  ]);
}

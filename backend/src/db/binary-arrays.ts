/**
 * One-dimensional arrays in PostgreSQL's binary format (array_recv), for `pg` to send as binary parameters: `pg`
 * sends a Buffer parameter with the binary format code and the server reads it with the type's receive function.
 * Against the text literals ('{"a","b"}', '{1.5,2}'), node writes each element into one buffer instead of joining a
 * string and encoding it again, and the server copies 8 bytes per number instead of parsing its digits
 * (float8in's strtod) and reads each text element by its length instead of scanning for quotes.
 *
 * Format: ndim (int32), has-nulls flag (int32), element type oid (int32), then per dimension its length and lower
 * bound (int32 each), then each element as its byte length (int32) and its bytes; all big-endian. An empty array
 * has ndim 0 and nothing after the oid. The element type must be the one the statement expects for the parameter
 * (`$1::float8[]` takes float8 elements only): array_recv refuses another ("wrong element type").
 */
const FLOAT8_OID = 701;
const TEXT_OID = 25;

function header(out: Buffer, elementOid: number, length: number): number {
  out.writeInt32BE(length === 0 ? 0 : 1, 0);
  out.writeInt32BE(0, 4); // no nulls: these arrays never hold one (see each encoder)
  out.writeInt32BE(elementOid, 8);
  if (length === 0) return 12;
  out.writeInt32BE(length, 12);
  out.writeInt32BE(1, 16);
  return 20;
}

/**
 * A float8[] of the numbers, or null when one is not a number (the caller then sends them as `pg` would, and the
 * server's refusal names the problem). -0 is sent as 0, as its text (`String(-0)` is "0") would store it.
 */
export function binaryFloat8Array(values: readonly number[]): Buffer | null {
  const n = values.length;
  const out = Buffer.allocUnsafe((n === 0 ? 12 : 20) + 12 * n);
  let at = header(out, FLOAT8_OID, n);
  for (let i = 0; i < n; i += 1) {
    const v = values[i];
    if (typeof v !== 'number') return null;
    out.writeInt32BE(8, at);
    out.writeDoubleBE(v === 0 ? 0 : v, at + 4);
    at += 12;
  }
  return out;
}

/**
 * A text[] of the strings (UTF-8, the only encoding dxoc's databases use), or null when one is not a string or
 * holds a NUL, which no PostgreSQL text can (the caller then leaves them to `pg`, and the server refuses them).
 * A batch repeats few distinct codes: each one is encoded once, and its bytes are copied by a loop here rather than
 * by Buffer.write or copy, whose call into C++ costs more than the few bytes of a code (bench:array-params).
 */
export function binaryTextArray(values: readonly string[]): Buffer | null {
  const n = values.length;
  const encoded = new Map<string, Uint8Array>();
  const parts = new Array<Uint8Array>(n);
  let size = (n === 0 ? 12 : 20) + 4 * n;
  for (let i = 0; i < n; i += 1) {
    const v = values[i];
    if (typeof v !== 'string') return null;
    let bytes = encoded.get(v);
    if (bytes === undefined) {
      if (v.includes('\u0000')) return null;
      bytes = Buffer.from(v, 'utf8');
      encoded.set(v, bytes);
    }
    parts[i] = bytes;
    size += bytes.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = header(out, TEXT_OID, n);
  for (let i = 0; i < n; i += 1) {
    const bytes = parts[i] as Uint8Array;
    const length = bytes.length;
    out.writeInt32BE(length, at);
    at += 4;
    for (let k = 0; k < length; k += 1) out[at + k] = bytes[k] as number;
    at += length;
  }
  return out;
}

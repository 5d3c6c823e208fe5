import { describe, expect, it } from 'vitest';
import { ISO_WITH_OFFSET_PATTERN, IngestBatchSchema, parseIsoBytes, parseIsoWithOffset, toIngestErrorDetails } from './ingest';

describe('parseIsoWithOffset', () => {
  it.each([
    ['2026-01-31T17:00:00+07:00', Date.UTC(2026, 0, 31, 10)],
    ['2026-01-31T10:00:00Z', Date.UTC(2026, 0, 31, 10)],
    ['2026-01-31T10:00Z', Date.UTC(2026, 0, 31, 10)],
    ['2026-01-31T17:00:00.250+0700', Date.UTC(2026, 0, 31, 10, 0, 0, 250)],
    ['2024-02-29T00:00:00-05:00', Date.UTC(2024, 1, 29, 5)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoWithOffset(text)).toBe(expected);
  });

  it.each([
    ['no offset', '2026-01-31T17:00:00'],
    ['date only', '2026-01-31'],
    ['30 February', '2025-02-30T00:00:00Z'],
    ['29 February of a common year', '2025-02-29T00:00:00Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['hour 24', '2025-01-01T24:00:00Z'],
    ['offset +15:00', '2025-01-01T00:00:00+15:00'],
    ['words', 'yesterday'],
  ])('refuses %s', (_name, text) => {
    expect(parseIsoWithOffset(text)).toBeNull();
  });
});

/** parseIsoWithOffset as it was written first, on ISO_WITH_OFFSET_PATTERN: the reference of the character reader. */
function byPattern(text: string): number | null {
  const m = ISO_WITH_OFFSET_PATTERN.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => +(m[i] as string)) as [number, number, number, number, number];
  const second = m[6] ? +m[6] : 0;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const [h, mm] = [+(m[10] as string), +(m[11] as string)];
    if (h > 14 || mm > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + (m[7] ? Math.floor(+m[7] * 1000) : 0) - offsetMinutes * 60_000;
  return epochMs < 253402300800000 ? epochMs : null;
}

describe('parseIsoWithOffset reads what the pattern reads', () => {
  it('agrees with the pattern on 200,000 valid, mangled and random texts', () => {
    // a fixed-seed generator (mulberry32): the same texts on every run, so a failure can be reproduced
    let seed = 0x1d2c3b4a;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const two = (max: number) => String(Math.floor(random() * max)).padStart(2, '0');
    const valid = () => {
      const year = String(pick([0, 99, 100, 1900, 1970, 2000, 2024, 2025, 2026, 9999])).padStart(4, '0');
      const seconds =
        random() < 0.8 ? `:${two(61)}${random() < 0.5 ? `.${'1234567890'.slice(0, 1 + Math.floor(random() * 10))}` : ''}` : '';
      const offset = pick(['Z', `+${two(16)}:${two(61)}`, `-${two(16)}${two(61)}`, '+07:00', '-14:00', '+1400']);
      return `${year}-${two(14)}-${two(33)}T${two(25)}:${two(61)}${seconds}${offset}`;
    };
    const alphabet = '0123456789-+:.TZtz ';
    const mangle = (text: string) => {
      const at = Math.floor(random() * (text.length + 1));
      const kind = random();
      if (kind < 0.4) return text.slice(0, at) + pick([...alphabet]) + text.slice(at + 1);
      if (kind < 0.7) return text.slice(0, at) + text.slice(at + 1);
      return text.slice(0, at) + pick([...alphabet]) + text.slice(at);
    };
    let read = 0;
    for (let i = 0; i < 200_000; i += 1) {
      const base = valid();
      const text = i % 3 === 0 ? base : i % 3 === 1 ? mangle(base) : mangle(mangle(base));
      const expected = byPattern(text);
      if (parseIsoWithOffset(text) !== expected) expect({ text, got: parseIsoWithOffset(text) }).toEqual({ text, got: expected });
      // the same text inside a body, with what could complete it on either side: nothing past its end is read
      const before = pick(['', '9', ':00']);
      const inBody = Buffer.from(`${before}${text}${pick(['', 'Z', '0Z', ':00Z', '.5Z', '00+07:00', '+0700'])}`, 'latin1');
      const got = parseIsoBytes(inBody, before.length, before.length + text.length);
      if (got !== expected) expect({ text, inBody: got }).toEqual({ text, inBody: expected });
      if (expected !== null) read += 1;
    }
    expect(read).toBeGreaterThan(20_000);
  });
});

describe('IngestBatchSchema', () => {
  const point = { metric: 'dvc.services_online', unit: '79', ts: '2026-01-31T17:00:00+07:00', value: 3552 };

  it('accepts a well-formed batch', () => {
    expect(IngestBatchSchema.safeParse({ batchId: 'hcm:2026-01-31.1', points: [point] }).success).toBe(true);
  });

  it('lists every invalid point with its index, field and the offending value quoted', () => {
    const result = IngestBatchSchema.safeParse({
      batchId: 'ok',
      points: [point, { ...point, value: '3552' }, { ...point, ts: '31/01/2026' }, { ...point, valeu: 1 }],
    });
    expect(result.success).toBe(false);
    const details = toIngestErrorDetails(result.error?.issues ?? []);
    expect(details).toEqual([
      { index: 1, field: 'value', message: '"value" must be a JSON number, got a string "3552"' },
      { index: 2, field: 'ts', message: expect.stringContaining('"31/01/2026"') },
      { index: 3, field: 'point', message: expect.stringContaining('"valeu"') },
    ]);
  });

  it('names the limit when there are too many points', () => {
    const result = IngestBatchSchema.safeParse({ batchId: 'big', points: Array.from({ length: 5001 }, () => point) });
    expect(toIngestErrorDetails(result.error?.issues ?? [])[0]?.message).toContain('at most 5000');
  });
});

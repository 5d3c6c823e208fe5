import { describe, expect, it } from 'vitest';
import { IngestBatchSchema, parseIsoWithOffset, toIngestErrorDetails } from './ingest';

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

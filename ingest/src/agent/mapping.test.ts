import { describe, expect, it } from 'vitest';
import { parseJsonPath, selectAll, selectOne } from './jsonpath';
import { LocalDateTime, compileMappings, mapRecord, toCode, toTimestamp, toValue, truncateNow, type Cell, type Mapping } from './mapping';
import { parseCsv } from './tabular';

const VN = 420;
const NOW = Date.parse('2026-11-22T10:00:00Z');

describe('toValue', () => {
  it.each<[Cell, '.' | ',', number]>([
    [3552, '.', 3552],
    ['3552', '.', 3552],
    [' 3,552 ', '.', 3552],
    ['1,234,567.5', '.', 1234567.5],
    ['10.7', '.', 10.7],
    ['10,7', ',', 10.7],
    ['3.552', ',', 3552],
    ['1.234.567,25', ',', 1234567.25],
    ['97,3 %', ',', 97.3],
    ['-12', '.', -12],
  ])('reads %j with decimal %s', (cell, decimal, expected) => {
    expect(toValue(cell, decimal)).toEqual({ ok: true, value: expected });
  });

  it('reads a bigint (PostgreSQL count(*))', () => {
    expect(toValue(12n, '.')).toEqual({ ok: true, value: 12 });
  });

  it.each<[Cell, '.' | ',', string]>([
    ['', '.', 'value is empty'],
    [null, '.', 'value is empty'],
    ['10,7', '.', 'value "10,7" is not a number; if "," is the decimal separator here, set decimal: ","'],
    ['12,34,5', '.', 'is not a number'],
    ['n/a', ',', 'value "n/a" is not a number'],
    [true, '.', 'must be a number, got the boolean true'],
    [Number.POSITIVE_INFINITY, '.', 'finite'],
  ])('refuses %j with decimal %s', (cell, decimal, message) => {
    const result = toValue(cell, decimal);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});

describe('toTimestamp', () => {
  it.each<[Cell, string | undefined, string]>([
    ['2026-01-31T17:00:00+07:00', undefined, '2026-01-31T17:00:00+07:00'],
    ['2026-01-31T10:00:00Z', undefined, '2026-01-31T10:00:00Z'],
    ['2026-01-31 17:00', undefined, '2026-01-31T17:00:00+07:00'],
    ['2026-01-31', undefined, '2026-01-31T00:00:00+07:00'],
    ['31/01/2026', 'dd/MM/yyyy', '2026-01-31T00:00:00+07:00'],
    ['31/1/2026 8:05', 'dd/MM/yyyy HH:mm', '2026-01-31T08:05:00+07:00'],
    [1769853600, 'epoch-seconds', '2026-01-31T17:00:00+07:00'],
    ['1769853600000', 'epoch-millis', '2026-01-31T17:00:00+07:00'],
    [new LocalDateTime(2026, 1, 31, 17), undefined, '2026-01-31T17:00:00+07:00'],
    [new Date('2026-01-31T10:00:00Z'), undefined, '2026-01-31T17:00:00+07:00'],
  ])('reads %j (format %s) in UTC+07:00', (cell, format, expected) => {
    expect(toTimestamp(cell, format, 'ts', VN)).toEqual({ ok: true, value: expected });
  });

  it.each<[Cell, string | undefined, string]>([
    ['', undefined, 'ts is empty'],
    ['31/02/2026', 'dd/MM/yyyy', 'is not a real date and time'],
    ['2026-02-30', undefined, 'is not a real date and time'],
    ['31-01-2026', 'dd/MM/yyyy', 'does not match the format "dd/MM/yyyy"'],
    ['yesterday', undefined, 'is not a date and time'],
    [45678, undefined, 'for Unix time set format: epoch-seconds'],
  ])('refuses %j (format %s)', (cell, format, message) => {
    const result = toTimestamp(cell, format, 'ts', VN);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('cuts the reading time to the local minute, hour or day', () => {
    const t = Date.parse('2026-11-22T18:34:56.789Z'); // 01:34:56 on 23 Nov in Viet Nam
    expect(new Date(truncateNow(t, 'minute', VN)).toISOString()).toBe('2026-11-22T18:34:00.000Z');
    expect(new Date(truncateNow(t, 'hour', VN)).toISOString()).toBe('2026-11-22T18:00:00.000Z');
    expect(new Date(truncateNow(t, 'day', VN)).toISOString()).toBe('2026-11-22T17:00:00.000Z');
  });
});

describe('toCode', () => {
  it('puts back the leading zero a spreadsheet took from a province code, and upper-cases units', () => {
    expect(toCode(1, 'unit', true)).toEqual({ ok: true, value: '01' });
    expect(toCode(79, 'unit', true)).toEqual({ ok: true, value: '79' });
    // a CSV cell is text: "1" from a spreadsheet export gets its zero back too
    expect(toCode('1', 'unit', true)).toEqual({ ok: true, value: '01' });
    expect(toCode(' 8 ', 'unit', true)).toEqual({ ok: true, value: '08' });
    expect(toCode('01', 'unit', true)).toEqual({ ok: true, value: '01' });
    expect(toCode('1', 'metric', false)).toEqual({ ok: true, value: '1' });
    expect(toCode(' bca ', 'unit', true)).toEqual({ ok: true, value: 'BCA' });
    expect(toCode(' dvc.services_online ', 'metric', false)).toEqual({ ok: true, value: 'dvc.services_online' });
    expect(toCode(5, 'metric', false).ok).toBe(false);
  });
});

describe('mapRecord', () => {
  const mapping: Mapping = {
    metric: { const: 'dvc.services_online' },
    unit: { column: 'ma_tinh' },
    ts: { column: 'ngay', format: 'dd/MM/yyyy' },
    value: { column: 'so_dich_vu', decimal: ',' },
  };
  const row = (cells: Record<string, Cell>) => ({ kind: 'row' as const, cells: new Map(Object.entries(cells)) });

  it('maps a row to a point the wire contract accepts', () => {
    const result = mapRecord(row({ ma_tinh: '79', ngay: '01/11/2026', so_dich_vu: '1.850' }), compileMappings([mapping]), {
      offsetMinutes: VN,
      now: NOW,
    });
    expect(result).toEqual({
      points: [{ metric: 'dvc.services_online', unit: '79', ts: '2026-11-01T00:00:00+07:00', value: 1850 }],
      problems: [],
    });
  });

  it('refuses the whole row and names every field at fault', () => {
    const result = mapRecord(row({ ma_tinh: '', ngay: '31/11/2026', so_dich_vu: 'nhiều' }), compileMappings([mapping]), {
      offsetMinutes: VN,
      now: NOW,
    });
    expect(result.points).toEqual([]);
    expect(result.problems).toEqual([
      'unit (column "ma_tinh") is empty',
      'ts (column "ngay") "31/11/2026" is not a real date and time',
      'value (column "so_dich_vu") "nhiều" is not a number',
    ]);
  });

  it('refuses a time in the future and a code the contract refuses', () => {
    const future = mapRecord(row({ ma_tinh: '79', ngay: '01/12/2026', so_dich_vu: '1' }), compileMappings([mapping]), {
      offsetMinutes: VN,
      now: NOW,
    });
    expect(future.problems[0]).toContain('is in the future');
    const longUnit = mapRecord(row({ ma_tinh: 'X'.repeat(20), ngay: '01/11/2026', so_dich_vu: '1' }), compileMappings([mapping]), {
      offsetMinutes: VN,
      now: NOW,
    });
    expect(longUnit.problems[0]).toContain('"unit" is longer than 16 characters');
  });

  it('reads wide rows (one point per mapping) and JSON items by path', () => {
    const wide = mapRecord(
      row({ unit: '01', day: '2026-11-01', online: 1900, level4: '28.5' }),
      compileMappings([
        { metric: { const: 'dvc.services_online' }, unit: { column: 'unit' }, ts: { column: 'day' }, value: { column: 'online' } },
        { metric: { const: 'dvc.level4_share' }, unit: { column: 'unit' }, ts: { column: 'day' }, value: { column: 'level4' } },
      ]),
      { offsetMinutes: VN, now: NOW },
    );
    expect(wide.points.map((p) => [p.metric, p.value])).toEqual([
      ['dvc.services_online', 1900],
      ['dvc.level4_share', 28.5],
    ]);
    const item = mapRecord(
      { kind: 'item', item: { code: '48', stats: { 'so ho so': 17 } } },
      compileMappings([
        {
          metric: { const: 'onestop.applications_received' },
          unit: { path: '$.code' },
          ts: { now: 'day' },
          value: { path: "$.stats['so ho so']" },
        },
      ]),
      { offsetMinutes: VN, now: NOW },
    );
    expect(item.points).toEqual([{ metric: 'onestop.applications_received', unit: '48', ts: '2026-11-22T00:00:00+07:00', value: 17 }]);
  });
});

describe('json paths', () => {
  const doc = {
    data: {
      provinces: [
        { code: '01', n: 1 },
        { code: '79', n: 2 },
      ],
    },
    tên: { a: 1, b: 2 },
  };
  it('select fields, indexes and wildcards', () => {
    expect(selectAll(parseJsonPath('$.data.provinces[*]'), doc)).toHaveLength(2);
    expect(selectOne(parseJsonPath('$.data.provinces[1].code'), doc)).toBe('79');
    expect(selectAll(parseJsonPath("$['tên'].*"), doc)).toEqual([1, 2]);
    expect(selectOne(parseJsonPath('$.missing.deeper'), doc)).toBeUndefined();
  });
  it('explain what is wrong with a path', () => {
    expect(() => parseJsonPath('data.items')).toThrow('starts with "$"');
    expect(() => parseJsonPath('$.items[?(@.x)]')).toThrow("use [0], [*] or ['field name']");
    expect(() => parseJsonPath('$.items[0')).toThrow('never closed');
  });
});

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF, and numbers records by their first line', () => {
    const text = 'a;b;c\r\n1;"x;y";"say ""hi"""\r\n2;"two\nlines";3\r\n\r\n4;;\n';
    expect(parseCsv(text, ';')).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['1', 'x;y', 'say "hi"'] },
      { row: 3, cells: ['2', 'two\nlines', '3'] },
      { row: 5, cells: [''] },
      { row: 6, cells: ['4', '', ''] },
    ]);
  });
  it('refuses a quote that is never closed', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow('a quoted field that starts on line 2 is never closed');
  });
});

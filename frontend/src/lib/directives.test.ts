import { describe, expect, it } from 'vitest';
import { daysPastDue, directiveTitle, foldText, sortOverdue, unitOptions, type PickableUnit } from './directives';

const UNITS: PickableUnit[] = [
  { code: '01', nameVi: 'Hà Nội', nameEn: 'Ha Noi', kind: 'province', validUntil: null },
  { code: '79', nameVi: 'Thành phố Hồ Chí Minh', nameEn: 'Ho Chi Minh City', kind: 'province', validUntil: null },
  { code: '74', nameVi: 'Bình Dương', nameEn: 'Binh Duong', kind: 'province', validUntil: '2025-07-01' },
  { code: 'BXD', nameVi: 'Bộ Xây dựng', nameEn: 'Ministry of Construction', kind: 'ministry', validUntil: null },
];

describe('unit picker options', () => {
  it('match without diacritics, by name or code, units in force only, provinces first', () => {
    expect(foldText('Đà Nẵng')).toBe('da nang');
    expect(unitOptions(UNITS, 'ha noi', 'vi').map((o) => o.code)).toEqual(['01']);
    expect(unitOptions(UNITS, 'bo xay', 'vi').map((o) => o.label)).toEqual(['Bộ Xây dựng (BXD)']);
    expect(unitOptions(UNITS, '', 'vi').map((o) => o.code)).toEqual(['01', '79', 'BXD']);
    expect(unitOptions(UNITS, 'binh duong', 'vi')).toEqual([]);
  });
  it("an operator's list holds its own unit only; chosen units are left out", () => {
    expect(unitOptions(UNITS, '', 'en', { onlyUnit: '79' }).map((o) => o.label)).toEqual(['Ho Chi Minh City (79)']);
    expect(unitOptions(UNITS, '', 'vi', { exclude: ['01', 'BXD'] }).map((o) => o.code)).toEqual(['79']);
  });
});

describe('overdue directives per unit', () => {
  const oldest = (dueDate: string, id = 1) => ({ directiveId: id, titleVi: 'Giải trình', titleEn: null, dueDate });
  it('most overdue first, then the oldest due date, then the code; narrowed to the panel units', () => {
    const rows = [
      { unit: '79', overdue: 1, oldest: oldest('2026-11-01') },
      { unit: '01', overdue: 2, oldest: oldest('2026-12-01') },
      { unit: 'BXD', overdue: 1, oldest: oldest('2026-10-01') },
    ];
    expect(sortOverdue(rows).map((r) => r.unit)).toEqual(['01', 'BXD', '79']);
    expect(sortOverdue(rows, ['79', 'BXD']).map((r) => r.unit)).toEqual(['BXD', '79']);
  });
  it('counts whole days past the due date, and titles fall back to Vietnamese', () => {
    expect(daysPastDue('2026-12-01', '2026-12-06')).toBe(5);
    expect(daysPastDue('2026-12-06', '2026-12-06')).toBe(0);
    expect(daysPastDue('2026-02-27', '2026-03-01')).toBe(2);
    expect(directiveTitle({ titleVi: 'Giải trình', titleEn: null }, 'en')).toBe('Giải trình');
    expect(directiveTitle({ titleVi: 'Giải trình', titleEn: 'Explain' }, 'en')).toBe('Explain');
  });
});

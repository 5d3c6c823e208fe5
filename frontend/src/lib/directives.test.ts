import { describe, expect, it } from 'vitest';
import {
  addDays,
  askToExplainPath,
  attachmentErrorText,
  attachmentType,
  daysPastDue,
  directivesQuery,
  directiveTitle,
  draftFromSearch,
  draftToInput,
  eventLabel,
  fileSize,
  foldText,
  historyText,
  localToday,
  NO_FILTERS,
  outcomeLabel,
  sortOverdue,
  stateLabel,
  unitOptions,
  type PickableUnit,
} from './directives';

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

describe('the console page helpers', () => {
  it('words states, outcomes and history steps in both languages, unknown ones as sent', () => {
    expect(stateLabel('open', 'vi')).toBe('Chờ giải trình');
    expect(stateLabel('returned', 'en')).toBe('Sent back');
    expect(stateLabel('later', 'vi')).toBe('later');
    expect(outcomeLabel('accepted_with_conditions', 'vi')).toBe('Chấp nhận có điều kiện');
    expect(outcomeLabel('escalated', 'en')).toBe('Escalated');
    expect(eventLabel('attachment', 'vi')).toBe('Đính kèm tệp');
    expect(historyText('closed', 'accepted_with_conditions: Theo dõi: thêm một quý', 'vi')).toBe(
      'Chấp nhận có điều kiện: Theo dõi: thêm một quý',
    );
    expect(historyText('closed', 'escalated', 'en')).toBe('Escalated');
    expect(historyText('answered', 'resolved: text', 'vi')).toBe('resolved: text');
    expect(historyText('issued', null, 'vi')).toBe('');
  });

  it("today on Viet Nam's calendar, and calendar arithmetic across a year end", () => {
    // 2026-12-31 18:00 UTC is already 1 January in Viet Nam
    expect(localToday(Date.UTC(2026, 11, 31, 18), 'Asia/Ho_Chi_Minh')).toBe('2027-01-01');
    expect(localToday(Date.UTC(2026, 11, 31, 16, 59), 'Asia/Ho_Chi_Minh')).toBe('2026-12-31');
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('filters become the list query: empty ones left out, overdue only when asked, the next page by id', () => {
    expect(directivesQuery(NO_FILTERS)).toEqual({ limit: 50 });
    expect(
      directivesQuery({ unit: '79', state: 'answered', dueAfter: '2026-12-01', dueBefore: '2026-12-31', overdue: true }, 41, 20),
    ).toEqual({ limit: 20, unit: '79', state: 'answered', dueAfter: '2026-12-01', dueBefore: '2026-12-31', overdue: 'true', before: 41 });
    // a half-typed date is not sent (the API would refuse it)
    expect(directivesQuery({ ...NO_FILTERS, dueBefore: '2026-12' })).toEqual({ limit: 50 });
  });

  it('"ask to explain" from an alert opens the issue form prefilled: unit, link, title, due in 7 days', () => {
    const path = askToExplainPath({ kind: 'alert', alertId: 12, unit: '79', metric: 'einvoice.issued', title: 'Hóa đơn & “tăng”' });
    expect(path.startsWith('/console/directives/new?')).toBe(true);
    const draft = draftFromSearch(path.slice(path.indexOf('?')), '2026-12-06');
    expect(draft).toMatchObject({
      titleVi: 'Giải trình: Hóa đơn & “tăng”',
      titleEn: '',
      units: ['79'],
      dueDate: '2026-12-13',
      source: { kind: 'alert', alertId: 12, metric: 'einvoice.issued' },
    });
    expect(draft.textVi).toMatch(/^Đề nghị đơn vị giải trình/);
    expect(draftToInput(draft)).toEqual({
      titleVi: 'Giải trình: Hóa đơn & “tăng”',
      textVi: draft.textVi,
      textEn: draft.textEn,
      units: ['79'],
      dueDate: '2026-12-13',
      source: { kind: 'alert', alertId: 12 },
    });
  });

  it('from a target at risk and from a late reporter; malformed parts are left out', () => {
    const target = askToExplainPath({ kind: 'target', targetId: 3, unit: '01', metric: 'dvc.online_rate', title: 'DVC', titleEn: 'OPS' });
    expect(draftFromSearch(target.split('?')[1]!, '2026-12-06')).toMatchObject({
      titleEn: 'Explain: OPS',
      source: { kind: 'target', targetId: 3, metric: 'dvc.online_rate' },
    });
    const late = askToExplainPath({ kind: 'late_report', unit: 'BXD', metric: 'einvoice.issued', title: 'Chậm báo cáo' });
    expect(draftFromSearch(late.split('?')[1]!, '2026-12-06').source).toEqual({ kind: 'late_report', metric: 'einvoice.issued' });
    const lateNoMetric = askToExplainPath({ kind: 'late_report', unit: 'BXD', metric: null, title: 'x' });
    expect(draftFromSearch(lateNoMetric.split('?')[1]!, '2026-12-06').source).toEqual({ kind: 'none' });
    expect(draftFromSearch('?from=alert&alertId=-1&unit=<b>', '2026-12-06')).toMatchObject({ units: [], source: { kind: 'none' } });
    // a blank form when opened on its own
    expect(draftFromSearch('', '2026-12-06')).toMatchObject({ titleVi: '', textVi: '', units: [], source: { kind: 'none' } });
    expect(draftFromSearch(`?title=${'x'.repeat(400)}`, '2026-12-06').titleVi).toHaveLength(300);
  });

  it('attachments: the type by name when the browser gives none; 413 and 415 in words', () => {
    expect(attachmentType('giai-trinh.PDF', '')).toBe('application/pdf');
    expect(attachmentType('a.jpg', 'application/octet-stream')).toBe('image/jpeg');
    expect(attachmentType('a.docx', '')).toBeNull();
    expect(attachmentErrorText(413, 'the file is larger than the limit of 5242880 bytes. Nothing was stored.', 'vi')).toBe(
      'Tệp quá lớn (tối đa 5 MB)',
    );
    expect(attachmentErrorText(413, 'too large', 'en')).toBe('The file is too large');
    expect(attachmentErrorText(415, 'x', 'vi')).toMatch(/^Tệp không phải PDF, PNG hoặc JPEG/);
    expect(attachmentErrorText(500, 'boom', 'en')).toBe('boom');
    expect(fileSize(1536, 'vi')).toBe('1,5 KB');
  });
});

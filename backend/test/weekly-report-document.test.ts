import { rankWithChange, weekChange, type WeeklyReportFigures } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { formatDay, formatNumber, reportDocument, reportTitle } from '../src/weekly-report/report-document';

const FIGURES: WeeklyReportFigures = {
  weekStart: '2026-11-23',
  weekEnd: '2026-11-29',
  from: '2026-11-22T17:00:00.000Z',
  to: '2026-11-29T17:00:00.000Z',
  timeZone: 'Asia/Ho_Chi_Minh',
  headline: [
    {
      metric: 'dvc.level4_share',
      nameVi: 'Tỷ lệ DVC mức độ 4',
      nameEn: 'Level-4 share',
      unitOfMeasure: '%',
      basis: 'last',
      change: weekChange(38.25, 40),
    },
    {
      metric: 'einvoice.issued',
      nameVi: 'Hóa đơn điện tử',
      nameEn: 'E-invoices',
      unitOfMeasure: 'hóa đơn/invoices',
      basis: 'sum',
      change: weekChange(1_500_000, null),
    },
    {
      metric: 'population.records',
      nameVi: 'Công dân có dữ liệu',
      nameEn: 'Citizens with records',
      unitOfMeasure: 'bản ghi/records',
      basis: 'last',
      change: weekChange(105_704_722, 105_684_599),
    },
    { metric: 'x', nameVi: 'Không có', nameEn: 'None', unitOfMeasure: 'x', basis: 'last', change: weekChange(null, 3) },
  ],
  targets: [],
  rankings: [
    {
      metric: 'dvc.level4_share',
      metricNameVi: 'Tỷ lệ DVC mức độ 4',
      metricNameEn: 'Level-4 share',
      unitKind: 'province',
      higherIsBetter: true,
      rows: rankWithChange(
        [
          { unit: '01', value: 90 },
          { unit: '79', value: 90 },
          { unit: '48', value: 10 },
        ],
        [
          { unit: '01', value: 80 },
          { unit: '48', value: 99 },
        ],
      ).map((row) => ({ ...row, nameVi: row.unit, nameEn: row.unit, previousValue: null })),
    },
  ],
  lateReporters: [],
  alerts: { fired: 0, acknowledged: 0, resolved: 0, openAtEnd: 0, open: [] },
  directives: { issued: 0, assignmentsIssued: 0, answered: 0, closed: 0, overdueAtEnd: 0, overdue: [] },
};

const paragraphs = (lang: 'vi' | 'en') =>
  reportDocument(FIGURES, lang, new Date('2026-11-30T00:00:00Z')).blocks.flatMap((b) => (b.kind === 'chart' ? [] : [b.text]));

describe('weekly report words', () => {
  it('formats numbers and days per language', () => {
    expect(formatNumber(1234567.891, 'vi')).toBe('1.234.567,89');
    expect(formatNumber(1234567.891, 'en')).toBe('1,234,567.89');
    expect(formatDay('2026-11-23', 'vi')).toBe('23/11/2026');
    expect(formatDay('2026-11-23', 'en')).toBe('23 Nov 2026');
    expect(reportTitle('2026-12-28', 'vi')).toBe('Báo cáo tuần 28/12/2026 – 03/01/2027');
  });

  it('says a fall with a minus sign, a missing last week and a missing figure', () => {
    const vi = paragraphs('vi');
    expect(vi).toContain('Tỷ lệ DVC mức độ 4 (cuối tuần): 38,25 % (tuần trước: 40; −1,8 điểm %, −4,4 %)');
    expect(vi).toContain('Hóa đơn điện tử (tổng trong tuần): 1.500.000 hóa đơn (tuần trước: chưa có số liệu)');
    expect(vi).toContain('Không có (cuối tuần): chưa có số liệu');
    expect(paragraphs('en')).toContain('E-invoices (week total): 1,500,000 invoices (last week: no data)');
  });

  it('gives a small change two significant digits instead of a "+0 %" that says nothing moved', () => {
    expect(paragraphs('vi')).toContain('Công dân có dữ liệu (cuối tuần): 105.704.722 bản ghi (tuần trước: 105.684.599; +20.123, +0,019 %)');
    expect(paragraphs('en')).toContain(
      'Citizens with records (end of week): 105,704,722 records (last week: 105,684,599; +20,123, +0.019 %)',
    );
  });

  it('ranks ties alike and says places gained, lost and new', () => {
    const vi = paragraphs('vi');
    expect(vi).toContain('1. 01: 90 (tăng 1 bậc)');
    expect(vi).toContain('1. 79: 90 (mới)');
    expect(vi).toContain('3. 48: 10 (giảm 2 bậc)');
    expect(vi).toContain('Chưa có mục tiêu nào.');
    expect(vi).toContain('Không có đơn vị nào báo cáo chậm.');
  });
});

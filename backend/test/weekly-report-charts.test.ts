import { describe, expect, it } from 'vitest';
import { rankWithChange } from '@dxoc/contracts';
import { rankingChartOption } from '../src/weekly-report/report-charts';

describe('weekly report chart options', () => {
  it('draws the top units best first, with last week beside this week', () => {
    const ranked = rankWithChange(
      [
        { unit: 'HCM', value: 95 },
        { unit: 'HN', value: 90 },
        { unit: 'NEW', value: 10 },
      ],
      [
        { unit: 'HCM', value: 80 },
        { unit: 'HN', value: 99 },
      ],
    );
    const previous = new Map([
      ['HCM', 80],
      ['HN', 99],
    ]);
    const names: Record<string, string> = { HCM: 'Hồ Chí Minh', HN: 'Hà Nội', NEW: 'Mới' };
    const option = rankingChartOption('Xếp hạng', ranked, previous, (code) => names[code] ?? code, 'vi', 'DejaVu Sans');
    expect(option.animation).toBe(false);
    expect((option.yAxis as { data: string[] }).data).toEqual(['Hồ Chí Minh', 'Hà Nội', 'Mới']);
    const series = option.series as Array<{ name: string; data: Array<number | null> }>;
    expect(series.map((s) => s.name)).toEqual(['Tuần này', 'Tuần trước']);
    expect(series[0]?.data).toEqual([95, 90, 10]);
    expect(series[1]?.data).toEqual([80, 99, null]);
  });
});

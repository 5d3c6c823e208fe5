/**
 * ECharts options of the weekly report's charts, pure (no echarts import, no I/O): the PDF renderer hands them to
 * echarts' server-side SVG renderer. Animation is off and the font is named so the SVG carries the bundled font.
 */
import type { RankedUnit, ReportLang } from '@dxoc/contracts';

export type ChartOption = Record<string, unknown>;

const LABELS = {
  vi: { thisWeek: 'Tuần này', lastWeek: 'Tuần trước' },
  en: { thisWeek: 'This week', lastWeek: 'Last week' },
} as const;

/** Grouped bars: each ranked unit's value this week (a unit new to the ranking has no bar last week). */
export function rankingChartOption(
  title: string,
  ranked: readonly RankedUnit[],
  previous: ReadonlyMap<string, number>,
  unitName: (code: string) => string,
  lang: ReportLang,
  fontFamily: string,
): ChartOption {
  const rows = ranked.slice(0, 10);
  return {
    animation: false,
    textStyle: { fontFamily },
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0, data: [LABELS[lang].thisWeek, LABELS[lang].lastWeek] },
    grid: { left: 140, right: 24, top: 40, bottom: 40 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, axisLabel: { interval: 0 }, data: rows.map((row) => unitName(row.unit)) },
    series: [
      { name: LABELS[lang].thisWeek, type: 'bar', data: rows.map((row) => row.value) },
      { name: LABELS[lang].lastWeek, type: 'bar', data: rows.map((row) => previous.get(row.unit) ?? null) },
    ],
  };
}

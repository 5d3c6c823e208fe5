import type { EChartsOption } from 'echarts';
import { formatDateTime, formatValue } from '../../lib/format';
import { COLORS, FONT_FAMILY } from '../theme';
import { px, type ChartContext } from './common';

export const MAP_NAME = 'vn-34';

/** Where the two archipelagos sit (they are drawn from features 48 and 56 of the GeoJSON). */
export const ISLANDS = {
  hoangSa: { coord: [112.0, 16.55] as [number, number], province: '48' },
  truongSa: { coord: [114.2, 9.9] as [number, number], province: '56' },
};

export interface MapInput extends ChartContext {
  values: Array<{ unit: string; value: number; ts: string }>;
  /** every province code of the map: those without a value are drawn as "no data", never as zero */
  codes: string[];
  names: Record<string, string>;
  colours: string[];
  metricKind: 'gauge' | 'counter' | 'ratio';
  decimals: number;
  labels: { noData: string; hoangSa: string; truongSa: string; asOf: string };
  /** show the colour scale (the console may hide it) */
  showScale?: boolean;
}

export function mapRange(values: Array<{ value: number }>): { min: number; max: number } {
  if (!values.length) return { min: 0, max: 1 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v.value);
    max = Math.max(max, v.value);
  }
  return min === max ? { min: min - 1, max: max + 1 } : { min, max };
}

/** Choropleth of the 34 provinces joined by GSO code; provinces without data keep the no-data colour. */
export function mapOption(input: MapInput): EChartsOption {
  const s = input.scale;
  const codes = new Set(input.codes);
  const shown = input.values.filter((v) => codes.has(v.unit));
  const byCode = new Map(shown.map((v) => [v.unit, v]));
  const range = mapRange(shown);
  const format = (value: number) => formatValue(value, { kind: input.metricKind }, input.lang, input.decimals);
  const island = (name: string, coord: [number, number], position: 'right' | 'top') => ({
    name,
    coord,
    symbol: 'circle',
    symbolSize: px(5, s),
    itemStyle: { color: COLORS.gold },
    label: {
      show: true,
      formatter: name,
      position,
      color: COLORS.gold,
      fontSize: px(13, s),
      fontWeight: 'bold' as const,
      distance: px(4, s),
    },
  });
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY, color: COLORS.text },
    tooltip: {
      trigger: 'item',
      backgroundColor: COLORS.panel,
      borderColor: COLORS.panelBorder,
      textStyle: { color: COLORS.text, fontSize: px(15, s) },
      formatter: (params: unknown) => {
        const code = String((params as { name?: string }).name ?? '');
        const name = input.names[code] ?? code;
        const value = byCode.get(code);
        if (!value) return `<b>${name}</b><br/>${input.labels.noData}`;
        return `<b>${name}</b><br/>${format(value.value)}<br/><span style="opacity:.7">${input.labels.asOf} ${formatDateTime(value.ts, input.lang)}</span>`;
      },
    },
    visualMap: {
      type: 'continuous',
      show: input.showScale !== false,
      min: range.min,
      max: range.max,
      left: px(8, s),
      bottom: px(8, s),
      itemWidth: px(14, s),
      itemHeight: px(120, s),
      calculable: false,
      inRange: { color: input.colours },
      text: [format(range.max), format(range.min)],
      textStyle: { color: COLORS.text, fontSize: px(14, s) },
      seriesIndex: 0,
    },
    series: [
      {
        type: 'map',
        map: MAP_NAME,
        nameProperty: 'code',
        roam: false,
        selectedMode: false,
        layoutCenter: ['50%', '50%'],
        layoutSize: '100%',
        aspectScale: 0.95,
        itemStyle: { areaColor: COLORS.noData, borderColor: '#8aa0bd', borderWidth: px(0.6, s) },
        emphasis: { label: { show: false }, itemStyle: { areaColor: COLORS.gold } },
        label: { show: false },
        data: input.codes.filter((code) => byCode.has(code)).map((code) => ({ name: code, value: byCode.get(code)!.value })),
        markPoint: {
          silent: true,
          animation: false,
          data: [
            island(input.labels.hoangSa, ISLANDS.hoangSa.coord, 'right'),
            island(input.labels.truongSa, ISLANDS.truongSa.coord, 'top'),
          ],
        },
      },
    ],
  } as EChartsOption;
}

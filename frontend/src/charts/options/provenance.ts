import type { EChartsOption, SeriesOption } from 'echarts';
import { formatDateTime, formatValue } from '../../lib/format';
import type { Pt } from '../../lib/series-buffer';
import { COLORS } from '../theme';
import { px, WALL_MIN_TEXT, type ChartContext } from './common';
import { timeseriesOption } from './timeseries';

export interface ProvenanceChartInput extends ChartContext {
  /** the unit's series, as reported */
  points: Pt[];
  name: string;
  metricKind: 'gauge' | 'counter' | 'ratio';
  decimals: number;
  /** the unit's target: a dashed gold line */
  target: { value: number; label: string } | null;
  /** the value whose revisions are listed: ringed on the line */
  selected: Pt | null;
  /** console: smaller type */
  compact?: boolean;
}

/**
 * The small chart of the unit view: the unit's series with its target line (the timeseries builder's axes and
 * formats), and the value being explained marked with a ring and its value (a mark point on the line).
 */
export function provenanceChartOption(input: ProvenanceChartInput): EChartsOption {
  const base = timeseriesOption({
    lang: input.lang,
    scale: input.scale,
    series: [{ name: input.name, points: input.points, color: COLORS.accent }],
    targets: input.target ? [input.target] : [],
    thresholds: [],
    metricKind: input.metricKind,
    decimals: input.decimals,
    xWindow: null,
    compact: input.compact ?? false,
  });
  if (!input.selected) return base;
  const s = input.scale;
  const at = input.selected;
  // a mark point on the line (the wall's bundle has line, bar and map charts and mark points, no scatter)
  const ring = {
    silent: true,
    symbol: 'circle',
    symbolSize: px(16, s),
    itemStyle: { color: 'transparent', borderColor: COLORS.gold, borderWidth: px(3, s) },
    label: {
      show: true,
      position: 'top' as const,
      distance: px(6, s),
      color: COLORS.gold,
      fontSize: px(input.compact ? 12 : WALL_MIN_TEXT, s),
      fontWeight: 'bold' as const,
      formatter: () => formatValue(at.v, { kind: input.metricKind }, input.lang, input.decimals),
    },
    data: [{ name: formatDateTime(at.t, input.lang), coord: [at.t, at.v], value: at.v }],
  };
  const series = (Array.isArray(base.series) ? base.series : base.series ? [base.series] : []) as SeriesOption[];
  // room above the plot for the ring's label
  const grid = { ...(base.grid as object), top: px(input.compact ? 26 : 34, s) };
  return { ...base, grid, series: series.map((line, index) => (index === 0 ? ({ ...line, markPoint: ring } as SeriesOption) : line)) };
}

import type { EChartsOption } from 'echarts';
import { formatDateTime, formatValue } from '../../lib/format';
import type { Pt } from '../../lib/series-buffer';
import { COLORS, FONT_FAMILY } from '../theme';
import { px, refLabelPositions, timeLabel, valueAxis, WALL_MIN_TEXT, type ChartContext } from './common';

export interface LineSeries {
  name: string;
  points: Pt[];
  color?: string;
}

export interface ReferenceLine {
  value: number;
  label: string;
  color?: string;
}

export interface TimeseriesInput extends ChartContext {
  series: LineSeries[];
  /** targets from the catalogue: dashed gold lines */
  targets: ReferenceLine[];
  /** panel thresholds: lines in their own colour */
  thresholds: ReferenceLine[];
  metricKind: 'gauge' | 'counter' | 'ratio';
  decimals: number;
  /** a live panel scrolls: the x axis is [now - window, now]; null fits the data */
  xWindow: { min: number; max: number } | null;
  /** intervals to shade (rule preview: when a draft rule would have fired) */
  bands?: Array<{ from: number; to: number; label?: string }>;
  /** smaller type for the console */
  compact?: boolean;
  /** the chart's height in pixels: a low chart gets fewer value labels, so that none touches the next */
  heightPx?: number;
  showLegend?: boolean;
}

function span(input: TimeseriesInput): number {
  if (input.xWindow) return input.xWindow.max - input.xWindow.min;
  let min = Infinity;
  let max = -Infinity;
  for (const s of input.series) {
    if (s.points.length) {
      min = Math.min(min, s.points[0]!.t);
      max = Math.max(max, s.points[s.points.length - 1]!.t);
    }
  }
  return Number.isFinite(min) ? max - min : 0;
}

/**
 * The x axis of a live panel: it ends now and starts where the panel's range starts, or at its oldest value when the
 * values begin later (a 90-day panel of a system that reports since 30 days shows those 30 days, not 60 empty ones).
 * Null when no value is inside the range: the chart then fits whatever it has.
 */
export function liveWindow(lines: ReadonlyArray<readonly Pt[]>, now: number, rangeMs: number): { min: number; max: number } | null {
  let oldest = Infinity;
  for (const points of lines) {
    for (const p of points) {
      if (p.t >= now - rangeMs) {
        oldest = Math.min(oldest, p.t);
        break; // points are in time order: the first one inside the range is this line's oldest there
      }
    }
  }
  return Number.isFinite(oldest) ? { min: Math.min(oldest, now), max: now } : null;
}

/**
 * How many intervals the value axis may have: 4, or fewer when the chart is too low for five labels with a label's
 * height of space between each (the x axis's labels and the margins take about three label heights).
 */
export function valueTicks(heightPx: number | undefined, fontPx: number): number {
  if (heightPx === undefined) return 4;
  return Math.max(1, Math.min(4, Math.floor((heightPx - 3 * fontPx) / (2 * fontPx))));
}

/** Live or historical lines with target and threshold lines; times shown in Viet Nam. */
export function timeseriesOption(input: TimeseriesInput): EChartsOption {
  const s = input.scale;
  const font = input.compact ? 12 : WALL_MIN_TEXT;
  const spanMs = span(input);
  const refs = [
    ...input.targets.map((line) => ({ ...line, color: line.color ?? COLORS.gold, dashed: true, kind: 'target' as const })),
    ...input.thresholds.map((line) => ({ ...line, color: line.color ?? COLORS.warning, dashed: false, kind: 'threshold' as const })),
  ];
  let dataMin = Infinity;
  let dataMax = -Infinity;
  for (const line of input.series)
    for (const p of line.points) {
      dataMin = Math.min(dataMin, p.v);
      dataMax = Math.max(dataMax, p.v);
    }
  for (const ref of refs) {
    dataMin = Math.min(dataMin, ref.value);
    dataMax = Math.max(dataMax, ref.value);
  }
  // the value axis is chosen here (bounds, interval, labels): target and threshold lines in view, no label twice
  const axis = valueAxis(dataMin, dataMax, input.lang, input.metricKind === 'ratio', valueTicks(input.heightPx, font * s));
  const labelAt = refLabelPositions(refs, axis ? axis.max - axis.min : 0);
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY, color: COLORS.text, fontSize: px(font, s) },
    grid: {
      left: px(8, s),
      right: px(input.compact ? 16 : 24, s),
      top: px(input.showLegend ? 36 : 18, s),
      bottom: px(8, s),
      containLabel: true,
    },
    ...(input.showLegend ? { legend: { top: 0, textStyle: { color: COLORS.text, fontSize: px(font, s) }, type: 'scroll' as const } } : {}),
    tooltip: {
      trigger: 'axis',
      backgroundColor: COLORS.panel,
      borderColor: COLORS.panelBorder,
      textStyle: { color: COLORS.text, fontSize: px(font, s) },
      valueFormatter: (value: unknown) => formatValue(Number(value), { kind: input.metricKind }, input.lang, input.decimals),
      axisPointer: { label: { formatter: (p: { value: unknown }) => formatDateTime(Number(p.value), input.lang) } },
    },
    xAxis: {
      type: 'time',
      ...(input.xWindow ? { min: input.xWindow.min, max: input.xWindow.max } : {}),
      axisLine: { lineStyle: { color: COLORS.grid } },
      splitLine: { show: false },
      axisLabel: {
        color: COLORS.muted,
        fontSize: px(font, s),
        hideOverlap: true,
        formatter: (value: number) => timeLabel(value, spanMs, input.lang),
      },
    },
    yAxis: {
      type: 'value',
      scale: true,
      ...(axis ? { min: axis.min, max: axis.max, interval: axis.interval } : {}),
      splitLine: { lineStyle: { color: COLORS.grid, type: 'dashed' } },
      axisLabel: { color: COLORS.muted, fontSize: px(font, s), formatter: axis ? axis.label : (value: number) => String(value) },
    },
    series: input.series.map((line, index) => ({
      type: 'line' as const,
      name: line.name,
      data: line.points.map((p) => [p.t, p.v]),
      showSymbol: line.points.length <= 40,
      symbolSize: px(6, s),
      lineStyle: { width: px(input.compact ? 2 : 3, s) },
      color: line.color ?? COLORS.series[index % COLORS.series.length],
      ...(index === 0 && input.series.length === 1 ? { areaStyle: { opacity: 0.12 } } : {}),
      ...(index === 0 && refs.length
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              data: refs.map((ref, refIndex) => ({
                yAxis: ref.value,
                lineStyle: { color: ref.color, type: ref.dashed ? ('dashed' as const) : ('solid' as const), width: px(2, s) },
                label: { formatter: ref.label, color: ref.color, fontSize: px(font, s), position: labelAt[refIndex] },
              })),
            },
          }
        : {}),
      ...(index === 0 && input.bands?.length
        ? {
            markArea: {
              silent: true,
              itemStyle: { color: 'rgba(255, 77, 94, 0.18)' },
              data: input.bands.map((band) => [{ xAxis: band.from, name: band.label ?? '' }, { xAxis: band.to }] as [object, object]),
            },
          }
        : {}),
    })),
  } as EChartsOption;
}

import type { EChartsOption } from 'echarts';
import type { Pt } from '../../lib/series-buffer';
import { COLORS } from '../theme';
import { px, type ChartContext } from './common';

/** A bare line: no axes, no labels; grey when the data are stale. */
export function sparklineOption(points: Pt[], options: ChartContext & { stale: boolean; color?: string }): EChartsOption {
  const color = options.stale ? COLORS.stale : (options.color ?? COLORS.accent);
  return {
    animation: false,
    grid: { left: 0, right: 0, top: px(4, options.scale), bottom: px(4, options.scale) },
    xAxis: { type: 'time', show: false },
    yAxis: { type: 'value', show: false, scale: true },
    tooltip: { show: false },
    series: [
      {
        type: 'line',
        data: points.map((p) => [p.t, p.v]),
        showSymbol: false,
        smooth: false,
        lineStyle: { width: px(2.5, options.scale), color },
        areaStyle: { color, opacity: 0.15 },
        silent: true,
      },
    ],
  };
}

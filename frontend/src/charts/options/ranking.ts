import type { EChartsOption } from 'echarts';
import { formatValue } from '../../lib/format';
import type { RankedRow } from '../../lib/ranking';
import { COLORS, FONT_FAMILY } from '../theme';
import { px, WALL_MIN_TEXT, type ChartContext } from './common';

export interface RankingInput extends ChartContext {
  rows: RankedRow[];
  names: Record<string, string>;
  metricKind: 'gauge' | 'counter' | 'ratio';
  decimals: number;
  showRankChange: boolean;
}

/** "▲2", "▼1", "＝", or "mới"/"new" when the unit had no value in the previous period. */
export function rankChangeText(change: number | null, lang: 'vi' | 'en'): { text: string; style: 'up' | 'down' | 'same' | 'new' } {
  if (change === null) return { text: lang === 'vi' ? 'mới' : 'new', style: 'new' };
  if (change > 0) return { text: `▲${change}`, style: 'up' };
  if (change < 0) return { text: `▼${-change}`, style: 'down' };
  return { text: '=', style: 'same' };
}

const GAP = '⋯';

/** The bars from top to bottom: the top units, a gap (null) when there is a bottom group, the bottom units. */
export function rankingSlots(rows: RankedRow[]): Array<RankedRow | null> {
  const top = rows.filter((row) => row.group === 'top');
  const bottom = rows.filter((row) => row.group === 'bottom');
  return bottom.length ? [...top, null, ...bottom] : top;
}

/** The height of one bar's slot: its label at the wall's smallest text with room above and below. */
export const rankingSlotPx = (scale: number) => WALL_MIN_TEXT * 1.3 * scale;

/**
 * The rows a ranking of `heightPx` can show with labels that do not touch: the panel asks for the top and bottom
 * units it wants, and when they do not fit, the innermost (the lowest of the top, the highest of the bottom) give way
 * first, alternately, so the first and the last place are the last to go.
 */
export function fitRanking(rows: RankedRow[], heightPx: number, scale: number): RankedRow[] {
  const fits = Math.max(1, Math.floor(heightPx / rankingSlotPx(scale)));
  const top = rows.filter((row) => row.group === 'top');
  const bottom = rows.filter((row) => row.group === 'bottom');
  let fromTop = true;
  while (top.length + bottom.length + (bottom.length ? 1 : 0) > fits && top.length + bottom.length > 1) {
    if ((fromTop && top.length > 1) || bottom.length === 0) top.pop();
    else bottom.shift();
    fromTop = !fromTop;
  }
  return [...top, ...bottom];
}

/** Horizontal bars: the top units, a gap, the bottom units; each with its value and its move in rank. */
export function rankingOption(input: RankingInput): EChartsOption {
  const s = input.scale;
  const ordered = rankingSlots(input.rows);
  const categories = ordered.map((row, index) => (row ? `${row.rank}. ${input.names[row.unit] ?? row.unit}` : `${GAP}${index}`));
  const data = ordered.map((row) =>
    row
      ? {
          value: row.value,
          itemStyle: { color: row.group === 'top' ? COLORS.accent : COLORS.warning, borderRadius: [0, px(3, s), px(3, s), 0] },
          label: {
            formatter: () => {
              const value = formatValue(row.value, { kind: input.metricKind }, input.lang, input.decimals);
              if (!input.showRankChange) return `{v|${value}}`;
              const change = rankChangeText(row.change, input.lang);
              return `{v|${value}}  {${change.style}|${change.text}}`;
            },
          },
        }
      : { value: 0, itemStyle: { color: 'transparent' }, label: { show: false } },
  );
  const font = WALL_MIN_TEXT;
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY, color: COLORS.text, fontSize: px(font, s) },
    grid: { left: px(4, s), right: px(input.showRankChange ? 150 : 100, s), top: px(4, s), bottom: px(4, s), containLabel: true },
    xAxis: { type: 'value', show: false, max: (extent: { max: number }) => extent.max * 1.02 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories,
      // a unit's name is clickable like its bar (the wall opens where its number comes from)
      triggerEvent: true,
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        color: COLORS.text,
        fontSize: px(font, s),
        formatter: (value: string) => (value.startsWith(GAP) ? GAP : value),
      },
    },
    tooltip: { show: false },
    series: [
      {
        type: 'bar',
        data,
        barCategoryGap: '28%',
        label: {
          show: true,
          position: 'right',
          color: COLORS.text,
          fontSize: px(font, s),
          rich: {
            v: { color: COLORS.text, fontSize: px(font, s), fontWeight: 'bold' },
            up: { color: COLORS.good, fontSize: px(font, s), fontWeight: 'bold' },
            down: { color: COLORS.critical, fontSize: px(font, s), fontWeight: 'bold' },
            same: { color: COLORS.muted, fontSize: px(font, s) },
            new: { color: COLORS.info, fontSize: px(font, s) },
          },
        },
      },
    ],
  } as EChartsOption;
}

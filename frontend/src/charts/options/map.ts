import type { EChartsOption } from 'echarts';
import { formatDateTime, formatValue } from '../../lib/format';
import { COLORS, FONT_FAMILY } from '../theme';
import { px, WALL_MIN_TEXT, type ChartContext } from './common';

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
  /** provinces named on the map: the highlighted ones (see highlightedProvinces) */
  labelled?: string[];
  /** the map's shape and the chart's size: the archipelagos' names then stay inside the chart */
  geometry?: MapGeometry;
  size?: { width: number; height: number };
}

/** Label anchors (lon/lat per province code) and the map's extent [lon0, lat0, lon1, lat1]. */
export interface MapGeometry {
  anchors: Record<string, [number, number]>;
  bounds: [number, number, number, number];
}

const ASPECT_SCALE = 0.95;

/** Where ECharts draws a lon/lat on a chart of this size (the map fitted and centred, aspectScale applied). */
export function projector(geometry: MapGeometry, size: { width: number; height: number }): (p: [number, number]) => [number, number] {
  const [lon0, lat0, lon1, lat1] = geometry.bounds;
  const aspect = ((lon1 - lon0) * ASPECT_SCALE) / (lat1 - lat0);
  const side = Math.min(size.width, size.height);
  const [w, h] = aspect > 1 ? [side, side / aspect] : [side * aspect, side];
  const left = (size.width - w) / 2;
  const top = (size.height - h) / 2;
  return ([lon, lat]) => [left + ((lon - lon0) / (lon1 - lon0)) * w, top + ((lat1 - lat) / (lat1 - lat0)) * h];
}

interface LabelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The box a label of `lines` takes at `font` px, placed beside (right), above (top) or centred on its point. */
function labelBox(lines: string[], font: number, [x, y]: [number, number], align: 'centre' | 'right' | 'top'): LabelBox {
  const w = Math.max(...lines.map((line) => line.length)) * font * 0.6;
  const h = font * 1.3 * lines.length;
  if (align === 'right') return { x0: x, x1: x + w + font * 0.5, y0: y - h / 2, y1: y + h / 2 };
  if (align === 'top') return { x0: x - w / 2, x1: x + w / 2, y0: y - h - font * 0.3, y1: y };
  return { x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
}

/** A name on two lines, cut at the space nearest its middle. */
function twoLines(text: string): string[] {
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index!);
  if (!spaces.length) return [text];
  const cut = spaces.reduce((best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best));
  return [text.slice(0, cut), text.slice(cut + 1)];
}

export interface IslandLabel {
  lines: string[];
  position: 'right' | 'top';
  box: LabelBox;
}

/**
 * The archipelagos' names, always shown: Hoàng Sa beside its point and Trường Sa above it, each on one line when it
 * fits inside the chart, otherwise on two lines above the point (a narrow map would cut "Quần đảo Hoàng Sa" at its
 * right edge).
 */
export function islandLabels(
  names: { hoangSa: string; truongSa: string },
  geometry: MapGeometry | undefined,
  size: { width: number; height: number } | undefined,
  scale: number,
): { hoangSa: IslandLabel; truongSa: IslandLabel } {
  const font = WALL_MIN_TEXT * scale;
  const place = (name: string, coord: [number, number], preferred: 'right' | 'top'): IslandLabel => {
    if (!geometry || !size) return { lines: [name], position: preferred, box: { x0: 0, x1: 0, y0: 0, y1: 0 } };
    const point = projector(geometry, size)(coord);
    const one = labelBox([name], font, point, preferred);
    if (one.x0 >= 0 && one.x1 <= size.width) return { lines: [name], position: preferred, box: one };
    const lines = twoLines(name);
    return { lines, position: 'top', box: labelBox(lines, font, point, 'top') };
  };
  return {
    hoangSa: place(names.hoangSa, ISLANDS.hoangSa.coord, 'right'),
    truongSa: place(names.truongSa, ISLANDS.truongSa.coord, 'top'),
  };
}

/**
 * Which of the candidate provinces (in priority order) can carry their names without one covering another or an
 * archipelago's name: a name is a box of its estimated width at the wall's smallest text, centred on its anchor.
 * What does not fit stays unnamed (its colour and the ranking beside the map still show it).
 */
export function placeLabels(
  candidates: string[],
  names: Record<string, string>,
  geometry: MapGeometry,
  size: { width: number; height: number },
  scale: number,
  islands: { hoangSa: string; truongSa: string },
): string[] {
  const project = projector(geometry, size);
  const font = WALL_MIN_TEXT * scale;
  const archipelagos = islandLabels(islands, geometry, size, scale);
  const taken: LabelBox[] = [archipelagos.hoangSa.box, archipelagos.truongSa.box];
  const clash = (a: LabelBox, b: LabelBox) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const placed: string[] = [];
  for (const code of candidates) {
    const anchor = geometry.anchors[code];
    if (!anchor) continue;
    const box = labelBox([names[code] ?? code], font, project(anchor), 'centre');
    if (box.x0 < 0 || box.x1 > size.width || box.y0 < 0 || box.y1 > size.height) continue;
    if (taken.some((other) => clash(box, other))) continue;
    taken.push(box);
    placed.push(code);
  }
  return placed;
}

/**
 * The provinces a map names, so a red one can be named from across the room: those in alert, then the highest and
 * the lowest `each` by value (fewer when the map has few values), without repeats.
 */
export function highlightedProvinces(values: Array<{ unit: string; value: number }>, inAlert: readonly string[], each = 3): string[] {
  const sorted = [...values].sort((a, b) => b.value - a.value || a.unit.localeCompare(b.unit));
  const n = Math.min(each, Math.floor(sorted.length / 2));
  // alternately from both ends, so that when not all names fit the highest and the lowest are named first
  const ends: string[] = [];
  for (let i = 0; i < n; i++) ends.push(sorted[i]!.unit, sorted[sorted.length - 1 - i]!.unit);
  const picked = [...inAlert, ...ends];
  return [...new Set(picked)];
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
  const font = px(WALL_MIN_TEXT, s);
  const labelled = new Set(input.labelled ?? []);
  const archipelagos = islandLabels(input.labels, input.geometry, input.size, s);
  const island = (name: string, coord: [number, number], { lines, position }: IslandLabel) => ({
    name,
    coord,
    symbol: 'circle',
    symbolSize: px(5, s),
    itemStyle: { color: COLORS.gold },
    label: {
      show: true,
      formatter: lines.join('\n'),
      position,
      color: COLORS.gold,
      fontSize: font,
      fontWeight: 'bold' as const,
      distance: px(4, s),
    },
  });
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY, color: COLORS.text, fontSize: font },
    tooltip: {
      trigger: 'item',
      backgroundColor: COLORS.panel,
      borderColor: COLORS.panelBorder,
      textStyle: { color: COLORS.text, fontSize: font },
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
      textStyle: { color: COLORS.text, fontSize: font },
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
        aspectScale: ASPECT_SCALE,
        itemStyle: { areaColor: COLORS.noData, borderColor: '#8aa0bd', borderWidth: px(0.6, s) },
        emphasis: { label: { show: false }, itemStyle: { areaColor: COLORS.gold } },
        label: { show: false },
        // the highlighted provinces carry their names, outlined so they read on any colour of the ramp
        data: input.codes
          .filter((code) => byCode.has(code))
          .map((code) => ({
            name: code,
            value: byCode.get(code)!.value,
            ...(labelled.has(code)
              ? {
                  label: {
                    show: true,
                    formatter: input.names[code] ?? code,
                    color: '#ffffff',
                    fontSize: font,
                    fontWeight: 'bold' as const,
                    textBorderColor: '#06101f',
                    textBorderWidth: px(3, s),
                  },
                }
              : {}),
          })),
        markPoint: {
          silent: true,
          animation: false,
          data: [
            island(input.labels.hoangSa, ISLANDS.hoangSa.coord, archipelagos.hoangSa),
            island(input.labels.truongSa, ISLANDS.truongSa.coord, archipelagos.truongSa),
          ],
        },
      },
    ],
  } as EChartsOption;
}

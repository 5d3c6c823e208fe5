/**
 * What the wall's charts draw on their canvas is read from across the room like every other text: no font under
 * WALL_MIN_TEXT × scale, bars and names that never touch, and axes that cover only the range that has data.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { geometryOf } from '../geo';
import { smallestFontSize, WALL_MIN_TEXT } from './common';
import { highlightedProvinces, islandLabels, mapOption, placeLabels } from './map';
import { provenanceChartOption } from './provenance';
import { fitRanking, rankingOption, rankingSlotPx, rankingSlots } from './ranking';
import { liveWindow, timeseriesOption, valueTicks } from './timeseries';
import type { RankedRow } from '../../lib/ranking';

const D = 86_400_000;
const geo = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../geo/vn-34-provinces.wall.geojson'), 'utf8'));
const geometry = geometryOf(geo.features);
const codes: string[] = geo.features.map((f: { properties: { code: string } }) => f.properties.code);
const names = Object.fromEntries(codes.map((c) => [c, `Tỉnh ${c}`]));
const ISLAND_NAMES = { hoangSa: 'Quần đảo Hoàng Sa', truongSa: 'Quần đảo Trường Sa' };

function rows(top: number, bottom: number): RankedRow[] {
  const out: RankedRow[] = [];
  for (let i = 0; i < top; i++) out.push({ unit: `T${i}`, value: 100 - i, rank: i + 1, previousRank: null, change: null, group: 'top' });
  for (let i = 0; i < bottom; i++)
    out.push({ unit: `B${i}`, value: 10 - i, rank: 30 + i, previousRank: null, change: null, group: 'bottom' });
  return out;
}

describe('no wall chart asks for a font under 2 % of the screen height', () => {
  for (const scale of [1, 2]) {
    const floor = WALL_MIN_TEXT * scale;
    it(`at scale ${scale}`, () => {
      const series = [{ name: 'VN', points: [0, 1, 2].map((i) => ({ t: i * D, v: 10 + i })) }];
      const options = {
        timeseries: timeseriesOption({
          lang: 'vi',
          scale,
          series,
          targets: [{ value: 30, label: 'Chỉ tiêu' }],
          thresholds: [{ value: 20, label: 'Ngưỡng' }],
          metricKind: 'ratio',
          decimals: 1,
          xWindow: null,
          showLegend: true,
        }),
        ranking: rankingOption({ lang: 'vi', scale, rows: rows(3, 3), names: {}, metricKind: 'gauge', decimals: 0, showRankChange: true }),
        map: mapOption({
          lang: 'vi',
          scale,
          values: [{ unit: codes[0]!, value: 1, ts: '2026-01-01T00:00:00Z' }],
          codes,
          names,
          colours: ['#000000', '#ffffff'],
          metricKind: 'gauge',
          decimals: 0,
          labels: { noData: '-', hoangSa: 'HS', truongSa: 'TS', asOf: 'đến' },
          labelled: [codes[0]!],
        }),
        provenance: provenanceChartOption({
          lang: 'vi',
          scale,
          points: series[0]!.points,
          name: 'VN',
          metricKind: 'gauge',
          decimals: 0,
          target: { value: 30, label: 'Chỉ tiêu' },
          selected: series[0]!.points[1]!,
        }),
      };
      for (const [name, option] of Object.entries(options)) expect(smallestFontSize(option), name).toBeGreaterThanOrEqual(floor);
    });
  }

  it('counts what ECharts would draw at its default size', () => {
    expect(smallestFontSize({ yAxis: { axisLabel: { color: '#fff' } } })).toBe(12);
    expect(smallestFontSize({ textStyle: { fontSize: 30 }, yAxis: { axisLabel: { color: '#fff' } } })).toBe(30);
    expect(smallestFontSize({ series: [{ label: { show: false } }] })).toBeNull();
    // the console's compact charts may be smaller: that is the builder's choice, and this measure sees it
    const compact = timeseriesOption({
      lang: 'vi',
      scale: 1,
      series: [],
      targets: [],
      thresholds: [],
      metricKind: 'gauge',
      decimals: 0,
      xWindow: null,
      compact: true,
    });
    expect(smallestFontSize(compact)).toBe(12);
  });
});

describe('a ranking shows the bars its height holds', () => {
  it('keeps all when they fit, drops the innermost alternately when not', () => {
    const all = rows(5, 5);
    expect(fitRanking(all, 11 * rankingSlotPx(1), 1)).toHaveLength(10);
    const fewer = fitRanking(all, 7 * rankingSlotPx(1), 1);
    expect(rankingSlots(fewer)).toHaveLength(7);
    expect(fewer.map((r) => r.unit)).toEqual(['T0', 'T1', 'T2', 'B2', 'B3', 'B4']);
    expect(fitRanking(all, 7 * rankingSlotPx(2), 2)).toEqual(fewer);
    // the first and the last place are the last to go
    expect(fitRanking(all, 3 * rankingSlotPx(1), 1).map((r) => r.unit)).toEqual(['T0', 'B4']);
    expect(fitRanking(rows(5, 0), 3 * rankingSlotPx(1), 1).map((r) => r.unit)).toEqual(['T0', 'T1', 'T2']);
  });
});

describe('the map names its highlighted provinces', () => {
  const values = codes.map((unit, i) => ({ unit, value: i }));
  it('in alert first, then the highest and the lowest alternately', () => {
    const picked = highlightedProvinces(values, [codes[5]!]);
    expect(picked.slice(0, 3)).toEqual([codes[5], codes.at(-1), codes[0]]);
    expect(picked).toHaveLength(7);
    expect(highlightedProvinces(values.slice(0, 1), [])).toEqual([]);
  });
  it('as many as fit without one name covering another', () => {
    const size = { width: 760, height: 620 };
    const placed = placeLabels(highlightedProvinces(values, []), names, geometry, size, 1, ISLAND_NAMES);
    expect(placed.length).toBeGreaterThanOrEqual(2);
    // all 34 at once cannot fit: the placement refuses the names that would overprint
    const crowded = placeLabels(codes, names, geometry, size, 1, ISLAND_NAMES);
    expect(crowded.length).toBeLessThan(codes.length);
    expect(crowded.length).toBeGreaterThan(3);
    // a tiny map names fewer
    expect(placeLabels(codes, names, geometry, { width: 200, height: 160 }, 1, ISLAND_NAMES).length).toBeLessThan(crowded.length);
  });
});

describe('charts cover only the range that has data', () => {
  const now = 100 * D;
  it('a live window starts at the oldest value inside the range', () => {
    const points = [60, 70, 99].map((d) => ({ t: d * D, v: d }));
    expect(liveWindow([points], now, 90 * D)).toEqual({ min: 60 * D, max: now });
    expect(liveWindow([points], now, 30 * D)).toEqual({ min: 70 * D, max: now });
    expect(liveWindow([[{ t: 1, v: 1 }]], now, 30 * D)).toBeNull();
  });
  it('a low chart gets fewer value labels', () => {
    expect(valueTicks(undefined, 22)).toBe(4);
    expect(valueTicks(400, 22)).toBe(4);
    expect(valueTicks(120, 22)).toBe(1);
    expect(valueTicks(200, 44)).toBe(1);
  });
});

describe('the archipelagos are always named inside the chart', () => {
  it('on one line where it fits, on two above the point where one line would pass the edge', () => {
    const wide = islandLabels(ISLAND_NAMES, geometry, { width: 1000, height: 800 }, 1);
    expect(wide.hoangSa).toMatchObject({ lines: ['Quần đảo Hoàng Sa'], position: 'right' });
    const narrow = islandLabels(ISLAND_NAMES, geometry, { width: 460, height: 600 }, 1);
    expect(narrow.hoangSa).toMatchObject({ lines: ['Quần đảo', 'Hoàng Sa'], position: 'top' });
    for (const label of [wide.hoangSa, wide.truongSa]) expect(label.box.x1).toBeLessThanOrEqual(1000);
    for (const label of [narrow.hoangSa, narrow.truongSa]) expect(label.box.x1).toBeLessThanOrEqual(460);
  });
});

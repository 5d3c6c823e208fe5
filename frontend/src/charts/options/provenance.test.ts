import { describe, expect, it } from 'vitest';
import { COLORS } from '../theme';
import { provenanceChartOption, type ProvenanceChartInput } from './provenance';
import { rankingOption, rankingSlots } from './ranking';

const DAY = 86_400_000;
const T0 = Date.parse('2026-05-01T00:00:00+07:00');
const points = [0, 1, 2, 3].map((i) => ({ t: T0 + i * DAY, v: 40 + i }));

const input = (over: Partial<ProvenanceChartInput> = {}): ProvenanceChartInput => ({
  lang: 'vi',
  scale: 1,
  points,
  name: 'Hà Nội',
  metricKind: 'ratio',
  decimals: 1,
  target: { value: 80, label: 'Mục tiêu 31/12/2026' },
  selected: points[3]!,
  ...over,
});

type Ring = {
  symbolSize: number;
  itemStyle: { borderColor: string };
  label: { formatter: () => string };
  data: Array<{ coord: [number, number] }>;
};
type Series = { type: string; data: unknown[]; markLine?: { data: Array<{ yAxis: number }> }; markPoint?: Ring };
const seriesOf = (option: ReturnType<typeof provenanceChartOption>) => option.series as Series[];

describe('provenance chart', () => {
  it('draws the unit’s series with its target line and rings the value explained, labelled with its value', () => {
    const option = provenanceChartOption(input());
    const series = seriesOf(option);
    expect(series).toHaveLength(1);
    const [line] = series;
    expect(line!.type).toBe('line');
    expect(line!.data).toEqual(points.map((p) => [p.t, p.v]));
    expect(line!.markLine!.data.map((d) => d.yAxis)).toEqual([80]);
    const ring = line!.markPoint!;
    expect(ring.data.map((d) => d.coord)).toEqual([[points[3]!.t, 43]]);
    expect(ring.label.formatter()).toBe('43%');
    expect(ring.itemStyle.borderColor).toBe(COLORS.gold);
    // room above the plot for the ring's label
    expect((option.grid as { top: number }).top).toBe(34);
  });

  it('has no ring when no value is explained, no target line without a target', () => {
    const [line] = seriesOf(provenanceChartOption(input({ selected: null, target: null })));
    expect(line!.markPoint).toBeUndefined();
    expect(line!.markLine).toBeUndefined();
  });

  it('formats the ring in English and scales with the wall', () => {
    const option = provenanceChartOption(
      input({ lang: 'en', scale: 2, metricKind: 'gauge', decimals: 0, selected: { t: T0, v: 1234567 } }),
    );
    const ring = seriesOf(option)[0]!.markPoint!;
    expect(ring.label.formatter()).toBe('1,234,567');
    expect(ring.symbolSize).toBe(32);
  });
});

describe('ranking slots (what a click on a bar or a name points at)', () => {
  const row = (unit: string, group: 'top' | 'bottom', rank: number) => ({
    unit,
    group,
    rank,
    value: rank,
    change: null,
    previousRank: null,
  });

  it('top rows, a gap, bottom rows: the order the bars are drawn in', () => {
    const rows = [row('01', 'top', 1), row('79', 'top', 2), row('96', 'bottom', 33), row('11', 'bottom', 34)];
    expect(rankingSlots(rows).map((r) => r?.unit ?? null)).toEqual(['01', '79', null, '96', '11']);
    expect(rankingSlots([row('01', 'top', 1)]).map((r) => r?.unit)).toEqual(['01']);
  });

  it('the chart draws its bars in that order and its names are clickable', () => {
    const rows = [row('01', 'top', 1), row('96', 'bottom', 34)];
    const option = rankingOption({
      lang: 'vi',
      scale: 1,
      rows,
      names: { '01': 'Hà Nội', '96': 'Cà Mau' },
      metricKind: 'ratio',
      decimals: 1,
      showRankChange: false,
    });
    const yAxis = option.yAxis as { data: string[]; triggerEvent: boolean };
    expect(yAxis.data.map((c, i) => (rankingSlots(rows)[i] ? c : null))).toEqual(['1. Hà Nội', null, '34. Cà Mau']);
    expect(yAxis.triggerEvent).toBe(true);
  });
});

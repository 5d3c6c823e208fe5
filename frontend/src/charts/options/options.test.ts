import { describe, expect, it } from 'vitest';
import { COLORS } from '../theme';
import { ISLANDS, MAP_NAME, mapOption, mapRange } from './map';
import { rankChangeText, rankingOption } from './ranking';
import { sparklineOption } from './sparkline';
import { timeseriesOption } from './timeseries';
import { refLabelPositions, timeLabel, valueAxis } from './common';

const D = 86_400_000;

describe('sparkline', () => {
  it.each([
    { stale: false, colour: COLORS.accent },
    { stale: true, colour: COLORS.stale },
  ])('stale=$stale draws in $colour without axes', ({ stale, colour }) => {
    const option: any = sparklineOption(
      [
        { t: 1, v: 2 },
        { t: 2, v: 3 },
      ],
      { lang: 'vi', scale: 1, stale },
    );
    expect(option.series[0].data).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(option.series[0].lineStyle.color).toBe(colour);
    expect(option.xAxis.show).toBe(false);
    expect(option.yAxis.show).toBe(false);
  });
  it('scales line width for a 4K wall', () => {
    const option: any = sparklineOption([], { lang: 'vi', scale: 2, stale: false });
    expect(option.series[0].lineStyle.width).toBe(5);
  });
});

describe('timeseries', () => {
  const base = { lang: 'vi' as const, scale: 1, metricKind: 'ratio' as const, decimals: 1, thresholds: [], targets: [] };
  it.each([
    { name: 'live window scrolls', xWindow: { min: 0, max: 10 * D }, expectMin: 0, expectMax: 10 * D },
    { name: 'historical data fit', xWindow: null, expectMin: undefined, expectMax: undefined },
  ])('$name', ({ xWindow, expectMin, expectMax }) => {
    const option: any = timeseriesOption({ ...base, series: [{ name: 'VN', points: [{ t: D, v: 40 }] }], xWindow });
    expect(option.xAxis.min).toBe(expectMin);
    expect(option.xAxis.max).toBe(expectMax);
  });

  it('draws targets dashed gold and thresholds solid in their colour, kept in view', () => {
    const option: any = timeseriesOption({
      ...base,
      series: [
        {
          name: 'VN',
          points: [
            { t: D, v: 40 },
            { t: 2 * D, v: 42 },
          ],
        },
      ],
      targets: [{ value: 80, label: 'Mục tiêu 80%' }],
      thresholds: [{ value: 30, label: 'ngưỡng', color: '#123456' }],
      xWindow: null,
    });
    const lines = option.series[0].markLine.data;
    expect(lines.map((l: any) => [l.yAxis, l.lineStyle.type, l.lineStyle.color])).toEqual([
      [80, 'dashed', COLORS.gold],
      [30, 'solid', '#123456'],
    ]);
    // target and threshold lines in view
    expect(option.yAxis.max).toBe(80);
    expect(option.yAxis.min).toBe(20);
    expect(option.yAxis.interval).toBe(20);
    expect(option.yAxis.axisLabel.formatter(40)).toBe('40%');
  });

  it('labels the target and the threshold at opposite ends, and two close lines one over, one under', () => {
    const option: any = timeseriesOption({
      ...base,
      series: [
        {
          name: 'VN',
          points: [
            { t: D, v: 40 },
            { t: 2 * D, v: 90 },
          ],
        },
      ],
      targets: [
        { value: 80, label: 'Mục tiêu 80%' },
        { value: 82, label: 'Mục tiêu 82%' },
      ],
      thresholds: [{ value: 81, label: 'ngưỡng' }],
      xWindow: null,
    });
    expect(option.series[0].markLine.data.map((l: any) => l.label.position)).toEqual([
      'insideStartBottom',
      'insideStartTop',
      'insideEndTop',
    ]);
  });

  it('one series per unit, in the panel colours; shaded bands for a rule preview', () => {
    const option: any = timeseriesOption({
      ...base,
      series: [
        { name: 'Hà Nội', points: [], color: '#e63946' },
        { name: 'Hồ Chí Minh', points: [] },
      ],
      xWindow: null,
      bands: [{ from: 1, to: 2 }],
      showLegend: true,
    });
    expect(option.series.map((s: any) => [s.name, s.color])).toEqual([
      ['Hà Nội', '#e63946'],
      ['Hồ Chí Minh', COLORS.series[1]],
    ]);
    expect(option.series[0].markArea.data).toEqual([[{ xAxis: 1, name: '' }, { xAxis: 2 }]]);
    expect(option.legend).toBeDefined();
  });

  it.each([
    [Date.parse('2026-11-22T08:30:00+07:00'), 3600_000, 'vi', '08:30'],
    [Date.parse('2026-11-22T08:30:00+07:00'), 30 * D, 'vi', '22/11'],
    [Date.parse('2026-11-22T08:30:00+07:00'), 30 * D, 'en', '22 Nov'],
    [Date.parse('2026-11-22T08:30:00+07:00'), 3000 * D, 'vi', '11/2026'],
  ] as const)('time labels in Viet Nam time %#', (t, span, lang, expected) => {
    expect(timeLabel(t, span, lang)).toBe(expected);
  });
});

describe('ranking bars', () => {
  const rows = [
    { unit: '79', value: 90, rank: 1, previousRank: 3, change: 2, group: 'top' as const },
    { unit: '01', value: 80, rank: 2, previousRank: 1, change: -1, group: 'top' as const },
    { unit: '96', value: 10, rank: 34, previousRank: null, change: null, group: 'bottom' as const },
  ];
  it('top units, a gap, bottom units; rank 1 at the top', () => {
    const option: any = rankingOption({
      lang: 'vi',
      scale: 1,
      rows,
      names: { '79': 'Hồ Chí Minh', '01': 'Hà Nội', '96': 'Cà Mau' },
      metricKind: 'ratio',
      decimals: 1,
      showRankChange: true,
    });
    const categories: string[] = option.yAxis.data;
    expect(categories.map((c) => option.yAxis.axisLabel.formatter(c))).toEqual(['1. Hồ Chí Minh', '2. Hà Nội', '⋯', '34. Cà Mau']);
    expect(option.yAxis.inverse).toBe(true);
    expect(option.series[0].data[0].label.formatter()).toBe('{v|90%}  {up|▲2}');
    expect(option.series[0].data[1].label.formatter()).toBe('{v|80%}  {down|▼1}');
    expect(option.series[0].data[3].label.formatter()).toBe('{v|10%}  {new|mới}');
    expect(option.series[0].data[3].itemStyle.color).toBe(COLORS.warning);
  });
  it.each([
    [3, 'vi', '▲3', 'up'],
    [-2, 'vi', '▼2', 'down'],
    [0, 'vi', '=', 'same'],
    [null, 'en', 'new', 'new'],
  ] as const)('rank change %s', (change, lang, text, style) => {
    expect(rankChangeText(change, lang)).toEqual({ text, style });
  });
});

describe('province map', () => {
  const input = {
    lang: 'vi' as const,
    scale: 1,
    values: [
      { unit: '01', value: 40, ts: '2026-11-01T00:00:00+07:00' },
      { unit: '79', value: 60, ts: '2026-11-01T00:00:00+07:00' },
      { unit: 'XX', value: 99, ts: '2026-11-01T00:00:00+07:00' },
    ],
    codes: ['01', '79', '48', '56'],
    names: { '01': 'Hà Nội', '79': 'Hồ Chí Minh', '48': 'Đà Nẵng', '56': 'Khánh Hoà' },
    colours: ['#000000', '#ffffff'],
    metricKind: 'ratio' as const,
    decimals: 1,
    labels: { noData: 'Không có số liệu', hoangSa: 'Quần đảo Hoàng Sa', truongSa: 'Quần đảo Trường Sa', asOf: 'Số liệu đến' },
  };
  it('joins by GSO code; provinces without data get no value (drawn as no data, not zero)', () => {
    const option: any = mapOption(input);
    const series = option.series[0];
    expect(series.map).toBe(MAP_NAME);
    expect(series.nameProperty).toBe('code');
    expect(series.data).toEqual([
      { name: '01', value: 40 },
      { name: '79', value: 60 },
    ]);
    expect(series.itemStyle.areaColor).toBe(COLORS.noData);
    expect(option.visualMap.min).toBe(40);
    expect(option.visualMap.max).toBe(60);
    expect(option.visualMap.text).toEqual(['60%', '40%']);
  });
  it('labels Hoàng Sa and Trường Sa', () => {
    const option: any = mapOption(input);
    const marks = option.series[0].markPoint.data;
    expect(marks.map((m: any) => [m.name, m.coord])).toEqual([
      ['Quần đảo Hoàng Sa', ISLANDS.hoangSa.coord],
      ['Quần đảo Trường Sa', ISLANDS.truongSa.coord],
    ]);
  });
  it.each([
    ['01', 'Hà Nội', '40%'],
    ['48', 'Đà Nẵng', 'Không có số liệu'],
  ])('tooltip for %s', (code, name, text) => {
    const html: string = (mapOption(input) as any).tooltip.formatter({ name: code });
    expect(html).toContain(name);
    expect(html).toContain(text);
  });
  it.each([
    [[], { min: 0, max: 1 }],
    [[{ value: 5 }], { min: 4, max: 6 }],
    [[{ value: 5 }, { value: 9 }], { min: 5, max: 9 }],
  ])('colour range %#', (values, expected) => {
    expect(mapRange(values)).toEqual(expected);
  });
});

describe('value axis: no two labels read the same', () => {
  const labels = (min: number, max: number, lang: 'vi' | 'en', percent = false) => {
    const axis = valueAxis(min, max, lang, percent)!;
    return axis.ticks.map(axis.label);
  };

  it('the issue\'s "3,05 tỷ" twice: a narrow band around 3.05 billion gets the decimals it needs', () => {
    expect(labels(3_046_000_000, 3_054_000_000, 'vi')).toEqual(['3,046 tỷ', '3,048 tỷ', '3,050 tỷ', '3,052 tỷ', '3,054 tỷ']);
    expect(labels(3_046_000_000, 3_054_000_000, 'en')).toEqual(['3.046bn', '3.048bn', '3.050bn', '3.052bn', '3.054bn']);
  });

  it('a flat line still gets distinct labels around it', () => {
    const shown = labels(3_050_000_000, 3_050_000_000, 'vi');
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.length).toBeGreaterThan(2);
  });

  it('shares as percentages, not below zero', () => {
    expect(labels(40, 80, 'vi', true)).toEqual(['40%', '50%', '60%', '70%', '80%']);
    expect(valueAxis(0.5, 30, 'vi', true)!.min).toBe(0);
    expect(labels(10.2, 10.9, 'vi', true)).toEqual(['10,2%', '10,4%', '10,6%', '10,8%', '11,0%']);
  });

  it('for any extent, in either language: the ticks cover the data and every label differs from the others', () => {
    // a deterministic sweep over magnitudes, spans and offsets (thousands to trillions, flat to wide)
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 3000; n++) {
      const magnitude = 10 ** Math.floor(random() * 13);
      const base = magnitude * (1 + random() * 9);
      const span = base * 10 ** -Math.floor(random() * 7) * random();
      const lang = random() < 0.5 ? 'vi' : 'en';
      const percent = random() < 0.2;
      const lo = percent ? random() * 100 : base;
      const hi = percent ? lo + random() * (100 - lo) : base + span;
      const axis = valueAxis(lo, hi, lang, percent)!;
      expect(axis.min).toBeLessThanOrEqual(lo);
      expect(axis.max).toBeGreaterThanOrEqual(hi);
      expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
      expect(axis.ticks.length).toBeLessThanOrEqual(12);
      const shown = axis.ticks.map(axis.label);
      expect(new Set(shown).size, `${lo}..${hi} ${lang} ${percent}: ${shown.join(' | ')}`).toBe(shown.length);
    }
  });

  it('no data: ECharts picks', () => expect(valueAxis(Infinity, -Infinity, 'vi', false)).toBeNull());
});

describe('reference line labels', () => {
  it.each([
    {
      name: 'far apart: targets at the start, thresholds at the end',
      refs: [
        [10, 'target'],
        [90, 'threshold'],
        [50, 'target'],
      ],
      at: ['insideStartTop', 'insideEndTop', 'insideStartTop'],
    },
    {
      name: 'two close targets: the lower under its line',
      refs: [
        [50, 'target'],
        [52, 'target'],
      ],
      at: ['insideStartBottom', 'insideStartTop'],
    },
    {
      name: 'three close thresholds: the middle one at the other end',
      refs: [
        [50, 'threshold'],
        [54, 'threshold'],
        [52, 'threshold'],
      ],
      at: ['insideEndBottom', 'insideEndTop', 'insideStartTop'],
    },
  ] as const)('$name', ({ refs, at }) => {
    expect(
      refLabelPositions(
        refs.map(([value, kind]) => ({ value, kind })),
        100,
      ),
    ).toEqual(at);
  });
});

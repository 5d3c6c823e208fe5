import { describe, expect, it } from 'vitest';
import { kpiSummary } from './kpi';

const NOW = Date.parse('2026-11-22T10:00:00+07:00');
const D = 86_400_000;
const targets = [{ id: 1, metricCode: 'm', unitCode: 'VN', value: 80, comparator: '>=' as const, deadline: '2027-12-31' }];

describe('KPI tile', () => {
  it.each([
    {
      name: 'fresh value with change and progress',
      points: [
        { t: NOW - 20 * D, v: 40 },
        { t: NOW - D, v: 60 },
      ],
      cadence: 'daily' as const,
      expected: { value: 60, change: 20, stale: false, progress: 75, targetMet: false },
    },
    {
      name: 'stale monthly value greys out',
      points: [
        { t: NOW - 400 * D, v: 40 },
        { t: NOW - 100 * D, v: 85 },
      ],
      cadence: 'monthly' as const,
      expected: { value: 85, change: 45, stale: true, progress: 100, targetMet: true },
    },
    {
      name: 'one value: no change',
      points: [{ t: NOW - D, v: 10 }],
      cadence: 'daily' as const,
      expected: { value: 10, change: null, stale: false, progress: 12.5, targetMet: false },
    },
    {
      name: 'no data',
      points: [],
      cadence: 'daily' as const,
      expected: { value: null, change: null, stale: false, progress: null, targetMet: null },
    },
  ])('$name', ({ points, cadence, expected }) => {
    const s = kpiSummary(points, { metric: 'm', unit: 'VN', cadence, targets, thresholds: [], now: NOW });
    expect({ value: s.value, change: s.change, stale: s.stale, progress: s.progress, targetMet: s.targetMet }).toEqual(expected);
  });

  it.each([
    [50, null],
    [70, '#ffb020'],
    [95, '#ff4d5e'],
  ])('threshold colour for %s', (value, colour) => {
    const s = kpiSummary([{ t: NOW, v: value }], {
      metric: 'm',
      unit: 'VN',
      cadence: 'daily',
      targets: [],
      thresholds: [
        { value: 90, colour: '#ff4d5e' },
        { value: 60, colour: '#ffb020' },
      ],
      now: NOW,
    });
    expect(s.thresholdColour).toBe(colour);
  });
});

import { describe, expect, it } from 'vitest';
import { complianceCounts, mergeCompliance } from './compliance';

describe('reporting compliance', () => {
  it('one row per unit, worst status over the indicators, worst first', () => {
    const rows = mergeCompliance(
      [
        {
          metric: 'm1',
          units: [
            { unit: '01', status: 'on_time', lateBySeconds: null },
            { unit: '79', status: 'late', lateBySeconds: 3600 },
            { unit: '48', status: 'late', lateBySeconds: 7200 },
          ],
        },
        {
          metric: 'm2',
          units: [
            { unit: '01', status: 'never', lateBySeconds: 100 },
            { unit: '79', status: 'on_time', lateBySeconds: null },
            { unit: '48', status: 'on_time', lateBySeconds: null },
          ],
        },
      ],
      ['79', '48', '01', '31'],
    );
    expect(rows.map((r) => [r.unit, r.worst, r.lateBySeconds])).toEqual([
      ['01', 'never', 100],
      ['48', 'late', 7200],
      ['79', 'late', 3600],
      ['31', 'on_time', null],
    ]);
    expect(rows[0]!.byMetric).toEqual({ m1: 'on_time', m2: 'never' });
    expect(complianceCounts(rows.map((r) => ({ status: r.worst })))).toEqual({ on_time: 1, late: 2, never: 1 });
  });

  it('ignores units outside the panel', () => {
    expect(
      mergeCompliance([{ metric: 'm', units: [{ unit: 'XX', status: 'never', lateBySeconds: null }] }], ['01']).map((r) => r.worst),
    ).toEqual(['on_time']);
  });
});

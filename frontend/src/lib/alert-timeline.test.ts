import type { AlertTimelineEntry } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { timelineDays } from './alert-timeline';

const event = (seq: number, at: string, transition: AlertTimelineEntry['transition'], actor: string | null): AlertTimelineEntry => ({
  seq,
  at,
  transition,
  actor,
  alertId: 1,
  unit: '79',
  metric: 'dvc.level4_share',
  ruleName: 'HCMC level 4',
});

describe('alert timeline', () => {
  it('groups changes under the Viet Nam day they happened, newest first, with the time of day there', () => {
    const days = timelineDays(
      [
        event(4, '2026-12-06T01:30:00Z', 'resolved', 'system'),
        event(3, '2026-12-05T17:10:00Z', 'acknowledged', 'staff1'),
        // 16:50 UTC on the 5th is 23:50 on the 5th in Viet Nam; 17:10 UTC is already the 6th
        event(2, '2026-12-05T16:50:00Z', 'firing', null),
        event(1, '2026-12-05T16:40:00Z', 'pending', 'system'),
      ],
      'vi',
    );
    expect(days.map((d) => d.day)).toEqual(['06/12/2026', '05/12/2026']);
    expect(days[0]?.events.map((e) => [e.time, e.transition, e.person])).toEqual([
      ['08:30', 'resolved', null],
      ['00:10', 'acknowledged', 'staff1'],
    ]);
    expect(days[1]?.events.map((e) => [e.time, e.transition, e.person])).toEqual([
      ['23:50', 'firing', null],
      ['23:40', 'pending', null],
    ]);
  });

  it('names the day in English for the English console, and has nothing for no changes', () => {
    expect(timelineDays([event(1, '2026-12-05T16:50:00Z', 'firing', null)], 'en')[0]?.day).toBe('5 Dec 2026');
    expect(timelineDays([], 'vi')).toEqual([]);
  });
});

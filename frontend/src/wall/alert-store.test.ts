import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '@dxoc/contracts';
import { AlertStore, applyAlertEvent, isNewCritical, MAX_ALERTS, visibleAlerts } from './alert-store';

let nextId = 1;
function alert(over: Partial<Alert> = {}): Alert {
  const id = over.id ?? nextId++;
  return {
    id,
    ruleId: 1,
    ruleName: 'r',
    metric: 'einvoice.issued',
    unit: '01',
    severity: 'warning',
    state: 'firing',
    value: 1,
    messageVi: 'vi',
    messageEn: 'en',
    pendingSince: '2026-11-22T08:00:00+07:00',
    firingSince: '2026-11-22T08:00:00+07:00',
    acknowledgedAt: null,
    acknowledgedBy: null,
    ackComment: null,
    resolvedAt: null,
    updatedAt: '2026-11-22T08:00:00+07:00',
    ...over,
  };
}
const event = (a: Alert, transition: AlertEvent['transition'] = 'firing'): AlertEvent => ({ alert: a, transition });

describe('alerts on the wall', () => {
  it('firing and acknowledged only, critical first, then newest first', () => {
    const list = [
      alert({ id: 1, severity: 'warning', firingSince: '2026-11-22T09:00:00+07:00' }),
      alert({ id: 2, severity: 'critical', firingSince: '2026-11-22T07:00:00+07:00' }),
      alert({ id: 3, severity: 'warning', firingSince: '2026-11-22T10:00:00+07:00', state: 'acknowledged' }),
      alert({ id: 4, severity: 'info', state: 'pending', firingSince: null }),
      alert({ id: 5, severity: 'info', firingSince: '2026-11-22T11:00:00+07:00' }),
    ];
    expect(visibleAlerts(list).map((a) => a.id)).toEqual([2, 3, 1, 5]);
    expect(visibleAlerts(list, 'warning').map((a) => a.id)).toEqual([2, 3, 1]);
    expect(visibleAlerts(list, 'critical').map((a) => a.id)).toEqual([2]);
  });

  it.each([
    { name: 'a new alert is added first', before: [1, 2], incoming: alert({ id: 3 }), expected: [3, 1, 2] },
    { name: 'an update replaces the alert', before: [1, 2], incoming: alert({ id: 2, state: 'acknowledged' }), expected: [2, 1] },
    { name: 'a resolved alert leaves', before: [1, 2], incoming: alert({ id: 1, state: 'resolved' }), expected: [2] },
  ])('$name', ({ before, incoming, expected }) => {
    const list = before.map((id) => alert({ id }));
    expect(applyAlertEvent(list, event(incoming)).map((a) => a.id)).toEqual(expected);
  });

  it('stays bounded', () => {
    let list: Alert[] = [];
    for (let i = 0; i < MAX_ALERTS * 3; i++) list = applyAlertEvent(list, event(alert({ id: 10_000 + i })));
    expect(list).toHaveLength(MAX_ALERTS);
  });

  it.each([
    [alert({ severity: 'critical' }), 'firing', true],
    [alert({ severity: 'critical' }), 'acknowledged', false],
    [alert({ severity: 'warning' }), 'firing', false],
    [alert({ severity: 'critical', silence: { silenceId: 1, endsAt: '2026-11-22T10:00:00+07:00', reason: 'bảo trì' } }), 'firing', false],
    [alert({ severity: 'critical', silence: null }), 'firing', true],
  ] as const)('new critical? %#', (a, transition, expected) => {
    expect(isNewCritical(event(a, transition))).toBe(expected);
  });

  it('a new critical alert raises the alarm; its acknowledgement lowers it', () => {
    const store = new AlertStore();
    const critical = alert({ id: 77, severity: 'critical' });
    store.apply(event(critical));
    expect(store.getSnapshot().alarm?.alert.id).toBe(77);
    store.apply(event({ ...critical, state: 'acknowledged' }, 'acknowledged'));
    expect(store.getSnapshot().alarm).toBeNull();
  });
});

/**
 * The wall's alerts: loaded once (GET /api/v1/alerts?state=open), then kept current by the live stream's
 * alert events. Bounded: at most MAX alerts, resolved ones leave. A new critical alert raises the alarm.
 */
import type { Alert, AlertEvent } from '@dxoc/contracts';

export const MAX_ALERTS = 200;
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Shown on the wall: firing or acknowledged; critical first, then newest first. */
export function visibleAlerts(alerts: Alert[], minSeverity: 'info' | 'warning' | 'critical' = 'info'): Alert[] {
  const min = SEVERITY_RANK[minSeverity];
  return alerts
    .filter((a) => (a.state === 'firing' || a.state === 'acknowledged') && SEVERITY_RANK[a.severity] <= min)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || since(b) - since(a) || b.id - a.id);
}

function since(alert: Alert): number {
  return new Date(alert.firingSince ?? alert.pendingSince).getTime();
}

/** Apply one event to the list: pure, bounded. */
export function applyAlertEvent(alerts: Alert[], event: AlertEvent): Alert[] {
  const rest = alerts.filter((a) => a.id !== event.alert.id);
  if (event.alert.state === 'resolved') return rest;
  const next = [event.alert, ...rest];
  if (next.length <= MAX_ALERTS) return next;
  // drop the oldest, least severe first
  return visibleAlerts(next)
    .concat(next.filter((a) => a.state === 'pending'))
    .slice(0, MAX_ALERTS);
}

/** A silenced critical alert (a maintenance window) stays listed, marked, but raises no full-screen alarm. */
export function isNewCritical(event: AlertEvent): boolean {
  return event.transition === 'firing' && event.alert.severity === 'critical' && !event.alert.silence;
}

export interface AlarmState {
  alert: Alert;
  raisedAt: number;
}

export class AlertStore {
  private alerts: Alert[] = [];
  private alarm: AlarmState | null = null;
  private available: boolean | null = null;
  private readonly listeners = new Set<() => void>();
  private snapshot = { alerts: this.alerts, alarm: this.alarm, available: this.available };

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.snapshot;

  load(alerts: Alert[]): void {
    this.alerts = alerts.filter((a) => a.state !== 'resolved').slice(0, MAX_ALERTS);
    this.available = true;
    this.emit();
  }

  unavailable(): void {
    this.available = false;
    this.emit();
  }

  apply(event: AlertEvent, now = Date.now()): void {
    this.alerts = applyAlertEvent(this.alerts, event);
    this.available = true;
    if (isNewCritical(event)) this.alarm = { alert: event.alert, raisedAt: now };
    else if (this.alarm && this.alarm.alert.id === event.alert.id && event.transition !== 'firing') this.alarm = null;
    this.emit();
  }

  clearAlarm(): void {
    this.alarm = null;
    this.emit();
  }

  private emit(): void {
    this.snapshot = { alerts: this.alerts, alarm: this.alarm, available: this.available };
    for (const listener of this.listeners) listener();
  }
}

/**
 * The alert history timeline: state changes (GET /api/v1/alert-events, newest first) grouped under the Viet Nam
 * calendar day they happened on, each with its time of day, and the person behind it when there was one (the
 * engine's own transitions carry "system" or nothing). Pure.
 */
import type { AlertTimelineEntry } from '@dxoc/contracts';
import { formatClock, formatDate, type Lang } from './format';

export interface TimelineDay {
  /** "06/12/2026" / "6 Dec 2026", in the backend's zone */
  day: string;
  events: Array<AlertTimelineEntry & { time: string; person: string | null }>;
}

export function timelineDays(events: AlertTimelineEntry[], lang: Lang): TimelineDay[] {
  const days: TimelineDay[] = [];
  for (const event of events) {
    const day = formatDate(event.at, lang);
    let group = days[days.length - 1];
    // the list is ordered by time, so a day's changes are next to each other
    if (!group || group.day !== day) days.push((group = { day, events: [] }));
    const person = event.actor && event.actor !== 'system' ? event.actor : null;
    group.events.push({ ...event, time: formatClock(event.at, false), person });
  }
  return days;
}

/**
 * Calendar days typed in the console (date inputs give YYYY-MM-DD) → the API's instants, counted in the backend's
 * zone (Asia/Ho_Chi_Minh unless the deployment says otherwise), so "from 01/12 to 02/12" means those two whole days
 * in Viet Nam whatever the browser's own zone. The API's ranges are [from, to): `to` is the start of the next day.
 */
import { zoneOffsetMs } from '@dxoc/contracts';
import { timeZone } from './time';

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant `day` starts in `zone`; null for an empty or malformed day. */
export function dayStartMs(day: string, zone: string = timeZone()): number | null {
  const m = DAY.exec(day.trim());
  if (!m) return null;
  const utcMidnight = Date.UTC(+(m[1] as string), +(m[2] as string) - 1, +(m[3] as string));
  if (Number.isNaN(utcMidnight)) return null;
  // the offset at the guess, then at the corrected instant (a zone whose offset changes that day)
  const guess = utcMidnight - zoneOffsetMs(utcMidnight, zone);
  return utcMidnight - zoneOffsetMs(guess, zone);
}

/** [from, to) for the API from two typed days, either of which may be empty (no bound on that side). */
export function dayRange(fromDay: string, toDay: string, zone: string = timeZone()): { from?: string; to?: string } {
  const from = dayStartMs(fromDay, zone);
  const m = DAY.exec(toDay.trim());
  // the calendar day after `toDay` (UTC arithmetic on the date alone), then where it starts in the zone
  const nextDay = m ? new Date(Date.UTC(+(m[1] as string), +(m[2] as string) - 1, +(m[3] as string)) + DAY_MS) : null;
  const to = nextDay && !Number.isNaN(nextDay.getTime()) ? dayStartMs(nextDay.toISOString().slice(0, 10), zone) : null;
  return {
    ...(from === null ? {} : { from: new Date(from).toISOString() }),
    ...(to === null ? {} : { to: new Date(to).toISOString() }),
  };
}

/** Today in `zone` as YYYY-MM-DD, and the day `days` before it: a date input's default range. */
export function lastDays(days: number, now: number, zone: string = timeZone()): { from: string; to: string } {
  const day = (ms: number) => new Date(ms + zoneOffsetMs(ms, zone)).toISOString().slice(0, 10);
  return { from: day(now - days * DAY_MS), to: day(now) };
}

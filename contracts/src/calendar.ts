/**
 * Calendar rules in the configured time zone (DXOC_TIMEZONE, Asia/Ho_Chi_Minh unless a deployment says otherwise),
 * written once for every end: which local day an instant falls on, where a day/week/month/year bucket starts, the
 * reporting period a value belongs to. Viet Nam has no daylight saving, but nothing here assumes a fixed offset:
 * offsets come from the platform's time-zone database, so another zone gives the right answer too.
 */
import type { Cadence } from './catalog';
import { FIXED_UNIT_MS, parseDuration, type Duration } from './durations';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows this IANA time zone (config validation). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// Offsets change at most a few times a year: remember them per zone and hour, bounded so a wall that runs for
// months does not grow the table without end.
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 20_000;

/** The zone's offset from UTC at an instant, in milliseconds (+7 h = 25,200,000 for Viet Nam). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const key = `${timeZone}\u0000${Math.floor(epochMs / HOUR_MS)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
  if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** Local wall-clock time as if it were UTC: calendar arithmetic on it uses the UTC getters. */
function toLocal(epochMs: number, timeZone: string): number {
  return epochMs + zoneOffsetMs(epochMs, timeZone);
}

/** The instant of a local wall-clock time (the earlier one when a clock change repeats it). */
function fromLocal(localMs: number, timeZone: string): number {
  const guess = localMs - zoneOffsetMs(localMs, timeZone);
  return localMs - zoneOffsetMs(guess, timeZone);
}

/** "2026-12-04": the local calendar day of an instant. */
export function localDay(at: number | Date, timeZone: string): string {
  return new Date(toLocal(typeof at === 'number' ? at : at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The instant a local day ("2025-07-01") starts: how validity dates, deadlines and day buckets are cut. */
export function startOfLocalDay(day: string, timeZone: string): number {
  return fromLocal(Date.parse(`${day}T00:00:00Z`), timeZone);
}

/** Weeks start on Monday; 2000-01-03 was a Monday (the origin of TimescaleDB's time_bucket). */
const WEEK_ORIGIN = Date.UTC(2000, 0, 3);

/**
 * Start of the bucket an instant falls in, as the backend's time_bucket(bucket, ts, timeZone) computes it:
 * minutes and hours on UTC, days, weeks, months and years on the local calendar.
 */
export function bucketStart(ts: number, bucket: Duration | string, timeZone: string): number {
  const duration = typeof bucket === 'string' ? parseDuration(bucket) : bucket;
  if (!duration || duration.count < 1) throw new Error(`bad bucket "${String(bucket)}"`);
  const { count, unit } = duration;
  if (unit === 's' || unit === 'm' || unit === 'h') {
    const size = count * FIXED_UNIT_MS[unit];
    return Math.floor(ts / size) * size;
  }
  const local = toLocal(ts, timeZone);
  if (unit === 'd') return fromLocal(Math.floor(local / (count * DAY_MS)) * count * DAY_MS, timeZone);
  if (unit === 'w') {
    const size = count * 7 * DAY_MS;
    return fromLocal(WEEK_ORIGIN + Math.floor((local - WEEK_ORIGIN) / size) * size, timeZone);
  }
  const date = new Date(local);
  if (unit === 'mo') {
    const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
    const start = Math.floor(months / count) * count;
    return fromLocal(Date.UTC(Math.floor(start / 12), start % 12, 1), timeZone);
  }
  return fromLocal(Date.UTC(Math.floor(date.getUTCFullYear() / count) * count, 0, 1), timeZone);
}

/** The instant `duration` before `at`, months and years by the local calendar ("1mo" before 31 Mar is 3 Mar). */
export function subtractDuration(at: number, duration: Duration | string, timeZone: string): number {
  const parsed = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!parsed) throw new Error(`bad duration "${String(duration)}"`);
  const { count, unit } = parsed;
  if (unit !== 'mo' && unit !== 'y') return at - count * FIXED_UNIT_MS[unit];
  const local = new Date(toLocal(at, timeZone));
  if (unit === 'mo') local.setUTCMonth(local.getUTCMonth() - count);
  else local.setUTCFullYear(local.getUTCFullYear() - count);
  return fromLocal(local.getTime(), timeZone);
}

/** The bucket of each reporting cadence; irregular indicators (the biennial UN survey) have no period. */
export const CADENCE_BUCKET: Record<Exclude<Cadence, 'irregular'>, Duration> = {
  daily: { count: 1, unit: 'd' },
  weekly: { count: 1, unit: 'w' },
  monthly: { count: 1, unit: 'mo' },
  quarterly: { count: 3, unit: 'mo' },
  yearly: { count: 1, unit: 'y' },
};

/**
 * Start of the reporting period a time falls in: its local day, ISO week (from Monday), month, quarter or year;
 * null for irregular indicators, which have no period.
 */
export function periodStart(cadence: Cadence, ts: number, timeZone: string): number | null {
  return cadence === 'irregular' ? null : bucketStart(ts, CADENCE_BUCKET[cadence], timeZone);
}

/** Start of the period before the one that contains `ts`; null for irregular indicators. */
export function previousPeriodStart(cadence: Cadence, ts: number, timeZone: string): number | null {
  const current = periodStart(cadence, ts, timeZone);
  return current === null ? null : periodStart(cadence, current - 1, timeZone);
}

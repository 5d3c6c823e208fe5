/**
 * Ranges, buckets and reporting cadences on the screen, in the backend's time zone (GET /api/v1/catalog/calendar,
 * Asia/Ho_Chi_Minh unless the deployment says otherwise). The rules themselves live once in `@dxoc/contracts`;
 * this module only holds the zone the wall and console were told at start. Pure functions otherwise.
 */
import {
  bucketStart as zonedBucketStart,
  cadenceOverdueMs,
  DEFAULT_TIME_ZONE,
  isKnownTimeZone,
  periodStart as zonedPeriodStart,
  RANGE_PATTERN,
  subtractDuration,
  type Cadence,
} from '@dxoc/contracts';

export type { Cadence };

let zone = DEFAULT_TIME_ZONE;

/** Set once at start from the backend's calendar; an unknown zone keeps the default rather than break the wall. */
export function setTimeZone(timeZone: string): void {
  if (isKnownTimeZone(timeZone)) zone = timeZone;
  else console.warn(`[dxoc] unknown time zone "${timeZone}"; showing ${zone}`);
}

/** The zone every date on the screen is shown and counted in. */
export function timeZone(): string {
  return zone;
}

/**
 * A value is stale when it is older than two reporting periods: the period it stands for plus one period
 * for the unit to report it. Irregular indicators are never stale.
 */
export function isStale(ts: string | number | null | undefined, cadence: Cadence, now: number): boolean {
  if (ts === null || ts === undefined) return false;
  const overdue = cadenceOverdueMs(cadence);
  if (overdue === null) return false;
  return now - new Date(ts).getTime() > overdue;
}

/** "30d" → 30 days before now; months and years by the calendar, from now backwards. */
export function rangeStart(range: string, now: number): number {
  if (!RANGE_PATTERN.test(range)) throw new Error(`bad range "${range}"`);
  return subtractDuration(now, range, zone);
}

export function rangeMs(range: string, now: number): number {
  return now - rangeStart(range, now);
}

/** Start of the bucket a time falls in, as the backend's time_bucket computes it (days are local days). */
export function bucketStart(ts: number, bucket: string): number {
  return zonedBucketStart(ts, bucket, zone);
}

/** Start of the reporting period a time falls in, for a cadence (irregular: the calendar year). */
export function periodStart(cadence: Cadence, ts: number): number {
  return zonedPeriodStart(cadence, ts, zone) ?? zonedBucketStart(ts, '1y', zone);
}

/**
 * "Since the previous period": the moment just before the period of the newest value, so that asking for
 * the latest values at or before it gives each unit's value for the period before.
 */
export function previousPeriodAsOf(cadence: Cadence, newestTs: number): number {
  return periodStart(cadence, newestTs) - 1;
}

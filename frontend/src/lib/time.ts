/**
 * Ranges, buckets and reporting cadences, all in Viet Nam time (UTC+7, no daylight saving). Pure functions.
 */
import { VN_OFFSET_MS } from './format';

export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';

const DAY = 86_400_000;

/** Nominal length of one reporting period; null for irregular indicators (e.g. the biennial UN survey). */
export function cadencePeriodMs(cadence: Cadence): number | null {
  switch (cadence) {
    case 'daily':
      return DAY;
    case 'weekly':
      return 7 * DAY;
    case 'monthly':
      return 31 * DAY;
    case 'quarterly':
      return 92 * DAY;
    case 'yearly':
      return 366 * DAY;
    case 'irregular':
      return null;
  }
}

/**
 * A value is stale when it is older than two reporting periods: the period it stands for plus one period
 * for the unit to report it. Irregular indicators are never stale.
 */
export function isStale(ts: string | number | null | undefined, cadence: Cadence, now: number): boolean {
  if (ts === null || ts === undefined) return false;
  const period = cadencePeriodMs(cadence);
  if (period === null) return false;
  return now - new Date(ts).getTime() > 2 * period;
}

/** "30d" → 30 days in ms; months and years by the calendar, from now backwards. */
export function rangeStart(range: string, now: number): number {
  const match = /^(\d{1,4})(h|d|w|mo|y)$/.exec(range);
  if (!match) throw new Error(`bad range "${range}"`);
  const count = Number(match[1]);
  const unit = match[2];
  if (unit === 'h') return now - count * 3_600_000;
  if (unit === 'd') return now - count * DAY;
  if (unit === 'w') return now - count * 7 * DAY;
  const date = new Date(now);
  if (unit === 'mo') date.setUTCMonth(date.getUTCMonth() - count);
  else date.setUTCFullYear(date.getUTCFullYear() - count);
  return date.getTime();
}

export function rangeMs(range: string, now: number): number {
  return now - rangeStart(range, now);
}

/** Start of the bucket a time falls in, as the backend's time_bucket computes it (days are Viet Nam days). */
export function bucketStart(ts: number, bucket: string): number {
  const match = /^(\d{1,4})(m|h|d|w|mo|y)$/.exec(bucket);
  if (!match) throw new Error(`bad bucket "${bucket}"`);
  const count = Number(match[1]);
  const unit = match[2];
  if (unit === 'm' || unit === 'h') {
    const size = count * (unit === 'm' ? 60_000 : 3_600_000);
    return Math.floor(ts / size) * size;
  }
  const local = ts + VN_OFFSET_MS;
  if (unit === 'd') return Math.floor(local / (count * DAY)) * count * DAY - VN_OFFSET_MS;
  if (unit === 'w') {
    // weeks start on Monday; 2000-01-03 was a Monday (the time_bucket origin)
    const origin = Date.UTC(2000, 0, 3);
    const size = count * 7 * DAY;
    return origin + Math.floor((local - origin) / size) * size - VN_OFFSET_MS;
  }
  const date = new Date(local);
  if (unit === 'mo') {
    const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
    const start = Math.floor(months / count) * count;
    return Date.UTC(Math.floor(start / 12), start % 12, 1) - VN_OFFSET_MS;
  }
  const year = Math.floor(date.getUTCFullYear() / count) * count;
  return Date.UTC(year, 0, 1) - VN_OFFSET_MS;
}

/** Start of the reporting period a time falls in, for a cadence (irregular: the calendar year). */
export function periodStart(cadence: Cadence, ts: number): number {
  switch (cadence) {
    case 'daily':
      return bucketStart(ts, '1d');
    case 'weekly':
      return bucketStart(ts, '1w');
    case 'monthly':
      return bucketStart(ts, '1mo');
    case 'quarterly':
      return bucketStart(ts, '3mo');
    case 'yearly':
    case 'irregular':
      return bucketStart(ts, '1y');
  }
}

/**
 * "Since the previous period": the moment just before the period of the newest value, so that asking for
 * the latest values at or before it gives each unit's value for the period before.
 */
export function previousPeriodAsOf(cadence: Cadence, newestTs: number): number {
  return periodStart(cadence, newestTs) - 1;
}

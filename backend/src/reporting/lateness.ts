/**
 * How far behind a unit is with a metric, counted in whole reporting periods of the metric's cadence in the
 * configured time zone. A period's figures are due when the period ends (when the next one begins) plus the
 * metric's grace; the catalog defines no grace today, so it is 0 for every metric. Pure.
 *
 *   now 22/11 10:00, daily, last value dated 19/11 → 20/11 and 21/11 are due and missing:
 *   2 periods behind, late since 21/11 00:00 (the end of 20/11, the first missing period).
 */
import { cadencePeriodMs, localDay, periodStart, type Cadence } from '@dxoc/contracts';

export type ComplianceStatus = 'on_time' | 'late' | 'never';

export interface Lateness {
  status: ComplianceStatus;
  periodsBehind: number | null;
  firstMissingPeriod: Date | null;
  lateSince: Date | null;
  lateBySeconds: number | null;
}

/** Grace after a period's end before its figures are late; the catalog has no per-metric deadline yet. */
export const GRACE_MS = 0;

/** Start of the period after the one starting at `start`. */
export function nextPeriodStart(cadence: Exclude<Cadence, 'irregular'>, start: number, timeZone: string): number {
  // one and a half nominal periods always land in the next period (days of 23–25 h, months of 28–31 days, …)
  return periodStart(cadence, start + 1.5 * (cadencePeriodMs(cadence) as number), timeZone) as number;
}

const DAY_MS = 86_400_000;

/** Whole periods from the period starting at `a` to the one starting at `b` (b − a in periods; negative when b is earlier). */
export function periodsBetween(cadence: Exclude<Cadence, 'irregular'>, a: number, b: number, timeZone: string): number {
  const [da, db] = [localDay(a, timeZone), localDay(b, timeZone)];
  if (cadence === 'daily' || cadence === 'weekly') {
    const days = Math.round((Date.parse(db) - Date.parse(da)) / DAY_MS);
    return cadence === 'daily' ? days : Math.round(days / 7);
  }
  const months = (Number(db.slice(0, 4)) - Number(da.slice(0, 4))) * 12 + (Number(db.slice(5, 7)) - Number(da.slice(5, 7)));
  return cadence === 'monthly' ? months : cadence === 'quarterly' ? Math.round(months / 3) : Math.round(months / 12);
}

/**
 * The lateness of one unit at `now`. `lastTs`: the unit's newest value at or before now (null: none).
 * `expectedFrom`: the earliest time the unit was expected to report (for a unit that never reported: the later of its
 * first day in force and the first value any unit of its kind sent); null when unknown.
 */
export function lateness(input: {
  cadence: Cadence;
  now: number;
  lastTs: number | null;
  expectedFrom: number | null;
  timeZone: string;
  graceMs?: number;
}): Lateness {
  const { cadence, now, lastTs, expectedFrom, timeZone } = input;
  const grace = input.graceMs ?? GRACE_MS;
  const none = { periodsBehind: null, firstMissingPeriod: null, lateSince: null, lateBySeconds: null };
  if (cadence === 'irregular') return { status: lastTs === null ? 'never' : 'on_time', ...none };
  // the periods due by now are those whose due time (end + grace) has passed
  const current = periodStart(cadence, now - grace, timeZone) as number;
  let firstMissing: number | null;
  if (lastTs !== null) {
    firstMissing = nextPeriodStart(cadence, periodStart(cadence, lastTs, timeZone) as number, timeZone);
  } else if (expectedFrom !== null) {
    firstMissing = periodStart(cadence, expectedFrom, timeZone) as number;
  } else {
    return { status: 'never', ...none };
  }
  const behind = Math.max(0, periodsBetween(cadence, firstMissing, current, timeZone));
  if (behind === 0)
    return {
      status: lastTs === null ? 'never' : 'on_time',
      periodsBehind: 0,
      firstMissingPeriod: null,
      lateSince: null,
      lateBySeconds: null,
    };
  const lateSince = nextPeriodStart(cadence, firstMissing, timeZone) + grace;
  return {
    status: lastTs === null ? 'never' : 'late',
    periodsBehind: behind,
    firstMissingPeriod: new Date(firstMissing),
    lateSince: new Date(lateSince),
    lateBySeconds: Math.round((now - lateSince) / 1000),
  };
}

const ORDER: Record<ComplianceStatus, number> = { never: 0, late: 1, on_time: 2 };

/** The worse of two statuses: never reported, then late, then on time. */
export function worseStatus(a: ComplianceStatus, b: ComplianceStatus): ComplianceStatus {
  return ORDER[a] <= ORDER[b] ? a : b;
}

import type { Cadence } from '../catalog/seed/types';

/** Vietnam has no daylight saving: local calendar arithmetic is UTC arithmetic shifted by 7 hours. */
const VN_OFFSET_MS = 7 * 3_600_000;

/**
 * Start (as an instant) of the reporting period of `cadence` that contains `now`, in the Vietnamese calendar:
 * today, this ISO week (from Monday), this month, this quarter, this year. null for irregular metrics.
 */
export function periodStart(cadence: Cadence, now: Date): Date | null {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  let startLocal: number;
  switch (cadence) {
    case 'daily':
      startLocal = Date.UTC(y, m, d);
      break;
    case 'weekly': {
      const mondayOffset = (local.getUTCDay() + 6) % 7;
      startLocal = Date.UTC(y, m, d - mondayOffset);
      break;
    }
    case 'monthly':
      startLocal = Date.UTC(y, m, 1);
      break;
    case 'quarterly':
      startLocal = Date.UTC(y, m - (m % 3), 1);
      break;
    case 'yearly':
      startLocal = Date.UTC(y, 0, 1);
      break;
    default:
      return null;
  }
  return new Date(startLocal - VN_OFFSET_MS);
}

/** Start of the period before the one that starts at `start`. */
export function previousPeriodStart(cadence: Cadence, start: Date): Date | null {
  const justBefore = new Date(start.getTime() - 1);
  return periodStart(cadence, justBefore);
}

import type { Cadence } from '../catalog/seed/types';
import { DURATION_PATTERN } from '../contracts/alerts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const LARGEST_FIRST = ['w', 'd', 'h', 'm', 's'] as const;

/** "15m" → 900 (seconds); null when the text is not a duration. */
export function durationSeconds(text: string): number | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return null;
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}

/** 900 → "15m", 3600 → "1h", 0 → "0s": the largest unit that divides evenly (how rules read back). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const unit of LARGEST_FIRST) {
    const size = UNIT_SECONDS[unit] as number;
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

const DAY_MS = 86_400_000;
/** The longest gap between two values of a period (a month of 31 days, a quarter of 92, a leap year). */
const CADENCE_PERIOD_MS: Record<Exclude<Cadence, 'irregular'>, number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 31 * DAY_MS,
  quarterly: 92 * DAY_MS,
  yearly: 366 * DAY_MS,
};

/**
 * How long a unit may go without a newer value before "no data" holds for a rule without `after`: two periods of
 * the metric's cadence. A value dated anywhere in its period may arrive up to a period later; when two periods pass
 * with nothing newer, at least one period was missed. null for 'irregular' metrics (no expected cadence).
 */
export function cadenceOverdueMs(cadence: Cadence): number | null {
  if (cadence === 'irregular') return null;
  return 2 * CADENCE_PERIOD_MS[cadence];
}

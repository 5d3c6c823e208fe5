/**
 * Durations, written once: "30s" in alert rules, "15m"/"1h"/"1mo" time buckets, "24h"/"30d"/"10y" wall ranges.
 * Each place accepts a subset of the units (a rule cannot wait "1mo": months have no fixed length), but every
 * place reads them with the same parser, so "1w" means the same thing on the wire, in YAML and in the charts.
 */
import { z } from 'zod';

/** s second · m minute · h hour · d day · w week (Monday-based for buckets) · mo month · y year */
export const DURATION_UNITS = ['s', 'm', 'h', 'd', 'w', 'mo', 'y'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  count: number;
  unit: DurationUnit;
}

/** Words the API also accepts for a unit ("6 hours" is Postgres interval text). */
const UNIT_WORDS: Record<DurationUnit, readonly string[]> = {
  s: ['sec', 'secs', 'second', 'seconds'],
  m: ['min', 'mins', 'minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
  mo: ['month', 'months'],
  y: ['year', 'years'],
};

/** Units of a fixed length, in milliseconds; months and years follow the calendar (see calendar.ts). */
export const FIXED_UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type FixedDurationUnit = keyof typeof FIXED_UNIT_MS;

/** Alert rules: fixed lengths only. */
export const RULE_DURATION_UNITS = ['s', 'm', 'h', 'd', 'w'] as const satisfies readonly FixedDurationUnit[];
/** time_bucket widths. */
export const BUCKET_UNITS = ['m', 'h', 'd', 'w', 'mo', 'y'] as const satisfies readonly DurationUnit[];
/** How far back a panel looks. */
export const RANGE_UNITS = ['h', 'd', 'w', 'mo', 'y'] as const satisfies readonly DurationUnit[];

function durationPattern(units: readonly DurationUnit[], options: { words?: boolean; maxDigits?: number } = {}): RegExp {
  const names = units.flatMap((unit) => (options.words ? [unit, ...UNIT_WORDS[unit]] : [unit]));
  // longest first, so "mo" is tried before "m" and "minutes" before "min"
  const alternatives = [...names].sort((a, b) => b.length - a.length).join('|');
  return new RegExp(`^(\\d{1,${options.maxDigits ?? 4}})${options.words ? '\\s*' : ''}(${alternatives})$`, options.words ? 'i' : '');
}

/** "30s", "15m", "2h", "3d", "1w": durations in rules. */
export const DURATION_PATTERN = durationPattern(RULE_DURATION_UNITS, { maxDigits: 5 });
/** "15m", "1h", "1d", "1w", "1mo", "1y" — and, on the API, Postgres interval text such as "6 hours". */
export const BUCKET_PATTERN = durationPattern(BUCKET_UNITS, { words: true });
/** The dashboards' strict bucket syntax: "15m", "1h", "1d", "1w", "1mo", "1y". */
export const BUCKET_SHORT_PATTERN = durationPattern(BUCKET_UNITS);
/** "24h", "30d", "12mo", "10y". */
export const RANGE_PATTERN = durationPattern(RANGE_UNITS);

const ANY_DURATION_PATTERN = durationPattern(DURATION_UNITS, { words: true, maxDigits: 5 });
const UNIT_BY_NAME = new Map<string, DurationUnit>(
  DURATION_UNITS.flatMap((unit) => [[unit, unit] as const, ...UNIT_WORDS[unit].map((word) => [word, unit] as const)]),
);

/** "15m" → { count: 15, unit: 'm' }, "6 hours" → { count: 6, unit: 'h' }; null when the text is no duration. */
export function parseDuration(text: string): Duration | null {
  const match = ANY_DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  return { count: Number(match[1]), unit: UNIT_BY_NAME.get((match[2] as string).toLowerCase()) as DurationUnit };
}

/** Length in milliseconds of a fixed-length duration; null for months and years. */
export function fixedDurationMs(duration: Duration): number | null {
  return duration.unit === 'mo' || duration.unit === 'y' ? null : duration.count * FIXED_UNIT_MS[duration.unit];
}

/** "15m" → 900 (seconds); null when the text is not a rule duration. */
export function durationSeconds(text: string): number | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return null;
  return (Number(match[1]) * FIXED_UNIT_MS[match[2] as FixedDurationUnit]) / 1000;
}

const LARGEST_FIRST: readonly FixedDurationUnit[] = ['w', 'd', 'h', 'm', 's'];

/** 900 → "15m", 3600 → "1h", 0 → "0s": the largest unit that divides evenly (how rules read back). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const unit of LARGEST_FIRST) {
    const size = FIXED_UNIT_MS[unit] / 1000;
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** zod fields for each kind of duration, with the message an operator or a dashboard author needs. */
export const RuleDurationText = z.string().regex(DURATION_PATTERN, 'a duration like "30s", "15m", "2h", "3d", "1w"');
export const BucketText = z.string().regex(BUCKET_SHORT_PATTERN, 'a bucket like "1h", "1d", "1mo"');
export const RangeText = z.string().regex(RANGE_PATTERN, 'a range like "24h", "30d", "12mo", "10y"');

/**
 * The catalog's vocabulary, written once: unit kinds, metric kinds, cadences, aggregations, and the shapes of the
 * reference data (units, metrics, targets) that the backend seeds, the dashboards validate against and the
 * simulator reports for. Seeding only inserts what is missing, so staff edits made later are never overwritten.
 */
import { z } from 'zod';

export const UNIT_KINDS = ['nation', 'province', 'ministry'] as const;
export const UnitKindSchema = z.enum(UNIT_KINDS);
export type UnitKind = (typeof UNIT_KINDS)[number];

/** gauge: a level at a time; counter: cumulative total that never decreases; ratio: a percentage 0–100. */
export const METRIC_KINDS = ['gauge', 'counter', 'ratio'] as const;
export const MetricKindSchema = z.enum(METRIC_KINDS);
export type MetricKind = (typeof METRIC_KINDS)[number];

/** How often each reporting unit is expected to send a value. */
export const CADENCES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const CadenceSchema = z.enum(CADENCES);
export type Cadence = (typeof CADENCES)[number];

/** How values are combined in a time bucket. */
export const AGGREGATIONS = ['avg', 'sum', 'min', 'max', 'last'] as const;
export const AggregationSchema = z.enum(AGGREGATIONS);
export type Aggregation = (typeof AGGREGATIONS)[number];

export const BETTER_WHEN = ['higher', 'lower'] as const;
export const TARGET_COMPARATORS = ['>=', '<='] as const;

export interface SeedUnit {
  /** ASCII code used on the wire: GSO code for provinces ("79"), folded issuing-body symbol for ministries ("BKHDT"), "VN". */
  code: string;
  kind: UnitKind;
  nameVi: string;
  nameEn: string;
  fullNameVi: string;
  fullNameEn: string;
  /** Issuing-body symbol as printed in legal documents, with diacritics ("BKHĐT"); null for provinces. */
  symbol: string | null;
  /** First day in force (YYYY-MM-DD), null when in force before any data we hold. */
  validFrom: string | null;
  /** First day NO LONGER in force (YYYY-MM-DD, half-open), null while in force. */
  validUntil: string | null;
  /** Codes of the units that took over on validUntil (empty while in force). */
  successors: string[];
  /** Legal instrument behind the current form or the dissolution. */
  legalBasis: string | null;
}

export interface SeedMetric {
  /** Lower-case dotted code, e.g. "dvc.services_online": ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ */
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  /** Unit of measure shown next to values: "dịch vụ/services", "%", "bản ghi/records", "hạng/rank". Keep it bilingual "vi/en" when it is a word. */
  unitOfMeasure: string;
  /** gauge: a level at a time; counter: cumulative total that never decreases; ratio: a percentage 0–100. */
  kind: MetricKind;
  /**
   * Valid range, inclusive; null = the default for the metric's kind and unit of measure (defaultValueRange), so
   * every metric has a finite range (plausibleRange). Ratios are always 0..100.
   */
  min: number | null;
  max: number | null;
  /** How often each reporting unit is expected to send a value. */
  cadence: Cadence;
  /** "lower" for ranks (EGDI rank 71 is better than 99). */
  betterWhen: (typeof BETTER_WHEN)[number];
  /** How values are combined in a time bucket when the caller does not say. */
  defaultAggregation: Aggregation;
  /** Unit kinds that may carry values of this metric. */
  unitKinds: UnitKind[];
  /** Who reports it: unit codes (e.g. "VPCP", "BCA") and/or unit kinds ("province", "ministry"). */
  reportedBy: string[];
  /** The national system the figures come from, vi/en, or null. */
  sourceSystemVi: string | null;
  sourceSystemEn: string | null;
}

export interface SeedTarget {
  metricCode: string;
  /** Unit the target applies to: "VN" for national targets. */
  unitCode: string;
  value: number;
  /** ">=" : reach at least value (most targets); "<=" : at most (ranks: top 70 means rank <= 70). */
  comparator: (typeof TARGET_COMPARATORS)[number];
  /** Last day to meet it, YYYY-MM-DD. */
  deadline: string;
  /** Legal source as cited, e.g. "Nghị quyết 17/NQ-CP (07/3/2019)". */
  legalSourceVi: string;
  legalSourceEn: string;
}

/** A dated figure with its citation, stored as an observation (the seeded history, the published surveys). */
export interface SeedObservation {
  metricCode: string;
  unitCode: string;
  /** The time the value is for, ISO-8601 with offset, e.g. "2022-04-27T00:00:00+07:00". */
  ts: string;
  value: number;
  /** Where the figure comes from: a notice ("Thông báo 8540/TB-VPCP, 23/9/2019") or a URL. */
  source: string;
}

/**
 * No value and no bound of any metric goes beyond ±10^15: seven orders of magnitude above any count Viet Nam
 * reports (its population is ~10^8), and far below where a sum of doubles overflows (~1.8·10^308; a day of one
 * series would need 10^293 values). Continuous aggregates leave out any stored value beyond it
 * (backend/migrations/007_plausible_values.sql), so one value can never break an aggregate shared by every series.
 */
export const PLAUSIBLE_MAGNITUDE = 1e15;
/** Default upper bound of a count of things (services, records, invoices, people…) when the catalog sets none. */
export const DEFAULT_COUNT_MAX = 1e12;

export interface ValueRange {
  min: number;
  max: number;
}

/**
 * The range a metric's values keep to when the catalog sets no bound, from its kind and unit of measure: a
 * percentage 0–100; a rank 1–10,000 (no ranking we report has more places); a count of things, named by a
 * bilingual word "vi/en" ("hồ sơ/applications"), and every counter (a running total): 0–10^12; any other unit
 * ±10^15.
 */
export function defaultValueRange(kind: MetricKind, unitOfMeasure: string): ValueRange {
  const unit = unitOfMeasure.trim().toLowerCase();
  if (kind === 'ratio' || unit === '%') return { min: 0, max: 100 };
  if (unit.endsWith('/rank')) return { min: 1, max: 10_000 };
  if (kind === 'counter' || /^[^/]+\/[a-z ]+$/.test(unit)) return { min: 0, max: DEFAULT_COUNT_MAX };
  return { min: -PLAUSIBLE_MAGNITUDE, max: PLAUSIBLE_MAGNITUDE };
}

/**
 * The finite range a metric's values must keep to: its own bounds where the catalog sets them, the default for its
 * kind and unit of measure where it does not (null), never beyond ±PLAUSIBLE_MAGNITUDE.
 */
export function plausibleRange(metric: Pick<SeedMetric, 'kind' | 'unitOfMeasure' | 'min' | 'max'>): ValueRange {
  const fallback = defaultValueRange(metric.kind, metric.unitOfMeasure);
  const clamp = (value: number) => Math.min(PLAUSIBLE_MAGNITUDE, Math.max(-PLAUSIBLE_MAGNITUDE, value));
  return { min: clamp(metric.min ?? fallback.min), max: clamp(metric.max ?? fallback.max) };
}

const DAY_MS = 86_400_000;
/** The longest a reporting period lasts (a month of 31 days, a quarter of 92, a leap year); null when irregular. */
const CADENCE_PERIOD_MS: Record<Cadence, number | null> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 31 * DAY_MS,
  quarterly: 92 * DAY_MS,
  yearly: 366 * DAY_MS,
  irregular: null,
};

export function cadencePeriodMs(cadence: Cadence): number | null {
  return CADENCE_PERIOD_MS[cadence];
}

/**
 * How long a unit may go without a newer value before it is overdue: two periods of the metric's cadence. A value
 * dated anywhere in its period may arrive up to a period later; when two periods pass with nothing newer, at least
 * one period was missed. null for irregular metrics (no expected cadence, e.g. the biennial UN survey).
 */
export function cadenceOverdueMs(cadence: Cadence): number | null {
  const period = CADENCE_PERIOD_MS[cadence];
  return period === null ? null : 2 * period;
}

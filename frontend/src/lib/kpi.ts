/**
 * What a KPI tile shows, computed from its series, and what it compares that value with: pure, so it is tested
 * without a browser.
 *
 * Comparisons are fair or say they are not. The page chooses one reference for all its tiles (`compare:` in
 * dashboards/pages/*.yaml): the same time of the previous day/week/month/year, or the whole previous period. A tile
 * then compares with the value it would have shown at that instant: a running amount ("today so far") with the
 * reference period's amount up to the same time, taken from the revisions the backend kept of the reference
 * period's running value (GET /api/v1/history); a level or a total with its value as it stood then. When the
 * same-time value cannot be known (the reference day was loaded afterwards in one go) the tile compares with the
 * whole reference period and says so ("so với cả ngày 04/12"), and the change is not coloured as good or bad.
 */
import { parseDuration, type Aggregation } from '@dxoc/contracts';
import type { CompareMode } from '@dxoc/dashboards/schema';
import { wallClock, type Lang } from './format';
import type { Pt } from './series-buffer';
import { deadlineMs, meets, pickTarget, progressPercent, type TargetLike } from './targets';
import { bucketStart, isStale, periodStart, rangeStart, type Cadence } from './time';

export type ComparePeriod = 'day' | 'week' | 'month' | 'year';
export interface CompareSetting {
  /** the same time of the previous period, or the whole previous period */
  kind: 'same-time' | 'complete';
  period: ComparePeriod;
}

const PERIOD_BUCKET: Record<ComparePeriod, '1d' | '1w' | '1mo' | '1y'> = { day: '1d', week: '1w', month: '1mo', year: '1y' };
const DAY_MS = 86_400_000;

/** "same-time-previous-day" → { same-time, day }; "none" → null. */
export function compareSetting(mode: CompareMode): CompareSetting | null {
  if (mode === 'none') return null;
  const same = /^same-time-previous-(day|week|month|year)$/.exec(mode);
  if (same) return { kind: 'same-time', period: same[1] as ComparePeriod };
  const complete = /^previous-complete-(day|week|month|year)$/.exec(mode);
  if (complete) return { kind: 'complete', period: complete[1] as ComparePeriod };
  throw new Error(`unknown compare mode "${mode}"`);
}

/** Start of the bucket after the one that starts at `start` (days, weeks, months and years on the local calendar). */
export function nextBucketStart(start: number, bucket: string): number {
  const duration = parseDuration(bucket);
  if (!duration) throw new Error(`bad bucket "${bucket}"`);
  const { count, unit } = duration;
  const step =
    unit === 'mo'
      ? count * 31 * DAY_MS + DAY_MS
      : unit === 'y'
        ? count * 366 * DAY_MS + DAY_MS
        : unit === 'd' || unit === 'w'
          ? count * (unit === 'w' ? 7 : 1) * DAY_MS + 2 * 3_600_000
          : count * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1_000);
  return bucketStart(start + step, bucket);
}

/**
 * The page's reference instant: the same time of the previous day/week/month/year (31 Mar → the end of 28 Feb, not
 * 3 Mar; 29 Feb → the end of 28 Feb of the year before), or the last moment of the previous complete period.
 * Periods are local (Asia/Ho_Chi_Minh): "yesterday" starts at 00:00 Viet Nam time whatever the screen's zone.
 */
export function referenceInstant(setting: CompareSetting, now: number): number {
  const bucket = PERIOD_BUCKET[setting.period];
  const current = bucketStart(now, bucket);
  if (setting.kind === 'complete') return current - 1;
  const shifted = rangeStart(bucket, now);
  // a day of the month that the previous month does not have runs over into the current period
  if (shifted >= current) return current - 1;
  if (setting.period === 'year') {
    const month = rangeStart('1y', bucketStart(now, '1mo'));
    if (bucketStart(shifted, '1mo') !== month) return nextBucketStart(month, '1mo') - 1;
  }
  return shifted;
}

/**
 * How a tile's value is made: an amount of its current bucket (a per-period count summed: "today so far"), the
 * latest value (a level or a running total), or another aggregate over the current bucket.
 */
export type TileMeasure = 'amount' | 'level' | 'aggregate';

export function tileMeasure(query: { bucket?: string | undefined; agg?: Aggregation | undefined }, defaultAgg: Aggregation): TileMeasure {
  if (!query.bucket) return 'level';
  const agg = query.agg ?? defaultAgg;
  if (agg === 'sum') return 'amount';
  if (agg === 'last') return 'level';
  return 'aggregate';
}

/** What has to be read to know the tile's value at the reference instant. */
export type ReferencePlan =
  /** the latest value at or before `at` (GET /latest?asOf=) */
  | { measure: 'level'; setting: CompareSetting; at: number }
  /** the aggregate over [from, to) (GET /aggregate) */
  | { measure: 'aggregate'; setting: CompareSetting; at: number; from: number; to: number; agg: Aggregation }
  /**
   * the amount of the reference bucket [from, end) up to `at`: the complete reporting periods [from, partialTs)
   * and the running value of the period that starts at partialTs as it stood at `at` (its revisions); when `at` is
   * the bucket's last moment (complete) the whole bucket. partialTs is null when the metric has no reporting period
   * (irregular): then only the whole bucket can be known.
   */
  | { measure: 'amount'; setting: CompareSetting; at: number; from: number; end: number; complete: boolean; partialTs: number | null };

export function planReference(
  setting: CompareSetting | null,
  now: number,
  tile: { bucket?: string | undefined; agg?: Aggregation | undefined; defaultAgg: Aggregation; cadence: Cadence },
): ReferencePlan | null {
  if (!setting) return null;
  const at = referenceInstant(setting, now);
  const measure = tileMeasure(tile, tile.defaultAgg);
  if (measure === 'level' || !tile.bucket) return { measure: 'level', setting, at };
  const from = bucketStart(at, tile.bucket);
  if (measure === 'aggregate') return { measure, setting, at, from, to: at + 1, agg: tile.agg ?? tile.defaultAgg };
  const end = nextBucketStart(from, tile.bucket);
  const complete = at >= end - 1;
  const period = tile.cadence === 'irregular' ? null : periodStart(tile.cadence, at);
  return { measure, setting, at, from, end, complete, partialTs: complete || period === null ? null : Math.max(from, period) };
}

/** A revision of a stored value: what it was, and when the backend received it. */
export interface RevisionLike {
  value: number;
  receivedAt: string;
}

/** The value as it stood at `at`: the newest revision received by then; null when none had been received. */
export function valueKnownAt(revisions: readonly RevisionLike[], at: number): number | null {
  let best: { value: number; t: number } | null = null;
  for (const r of revisions) {
    const t = Date.parse(r.receivedAt);
    if (t <= at && (!best || t >= best.t)) best = { value: r.value, t };
  }
  return best ? best.value : null;
}

/** What the reads of a plan returned (null: nothing stored). */
export interface ReferenceData {
  /** level: the latest value at or before `at`; aggregate: the aggregate over [from, to) */
  value?: number | null;
  /** amount: the whole reference bucket, with every value as it stands now */
  whole?: number | null;
  /** amount: the complete reporting periods before partialTs (0 when there are none) */
  before?: number | null;
  /** amount: the revisions of the running value at partialTs; null when nothing is stored there */
  revisions?: readonly RevisionLike[] | null;
}

/** The value a tile compares with, and what it is. */
export interface Reference {
  value: number;
  /**
   * same-time: the value at the same time of the reference period; end-of-period: as it stood at the end of the
   * previous period; whole-period: the amount of the whole reference bucket (a running amount against a whole one)
   */
  kind: 'same-time' | 'end-of-period' | 'whole-period';
  /** the instant compared with */
  at: number;
  /** the reference span: the page's period (same-time, end-of-period) or the tile's bucket (whole-period) */
  from: number;
  to: number;
  /** the unit of that span, for the label: d, w, mo, y (h, m for sub-daily buckets) */
  unit: string;
  /** both sides cover the same part of their periods: the change may be called good or bad */
  fair: boolean;
}

/** The reference of a plan from what was read; null when there is nothing to compare with. */
export function resolveReference(plan: ReferencePlan, data: ReferenceData): Reference | null {
  const pageBucket = PERIOD_BUCKET[plan.setting.period];
  const pageFrom = bucketStart(plan.at, pageBucket);
  const asOf = (value: number): Reference => ({
    value,
    kind: plan.setting.kind === 'same-time' ? 'same-time' : 'end-of-period',
    at: plan.at,
    from: pageFrom,
    to: nextBucketStart(pageFrom, pageBucket),
    unit: parseDuration(pageBucket)!.unit,
    fair: true,
  });
  if (plan.measure !== 'amount') return data.value === null || data.value === undefined ? null : asOf(data.value);
  const whole = (value: number): Reference => ({
    value,
    kind: 'whole-period',
    at: plan.end - 1,
    from: plan.from,
    to: plan.end,
    unit: unitOfSpan(plan.from, plan.end),
    // the tile's own bucket is still running (a complete one is not "the current period" of a tile)
    fair: false,
  });
  if (!plan.complete && plan.partialTs !== null && data.revisions && data.before !== null && data.before !== undefined) {
    const running = valueKnownAt(data.revisions, plan.at);
    if (running !== null) return asOf(data.before + running);
  }
  return data.whole === null || data.whole === undefined ? null : whole(data.whole);
}

function unitOfSpan(from: number, to: number): string {
  const days = (to - from) / DAY_MS;
  if (days >= 365) return 'y';
  if (days >= 28) return 'mo';
  if (days >= 7 && days < 8) return 'w';
  if (days >= 1 && days < 2) return 'd';
  return days >= 1 ? 'd' : 'h';
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "04/12" / "4 Dec" (with the year when it is not the current one), in Viet Nam time. */
function shortDate(t: number, lang: Lang, now: number): string {
  const d = wallClock(t);
  const withYear = d.getUTCFullYear() !== wallClock(now).getUTCFullYear();
  const day = String(d.getUTCDate()).padStart(2, '0');
  const month = String(d.getUTCMonth() + 1).padStart(2, '0');
  if (lang === 'vi') return `${day}/${month}${withYear ? `/${d.getUTCFullYear()}` : ''}`;
  return `${d.getUTCDate()} ${EN_MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
}

/** "ngày 04/12", "tuần 30/11–06/12", "tháng 11/2026", "năm 2025" (and English) for a span of the calendar. */
function spanName(from: number, to: number, unit: string, lang: Lang, now: number): string {
  const d = wallClock(from);
  const vi = lang === 'vi';
  if (unit === 'y') return vi ? `năm ${d.getUTCFullYear()}` : String(d.getUTCFullYear());
  if (unit === 'mo')
    return vi
      ? `tháng ${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`
      : `${EN_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (unit === 'w') return `${vi ? 'tuần' : 'the week'} ${shortDate(from, lang, now)}–${shortDate(to - 1, lang, now)}`;
  if (unit === 'd') return vi ? `ngày ${shortDate(from, lang, now)}` : shortDate(from, lang, now);
  const clock = (t: number) => {
    const c = wallClock(t);
    return `${String(c.getUTCHours()).padStart(2, '0')}:${String(c.getUTCMinutes()).padStart(2, '0')}`;
  };
  return `${clock(from)}–${clock(to)} ${shortDate(from, lang, now)}`;
}

/**
 * What the change is measured against, stated on the tile: "so với 04/12 cùng giờ", "so với cả ngày 04/12",
 * "so với cuối tháng 11/2026" (and in English).
 */
export function referenceLabel(reference: Reference, lang: Lang, now: number): string {
  const vi = lang === 'vi';
  if (reference.kind === 'same-time') {
    if (reference.unit === 'd')
      return vi ? `so với ${shortDate(reference.at, lang, now)} cùng giờ` : `vs ${shortDate(reference.at, lang, now)}, same time`;
    return vi ? `so với cùng thời điểm ${shortDate(reference.at, lang, now)}` : `vs the same time on ${shortDate(reference.at, lang, now)}`;
  }
  const span = spanName(reference.from, reference.to, reference.unit, lang, now);
  if (reference.kind === 'end-of-period') return vi ? `so với cuối ${span}` : `vs the end of ${span}`;
  return vi ? `so với cả ${span}` : `vs all of ${span}`;
}

export interface KpiSummary {
  value: number | null;
  /** the time the newest value is for */
  asOf: number | null;
  /** the value minus the reference's (null: no reference, or no value of the current period yet) */
  change: number | null;
  /** what the change is measured against (the page's reference, resolved for this tile) */
  reference: Reference | null;
  /** the change may be called good or bad: both sides cover the same part of their periods */
  fairChange: boolean;
  stale: boolean;
  target: TargetLike | null;
  progress: number | null;
  targetMet: boolean | null;
  deadlinePassed: boolean;
  /** the colour of the highest threshold the value reaches */
  thresholdColour: string | null;
}

export function kpiSummary(
  points: Pt[],
  options: {
    metric: string;
    unit: string;
    cadence: Cadence;
    targets: TargetLike[];
    thresholds: Array<{ value: number; colour: string }>;
    now: number;
    /** the page's reference for this tile (resolveReference) */
    reference?: Reference | null;
    /**
     * for a tile that shows an amount of its current bucket: the start of that bucket. A newest value of an
     * earlier bucket is not "today so far" (today has no value yet), so it is not compared.
     */
    currentBucketStart?: number | null;
  },
): KpiSummary {
  const last = points[points.length - 1] ?? null;
  const reference = options.reference ?? null;
  const current = last !== null && (options.currentBucketStart == null || last.t >= options.currentBucketStart);
  const target = pickTarget(options.targets, options.metric, options.unit, options.now);
  const value = last ? last.v : null;
  const reached = options.thresholds.filter((t) => value !== null && value >= t.value).sort((a, b) => b.value - a.value)[0];
  return {
    value,
    asOf: last ? last.t : null,
    change: last && reference && current ? last.v - reference.value : null,
    reference,
    fairChange: reference?.fair ?? false,
    stale: last ? isStale(last.t, options.cadence, options.now) : false,
    target,
    progress: target ? progressPercent(value, target) : null,
    targetMet: target && value !== null ? meets(value, target) : null,
    deadlinePassed: target ? options.now > deadlineMs(target.deadline) : false,
    thresholdColour: reached?.colour ?? null,
  };
}

/**
 * Targets as the committee means them, and the one projection method. Pure, written once: the backend serves the
 * status of every target (GET /api/v1/targets), the target_at_risk alert condition and its backtest project with
 * `projectSeries`, and the wall and console only show what this module computed.
 *
 * Status of a target (value V, comparator, deadline D = the end of D's day in the configured time zone):
 * - met_on_time: the value at the deadline (the last value at or before D) meets V; while D is ahead, the latest
 *   value meets V. `reachedAt` is when it has held since (the first value of the run of values meeting V).
 * - met_late: the value at D did not meet V, a later value did; `reachedAt` is the first such value's ts (the first
 *   value on record that meets V: the real crossing may lie between it and the value before it).
 * - missed: D has passed and no value at or after it meets V.
 * - at_risk / on_track: D is ahead, the latest value does not meet V, and the projection at D misses / meets V.
 * - cannot_assess: D is ahead, the latest value does not meet V, and the series cannot be projected (or no data).
 *
 * Projection (`projectSeries`): at most PROJECTION_POINTS latest values known at `now`, at least
 * MIN_PROJECTION_POINTS distinct times, projected no further ahead than MAX_HORIZON_FACTOR × the time they span;
 * otherwise no value and the reason. With HOLT_MIN_POINTS or more, Holt's linear trend (double exponential
 * smoothing, adapted to uneven spacing; α and β fitted on one-step-ahead errors); with fewer, the least-squares line.
 * The band is an 80% prediction interval from the one-step (Holt) or regression (line) residuals.
 */
import { z } from 'zod';
import { startOfLocalDay } from './calendar';
import { TARGET_COMPARATORS } from './catalog';

/** The projection reads at most this many of the latest values (live rule, backtest and target status alike). */
export const PROJECTION_POINTS = 24;
/** Fewer distinct times than this: no projection. */
export const MIN_PROJECTION_POINTS = 4;
/** With at least this many, Holt's linear trend; below it, a straight line. */
export const HOLT_MIN_POINTS = 6;
/** No projection further ahead of the last value than this many times the span of the values used. */
export const MAX_HORIZON_FACTOR = 2;
/** z of the two-sided 80% band. */
const Z80 = 1.2816;

export const TARGET_STATUSES = ['missed', 'at_risk', 'cannot_assess', 'on_track', 'met_late', 'met_on_time'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const PROJECTION_METHODS = ['holt', 'linear'] as const;
export const NO_PROJECTION_REASONS = ['no_data', 'too_few_points', 'horizon_too_far', 'deadline_passed'] as const;
export type NoProjectionReason = (typeof NO_PROJECTION_REASONS)[number];

export const ProjectionSchema = z
  .object({
    method: z.enum(PROJECTION_METHODS).nullable().meta({ description: 'null: no projection (see reason)' }),
    at: z.string().meta({ description: 'the instant projected to (ISO-8601)' }),
    value: z.number().nullable(),
    low: z.number().nullable().meta({ description: 'lower end of the 80% band' }),
    high: z.number().nullable().meta({ description: 'upper end of the 80% band' }),
    pointsUsed: z.number().int(),
    reason: z.enum(NO_PROJECTION_REASONS).nullable().meta({ description: 'why there is no projection' }),
  })
  .meta({ id: 'Projection' });
export type Projection = z.infer<typeof ProjectionSchema>;

export const TargetStatusSchema = z
  .object({
    target: z.object({
      id: z.number().int(),
      metricCode: z.string(),
      unitCode: z.string(),
      value: z.number(),
      comparator: z.enum(TARGET_COMPARATORS),
      deadline: z.string(),
      legalSourceVi: z.string(),
      legalSourceEn: z.string(),
    }),
    status: z.enum(TARGET_STATUSES),
    current: z.boolean().meta({ description: 'the deadline is still ahead' }),
    reachedAt: z.string().nullable().meta({ description: 'met_on_time / met_late: since when the value meets the target' }),
    latest: z.object({ ts: z.string(), value: z.number() }).nullable(),
    atDeadline: z
      .object({ ts: z.string(), value: z.number() })
      .nullable()
      .meta({ description: 'the last value at or before the deadline' }),
    progress: z.number().nullable().meta({ description: '0–100 of the way to the target, latest value' }),
    projection: ProjectionSchema.nullable().meta({ description: 'at the deadline; null once the deadline has passed' }),
  })
  .meta({ id: 'TargetStatus' });
export type TargetStatusRow = z.infer<typeof TargetStatusSchema>;

export const TargetsQuery = z
  .object({
    metric: z.string().optional(),
    unit: z.string().optional(),
    when: z.enum(['current', 'past', 'all']).default('all').meta({ description: 'current: deadline ahead; past: deadline passed' }),
  })
  .meta({ id: 'TargetsQuery' });
export const TargetsResponse = z.object({ at: z.string(), targets: z.array(TargetStatusSchema) }).meta({ id: 'TargetsResponse' });
export type TargetsResponse = z.infer<typeof TargetsResponse>;

export interface TargetRef {
  id: number;
  metricCode: string;
  unitCode: string;
  value: number;
  comparator: '>=' | '<=';
  deadline: string;
}

export interface TimedValue {
  /** epoch ms */
  t: number;
  v: number;
}

/** The last instant of a deadline day in the time zone ("2025-12-31" → 2025-12-31T23:59:59.999 local). */
export function deadlineEndMs(deadline: string, timeZone: string): number {
  const next = new Date(Date.parse(`${deadline}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfLocalDay(next, timeZone) - 1;
}

export function meetsTarget(value: number, target: Pick<TargetRef, 'value' | 'comparator'>): boolean {
  return target.comparator === '>=' ? value >= target.value : value <= target.value;
}

/** 0–100: how far the value is towards the target (rank-like "<=" targets: target / value). */
export function targetProgress(value: number | null, target: Pick<TargetRef, 'value' | 'comparator'>): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (meetsTarget(value, target)) return 100;
  if (target.comparator === '>=') return target.value === 0 ? 100 : Math.max(0, (value / target.value) * 100);
  return value === 0 ? 100 : Math.max(0, (target.value / value) * 100);
}

/**
 * The target a tile shows as its headline: the nearest deadline not yet passed; null when every deadline has passed
 * (an expired target is shown only where a page asks for past targets).
 */
export function currentTarget<T extends TargetRef>(
  targets: readonly T[],
  metric: string,
  unit: string,
  now: number,
  timeZone: string,
): T | null {
  const ahead = targets
    .filter((t) => t.metricCode === metric && t.unitCode === unit && deadlineEndMs(t.deadline, timeZone) >= now)
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  return ahead[0] ?? null;
}

/** Sorted by time, one value per time (the last given wins), only finite values. */
function clean(points: readonly TimedValue[]): TimedValue[] {
  const byTime = new Map<number, number>();
  for (const p of points) if (Number.isFinite(p.t) && Number.isFinite(p.v)) byTime.set(p.t, p.v);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
}

interface Forecast {
  value: number;
  /** standard deviation of the forecast error at the horizon; null when it cannot be estimated */
  sd: number | null;
}

/** Least-squares line; prediction interval from the regression residuals. */
export function linearForecast(points: readonly TimedValue[], at: number): Forecast | null {
  const n = points.length;
  if (n < 2) return null;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.t - mt) ** 2;
    sxy += (p.t - mt) * (p.v - mv);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const value = mv + slope * (at - mt);
  if (n < 3) return { value, sd: null };
  const sse = points.reduce((s, p) => s + (p.v - (mv + slope * (p.t - mt))) ** 2, 0);
  const s = Math.sqrt(sse / (n - 2));
  return { value, sd: s * Math.sqrt(1 + 1 / n + (at - mt) ** 2 / sxx) };
}

/**
 * Holt's linear trend for unevenly spaced values: level and trend per unit of time, each update weighted by the gap
 * to the previous value relative to the median gap (α_k = 1 − (1 − α)^(Δ_k/δ)). Returns the one-step-ahead errors
 * (from the third value on) and the state after the last value.
 */
function holtRun(points: readonly TimedValue[], alpha: number, beta: number, step: number) {
  // the first two values set the trend; the level starts at the second
  let trend = (points[1]!.v - points[0]!.v) / (points[1]!.t - points[0]!.t);
  let level = points[1]!.v;
  const errors: number[] = [];
  for (let k = 2; k < points.length; k++) {
    const gap = points[k]!.t - points[k - 1]!.t;
    const predicted = level + trend * gap;
    const error = points[k]!.v - predicted;
    errors.push(error);
    const a = 1 - (1 - alpha) ** (gap / step);
    const b = 1 - (1 - beta) ** (gap / step);
    const newLevel = predicted + a * error;
    trend = trend + b * ((newLevel - level) / gap - trend);
    level = newLevel;
  }
  return { level, trend, errors };
}

const GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Holt's linear trend with α, β fitted by least one-step-ahead squared error on a grid; band from those errors. */
export function holtForecast(points: readonly TimedValue[], at: number): (Forecast & { alpha: number; beta: number }) | null {
  if (points.length < 3) return null;
  const gaps = points
    .slice(1)
    .map((p, i) => p.t - points[i]!.t)
    .sort((a, b) => a - b);
  const step = gaps[Math.floor(gaps.length / 2)]!;
  let best: { alpha: number; beta: number; sse: number } | null = null;
  for (const alpha of GRID) {
    for (const beta of GRID) {
      const { errors } = holtRun(points, alpha, beta, step);
      const sse = errors.reduce((s, e) => s + e * e, 0);
      if (!best || sse < best.sse - 1e-12) best = { alpha, beta, sse };
    }
  }
  const { alpha, beta, sse } = best!;
  const { level, trend, errors } = holtRun(points, alpha, beta, step);
  const horizon = at - points[points.length - 1]!.t;
  const value = level + trend * horizon;
  if (errors.length < 2) return { value, sd: null, alpha, beta };
  const sigma2 = sse / errors.length;
  // ETS(A,A,N) h-step variance: σ²(1 + Σ_{j=1}^{h-1} α²(1 + jβ)²), h counted in median gaps
  const h = Math.max(1, Math.ceil(horizon / step));
  let sum = 1;
  for (let j = 1; j < h; j++) sum += alpha ** 2 * (1 + j * beta) ** 2;
  return { value, sd: Math.sqrt(sigma2 * sum), alpha, beta };
}

function noProjection(at: number, reason: NoProjectionReason, pointsUsed: number): Projection {
  return { method: null, at: new Date(at).toISOString(), value: null, low: null, high: null, pointsUsed, reason };
}

/**
 * The projection of a series at `at`, from the latest PROJECTION_POINTS values known at `now`; with no value and a
 * reason when there are too few values or `at` lies too far ahead of what they span.
 */
export function projectSeries(points: readonly TimedValue[], at: number, now: number): Projection {
  const known = clean(points.filter((p) => p.t <= now)).slice(-PROJECTION_POINTS);
  if (known.length === 0) return noProjection(at, 'no_data', 0);
  if (known.length < MIN_PROJECTION_POINTS) return noProjection(at, 'too_few_points', known.length);
  const first = known[0]!.t;
  const last = known[known.length - 1]!.t;
  if (at - last > MAX_HORIZON_FACTOR * (last - first)) return noProjection(at, 'horizon_too_far', known.length);
  const holt = known.length >= HOLT_MIN_POINTS ? holtForecast(known, at) : null;
  const forecast = holt ?? linearForecast(known, at);
  if (!forecast || !Number.isFinite(forecast.value)) return noProjection(at, 'too_few_points', known.length);
  const half = forecast.sd !== null && Number.isFinite(forecast.sd) ? Z80 * forecast.sd : null;
  return {
    method: holt ? 'holt' : 'linear',
    at: new Date(at).toISOString(),
    value: forecast.value,
    low: half === null ? null : forecast.value - half,
    high: half === null ? null : forecast.value + half,
    pointsUsed: known.length,
    reason: null,
  };
}

/** The status of one target from its unit's values (any order), as of `now`. */
export function assessTargetStatus<T extends TargetRef>(
  target: T,
  points: readonly TimedValue[],
  now: number,
  timeZone: string,
): {
  target: T;
  status: TargetStatus;
  current: boolean;
  reachedAt: number | null;
  latest: TimedValue | null;
  atDeadline: TimedValue | null;
  progress: number | null;
  projection: Projection | null;
} {
  const series = clean(points.filter((p) => p.t <= now));
  const end = deadlineEndMs(target.deadline, timeZone);
  const current = now <= end;
  const latest = series[series.length - 1] ?? null;
  const upToDeadline = series.filter((p) => p.t <= end);
  const atDeadline = upToDeadline[upToDeadline.length - 1] ?? null;
  const progress = targetProgress(latest?.v ?? null, target);
  /** the first value of the run of values meeting the target that ends at index i */
  const runStart = (list: TimedValue[], i: number): number => {
    let k = i;
    while (k > 0 && meetsTarget(list[k - 1]!.v, target)) k--;
    return list[k]!.t;
  };
  const base = { target, current, latest, atDeadline, progress };
  if (current) {
    if (latest && meetsTarget(latest.v, target))
      return { ...base, status: 'met_on_time', reachedAt: runStart(series, series.length - 1), projection: null };
    const projection = projectSeries(series, end, now);
    const status: TargetStatus =
      projection.value === null ? 'cannot_assess' : meetsTarget(projection.value, target) ? 'on_track' : 'at_risk';
    return { ...base, status, reachedAt: null, projection };
  }
  if (atDeadline && meetsTarget(atDeadline.v, target))
    return { ...base, status: 'met_on_time', reachedAt: runStart(upToDeadline, upToDeadline.length - 1), projection: null };
  const late = series.find((p) => p.t > end && meetsTarget(p.v, target));
  if (late) return { ...base, status: 'met_late', reachedAt: late.t, projection: null };
  return { ...base, status: 'missed', reachedAt: null, projection: null };
}

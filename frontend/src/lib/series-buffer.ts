/**
 * Bounded buffers for live series: a wall that runs for days keeps at most maxPoints per series and nothing
 * older than its window. Live values arrive as columnar deltas (`SeriesDelta` of `@dxoc/contracts`); each delta is
 * merged into a buffer in one pass that builds one new array (React state: inputs are never changed).
 */
import type { SeriesDelta } from '@dxoc/contracts';
import { liveAggregateValue, withLiveValues, type Agg, type LiveAggregate } from './aggregate';
import { bucketStart } from './time';

export interface Pt {
  /** epoch ms */
  t: number;
  v: number;
}

export interface BufferOptions {
  maxPoints: number;
  /** drop points older than now - windowMs */
  windowMs: number;
  /** when the panel shows bucketed values, a live raw value updates its bucket */
  bucket?: string | undefined;
  agg?: Agg | undefined;
}

/** A series as a panel keeps it: the points it draws and, when bucketed, the live values of each bucket. */
export interface SeriesBuffer {
  /** sorted by time, unique times, bounded by maxPoints and the window */
  points: Pt[];
  /** bucketed series: bucket start → the live values folded into that bucket (revisions replace, see LiveAggregate) */
  buckets?: ReadonlyMap<number, LiveAggregate>;
}

export const EMPTY_BUFFER: SeriesBuffer = { points: [] };

/** Keep the newest maxPoints within the window; points must be sorted by time. */
export function trim(points: Pt[], options: Pick<BufferOptions, 'maxPoints' | 'windowMs'>, now: number): Pt[] {
  const cutoff = now - options.windowMs;
  let start = 0;
  while (start < points.length && points[start]!.t < cutoff) start++;
  start = Math.max(start, points.length - options.maxPoints);
  return start === 0 ? points : points.slice(start);
}

/** A delta's values split by unit, in delta order, for the units `wanted` accepts: one pass over its columns. */
export function pointsByUnit(delta: SeriesDelta, wanted: (unit: string) => boolean): Map<string, Pt[]> {
  const byUnit = new Map<string, Pt[]>();
  const { units, ts, values } = delta;
  let lastUnit: string | undefined;
  let last: Pt[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const unit = units[i]!;
    if (unit !== lastUnit) {
      lastUnit = unit;
      last = byUnit.get(unit);
      if (!last) {
        if (!wanted(unit)) {
          last = undefined;
          continue;
        }
        byUnit.set(unit, (last = []));
      }
    }
    last?.push({ t: ts[i]!, v: values[i]! });
  }
  return byUnit;
}

/**
 * Merge one delta's values for one series (in delta order, any time order). Raw series: a value for a time
 * already there is a revision and replaces it, and of two values for one time in the delta the later wins.
 * Bucketed series: each value updates its bucket through the bucket's live values (aggregate.ts), so a revision
 * replaces its contribution instead of adding it again. The result is bounded by maxPoints and the window.
 */
export function mergeLive(buffer: SeriesBuffer, incoming: readonly Pt[], options: BufferOptions, now: number): SeriesBuffer {
  if (incoming.length === 0) return buffer;
  if (!options.bucket) {
    const points = mergeSorted(buffer.points, sortedUnique(incoming), options, now);
    return points === buffer.points ? buffer : { points };
  }
  const bucket = options.bucket;
  const agg = options.agg ?? 'last';
  // the delta's values per bucket, in delta order
  const perBucket = new Map<number, Pt[]>();
  for (const point of incoming) {
    const b = bucketStart(point.t, bucket);
    const list = perBucket.get(b);
    if (list) list.push(point);
    else perBucket.set(b, [point]);
  }
  const buckets = new Map(buffer.buckets);
  const updates: Pt[] = [];
  for (const [b, values] of perBucket) {
    // the first live value of a bucket starts from what the buffer shows for it (the REST load)
    let state = buckets.get(b);
    if (!state) {
      const at = lowerBound(buffer.points, b, 0);
      const loaded = buffer.points[at]?.t === b ? buffer.points[at] : undefined;
      state = { base: loaded ? { value: loaded.v, t: b } : undefined, members: new Map() };
    }
    state = withLiveValues(state, values, agg);
    buckets.set(b, state);
    const folded = liveAggregateValue(state, agg);
    if (folded) updates.push({ t: b, v: folded.value });
  }
  updates.sort((a, b) => a.t - b.t);
  const points = mergeSorted(buffer.points, updates, options, now);
  // forget the buckets that left the buffer
  const first = points[0]?.t ?? Infinity;
  for (const b of buckets.keys()) if (b < first) buckets.delete(b);
  return { points, buckets };
}

/** The values sorted by time (stable), of equal times only the last. */
function sortedUnique(points: readonly Pt[]): Pt[] {
  let sorted = true;
  for (let i = 1; i < points.length && sorted; i++) if (points[i]!.t <= points[i - 1]!.t) sorted = false;
  if (sorted) return points as Pt[];
  const copy = points.slice().sort((a, b) => a.t - b.t);
  const out: Pt[] = [];
  for (const point of copy) {
    if (out.length > 0 && out[out.length - 1]!.t === point.t) out[out.length - 1] = point;
    else out.push(point);
  }
  return out;
}

/** First index at or after `from` whose time is >= t (points sorted by time). */
function lowerBound(points: readonly Pt[], t: number, from: number): number {
  let lo = from;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sorted points with sorted, unique updates merged in (an update for an existing time replaces it), trimmed to the
 * window and maxPoints, built as one new array: appended updates are concatenated, otherwise the points before the
 * first update are copied as one slice and the rest merged element by element. Returns `points` itself when nothing
 * changes.
 */
function mergeSorted(points: Pt[], updates: readonly Pt[], options: Pick<BufferOptions, 'maxPoints' | 'windowMs'>, now: number): Pt[] {
  const cutoff = now - options.windowMs;
  let j = lowerBound(updates, cutoff, 0);
  if (j === updates.length) return points;
  const start = lowerBound(points, cutoff, 0);
  // the final length, to drop the oldest beyond maxPoints while merging instead of copying again afterwards
  let added = 0;
  for (let u = j; u < updates.length; u++) {
    const at = lowerBound(points, updates[u]!.t, start);
    if (points[at]?.t !== updates[u]!.t) added++;
  }
  let drop = Math.max(0, points.length - start + added - options.maxPoints);
  const split = lowerBound(points, updates[j]!.t, start);
  if (split === points.length) {
    // the usual case, every update newer than every point: one copy (concat), then the oldest cut off the front
    // (V8 trims the front of an array in place)
    const out = points.concat(j === 0 ? (updates as Pt[]) : updates.slice(j));
    if (start + drop > 0) out.splice(0, start + drop);
    return out;
  }
  let out: Pt[];
  if (drop <= split - start) {
    out = points.slice(start + drop, split);
    drop = 0;
  } else {
    out = [];
    drop -= split - start;
  }
  let i = split;
  while (i < points.length || j < updates.length) {
    let next: Pt;
    const old = points[i];
    const update = updates[j];
    if (update === undefined || (old !== undefined && old.t < update.t)) {
      next = old!;
      i++;
    } else {
      next = update;
      j++;
      if (old !== undefined && old.t === update.t) i++;
    }
    if (drop > 0) drop--;
    else out.push(next);
  }
  return out;
}

/** A fixed-size list, newest first, with at most one entry per key (alerts by id). */
export function upsertNewestFirst<T>(items: T[], item: T, key: (item: T) => string | number, max: number): T[] {
  const k = key(item);
  const rest = items.filter((existing) => key(existing) !== k);
  return [item, ...rest].slice(0, max);
}

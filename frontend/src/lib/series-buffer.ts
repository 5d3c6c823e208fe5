/**
 * Bounded buffers for live series: a wall that runs for days keeps at most maxPoints per series and nothing
 * older than its window. Live values arrive as columnar deltas (`SeriesDelta` of `@dxoc/contracts`); each delta is
 * merged into a buffer in one pass that builds one new array (React state: inputs are never changed).
 */
import type { SeriesDelta } from '@dxoc/contracts';
import { aggregateValues, durationMs, type Agg } from './aggregate';
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

/**
 * A series as a panel keeps it: the points it draws and, when bucketed, what it needs to keep each bucket equal to
 * a fresh query. From `rawFrom` on (the start of the newest bucket when loaded) the buffer holds every stored value
 * one by one (loaded raw, then live), so those buckets are computed here by the backend's rule, a revision replacing
 * its value. A live value for an older bucket, whose values only the API has, marks the bucket `stale`: it is fetched
 * again (data.ts), never guessed.
 */
export interface SeriesBuffer {
  /** sorted by time, unique times, bounded by maxPoints and the window */
  points: Pt[];
  /** bucketed: every value at or after this time is in `raw` (a bucket start; undefined: none, Infinity after a cap) */
  rawFrom?: number;
  /** bucketed: bucket start → time → value, for the buckets at or after rawFrom */
  raw?: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** bucketed: buckets changed by a live value the buffer cannot apply: fetch their value again */
  stale?: ReadonlySet<number>;
}

/** Raw values held per bucketed buffer; beyond this it stops holding them and refetches changed buckets instead. */
export const MAX_RAW_VALUES = 5_000;

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
 * Bucketed series: a value in a bucket whose values the buffer holds (rawFrom on) replaces its time's value and the
 * bucket is recomputed from its values (never loaded value + revision); a value in an older bucket marks it stale,
 * to be fetched again. The result is bounded by maxPoints and the window (and MAX_RAW_VALUES).
 */
export function mergeLive(buffer: SeriesBuffer, incoming: readonly Pt[], options: BufferOptions, now: number): SeriesBuffer {
  if (incoming.length === 0) return buffer;
  if (!options.bucket) {
    const points = mergeSorted(buffer.points, sortedUnique(incoming), options, now);
    return points === buffer.points ? buffer : { ...buffer, points };
  }
  const bucket = options.bucket;
  const agg = options.agg ?? 'last';
  const cutoff = now - options.windowMs;
  const rawFrom = buffer.rawFrom ?? Infinity;
  // the delta's values per bucket, in delta order
  const perBucket = new Map<number, Pt[]>();
  for (const point of incoming) {
    const b = bucketStart(point.t, bucket);
    if (b < cutoff) continue;
    const list = perBucket.get(b);
    if (list) list.push(point);
    else perBucket.set(b, [point]);
  }
  if (perBucket.size === 0) return buffer;
  let raw: Map<number, ReadonlyMap<number, number>> | null = null;
  let stale: Set<number> | null = null;
  let rawCount = 0;
  const updates: Pt[] = [];
  for (const [b, values] of perBucket) {
    if (b >= rawFrom) {
      // every value of this bucket is here: a revision replaces its value, the bucket is recomputed from its values
      raw ??= new Map(buffer.raw);
      const members = new Map(raw.get(b));
      for (const point of values) members.set(point.t, point.v);
      raw.set(b, members);
      updates.push({ t: b, v: aggregateValues(members, agg)!.value });
    } else {
      // only the API knows this bucket's other values: fetch it again
      stale ??= new Set(buffer.stale);
      stale.add(b);
    }
  }
  updates.sort((a, b) => a.t - b.t);
  const points = updates.length > 0 ? mergeSorted(buffer.points, updates, options, now) : buffer.points;
  const next: SeriesBuffer = { points, rawFrom: buffer.rawFrom, raw: raw ?? buffer.raw, stale: stale ?? buffer.stale };
  // forget what left the buffer; stop holding raw values beyond the cap (the shown values stay right)
  const first = Math.max(cutoff, points.length >= options.maxPoints ? (points[0]?.t ?? -Infinity) : -Infinity);
  if (raw) {
    for (const b of raw.keys()) if (b < first) raw.delete(b);
    for (const members of raw.values()) rawCount += members.size;
    if (rawCount > MAX_RAW_VALUES) {
      next.rawFrom = Infinity;
      next.raw = undefined;
    }
  }
  if (stale) for (const b of stale) if (b < first) stale.delete(b);
  return next;
}

/**
 * The buffer a bucketed load gives: the API's buckets, and from `raw.from` (a bucket start) the values stored from
 * then on, one by one, of which those buckets are computed (they replace the API's value for them). Without `raw`
 * the buffer holds no values and every live value refetches its bucket.
 */
export function loadedBuffer(
  points: readonly Pt[],
  options: BufferOptions,
  now: number,
  raw?: { from: number; points: readonly Pt[] },
): SeriesBuffer {
  if (!options.bucket) return { points: trim(sortedUnique(points), options, now) };
  if (!raw || raw.points.length > MAX_RAW_VALUES) return { points: trim(points as Pt[], options, now) };
  const byBucket = new Map<number, Map<number, number>>();
  for (const point of raw.points) {
    if (point.t < raw.from) continue;
    const b = bucketStart(point.t, options.bucket);
    let members = byBucket.get(b);
    if (!members) byBucket.set(b, (members = new Map()));
    members.set(point.t, point.v);
  }
  const agg = options.agg ?? 'last';
  const computed = [...byBucket].map(([t, members]) => ({ t, v: aggregateValues(members, agg)!.value })).sort((a, b) => a.t - b.t);
  const merged = points.filter((p) => p.t < raw.from).concat(computed);
  return { points: trim(merged, options, now), rawFrom: raw.from, raw: byBucket, stale: new Set() };
}

/** The buffer with these buckets no longer marked stale (taken to be fetched again; a live value marks them again). */
export function withoutStale(buffer: SeriesBuffer, buckets: readonly number[]): SeriesBuffer {
  if (!buffer.stale || !buckets.some((b) => buffer.stale!.has(b))) return buffer;
  const stale = new Set(buffer.stale);
  for (const b of buckets) stale.delete(b);
  return { ...buffer, stale };
}

/** The buffer with these buckets marked stale (a refetch that failed is tried again). */
export function markStale(buffer: SeriesBuffer, buckets: readonly number[]): SeriesBuffer {
  if (buckets.every((b) => buffer.stale?.has(b))) return buffer;
  return { ...buffer, stale: new Set([...(buffer.stale ?? []), ...buckets]) };
}

/** The end of the bucket starting at b (months and years have their own lengths). */
export function bucketEnd(b: number, bucket: string): number {
  return bucketStart(b + 1.5 * durationMs(bucket), bucket);
}

/**
 * Buckets as the API answered them again: each replaces the bucket's point, or removes it when the API has no value
 * for it (undefined). Buckets held raw are computed here and are left alone.
 */
export function withBucketValues(
  buffer: SeriesBuffer,
  values: ReadonlyArray<{ t: number; v: number | undefined }>,
  options: BufferOptions,
  now: number,
): SeriesBuffer {
  const rawFrom = buffer.rawFrom ?? Infinity;
  const wanted = values.filter((u) => u.t < rawFrom);
  if (wanted.length === 0) return buffer;
  const removed = new Set(wanted.filter((u) => u.v === undefined).map((u) => u.t));
  const updates = wanted.filter((u): u is Pt => u.v !== undefined).sort((a, b) => a.t - b.t);
  let points = removed.size > 0 ? buffer.points.filter((p) => !removed.has(p.t)) : buffer.points;
  points = updates.length > 0 ? mergeSorted(points, sortedUnique(updates), options, now) : points;
  return points === buffer.points ? buffer : { ...buffer, points };
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

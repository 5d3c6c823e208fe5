/**
 * Bounded buffers for live series: a wall that runs for days keeps at most maxPoints per series and nothing
 * older than its window. Pure functions returning new arrays (React state).
 */
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
  agg?: 'avg' | 'sum' | 'min' | 'max' | 'last' | undefined;
}

/** Keep the newest maxPoints within the window; points must be sorted by time. */
export function trim(points: Pt[], options: Pick<BufferOptions, 'maxPoints' | 'windowMs'>, now: number): Pt[] {
  const cutoff = now - options.windowMs;
  let start = 0;
  while (start < points.length && points[start]!.t < cutoff) start++;
  start = Math.max(start, points.length - options.maxPoints);
  return start === 0 ? points : points.slice(start);
}

/**
 * Merge one live value. Raw series: a value for an existing time is a revision and replaces it. Bucketed
 * series: sum adds to its bucket, min/max keep the extreme, last and avg take the newest value (an average
 * is corrected by the next full reload).
 */
export function mergePoint(points: Pt[], point: Pt, options: BufferOptions, now: number): Pt[] {
  const t = options.bucket ? bucketStart(point.t, options.bucket) : point.t;
  const next = points.slice();
  // search from the end: live points are nearly always the newest
  let index = next.length - 1;
  while (index >= 0 && next[index]!.t > t) index--;
  const existing = index >= 0 && next[index]!.t === t ? next[index]! : null;
  if (existing) {
    let v = point.v;
    if (options.bucket) {
      if (options.agg === 'sum') v = existing.v + point.v;
      else if (options.agg === 'max') v = Math.max(existing.v, point.v);
      else if (options.agg === 'min') v = Math.min(existing.v, point.v);
    }
    next[index] = { t, v };
  } else {
    next.splice(index + 1, 0, { t, v: point.v });
  }
  return trim(next, options, now);
}

/** A fixed-size list, newest first, with at most one entry per key (alerts by id). */
export function upsertNewestFirst<T>(items: T[], item: T, key: (item: T) => string | number, max: number): T[] {
  const k = key(item);
  const rest = items.filter((existing) => key(existing) !== k);
  return [item, ...rest].slice(0, max);
}

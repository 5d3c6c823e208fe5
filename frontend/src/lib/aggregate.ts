/**
 * Map and ranking panels whose query has a bucket show, per unit, the indicator aggregated over the panel's
 * range ("e-invoices over 30 days": the sum of the days), computed by GET /api/v1/aggregate; live values are
 * folded in here until the next reload, and into the buckets of bucketed time series (series-buffer.ts). Pure.
 */

export type Agg = 'avg' | 'sum' | 'min' | 'max' | 'last';

const SIZES: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  mo: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

export function durationMs(text: string): number {
  const match = /^(\d{1,4})(m|h|d|w|mo|y)$/.exec(text);
  if (!match) throw new Error(`bad duration "${text}"`);
  return Number(match[1]) * SIZES[match[2]!]!;
}

/**
 * One aggregate kept current by live values: a bucket of a bucketed series, or a unit's value over a panel's range.
 * Live values are kept by the time they are for (members), so a revision (the same time again, in the same delta or
 * a later one) replaces its member instead of counting twice. `base` is the aggregate the REST load gave; it holds
 * values no live member can revise (a revision of one of those is added: the next reload corrects it).
 */
export interface LiveAggregate {
  /** value and newest time of the loaded aggregate; n: how many values it holds when known (folded members) */
  base: { value: number; t: number; n?: number } | undefined;
  /** time (epoch ms) → value of each live value received */
  members: ReadonlyMap<number, number>;
}

/** Members kept per aggregate; the oldest beyond this are folded into the base (then no longer revisable). */
export const MAX_LIVE_MEMBERS = 2_000;

/** The aggregate with live values added, in order: a later value for the same time replaces the earlier one. Copies once. */
export function withLiveValues(state: LiveAggregate, points: Iterable<{ t: number; v: number }>, agg: Agg): LiveAggregate {
  const members = new Map(state.members);
  for (const point of points) members.set(point.t, point.v);
  if (members.size <= MAX_LIVE_MEMBERS) return { base: state.base, members };
  // fold the oldest quarter into the base at once, so that this happens once per MAX/4 new times
  const times = [...members.keys()].sort((a, b) => a - b).slice(0, members.size - (MAX_LIVE_MEMBERS * 3) / 4);
  let base = state.base;
  for (const t of times) {
    base = foldIntoBase(base, t, members.get(t) as number, agg);
    members.delete(t);
  }
  return { base, members };
}

function foldIntoBase(base: LiveAggregate['base'], t: number, v: number, agg: Agg): LiveAggregate['base'] {
  if (!base) return { value: v, t, n: 1 };
  const newest = Math.max(base.t, t);
  switch (agg) {
    case 'sum':
      return { value: base.value + v, t: newest };
    case 'max':
      return { value: Math.max(base.value, v), t: newest };
    case 'min':
      return { value: Math.min(base.value, v), t: newest };
    case 'last':
      return t >= base.t ? { value: v, t } : base;
    case 'avg':
      // a loaded average of unknown size stays as it is until the next reload
      return base.n === undefined ? base : { value: (base.value * base.n + v) / (base.n + 1), t: newest, n: base.n + 1 };
  }
}

/**
 * The aggregate of the base and the live members: sum adds them, min/max keep the extreme, last takes the newest
 * by time, avg averages the live values unless a loaded average (of unknown size) is there, which stays until the
 * next reload. Undefined when there is neither.
 */
export function liveAggregateValue(state: LiveAggregate, agg: Agg): { value: number; t: number } | undefined {
  const { base, members } = state;
  if (members.size === 0) return base ? { value: base.value, t: base.t } : undefined;
  let t = base ? base.t : -Infinity;
  let value: number;
  if (agg === 'last') {
    let lastT = -Infinity;
    let lastV = Number.NaN;
    for (const [mt, mv] of members) if (mt >= lastT) [lastT, lastV] = [mt, mv];
    value = base && base.t > lastT ? base.value : lastV;
    return { value, t: Math.max(t, lastT) };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const [mt, mv] of members) {
    sum += mv;
    if (mv < min) min = mv;
    if (mv > max) max = mv;
    if (mt > t) t = mt;
  }
  switch (agg) {
    case 'sum':
      value = (base?.value ?? 0) + sum;
      break;
    case 'max':
      value = base ? Math.max(base.value, max) : max;
      break;
    case 'min':
      value = base ? Math.min(base.value, min) : min;
      break;
    case 'avg':
      if (base && base.n === undefined) value = base.value;
      else value = ((base?.value ?? 0) * (base?.n ?? 0) + sum) / ((base?.n ?? 0) + members.size);
      break;
  }
  return { value, t };
}

/** Run async jobs with at most `limit` in flight (34 provinces, six at a time, like a browser would). */
export async function mapLimit<T, R>(items: T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

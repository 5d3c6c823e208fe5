/**
 * One rule for every number a bucketed panel shows, live and on load: the aggregate of the values stored for the
 * bucket or range, where a value for a time already known is a revision and replaces it (the backend keeps one
 * value per metric, unit and time). Map and ranking panels show, per unit, the indicator aggregated over the
 * panel's range (GET /api/v1/aggregate); bucketed time series, each bucket (series-buffer.ts). Pure.
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
 * The aggregate of values by time, as the backend computes it over raw values (avg, sum, min, max, and last: the
 * value of the newest time). Undefined when there is none.
 */
export function aggregateValues(values: ReadonlyMap<number, number>, agg: Agg): { value: number; t: number } | undefined {
  if (values.size === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let t = -Infinity;
  let last = Number.NaN;
  for (const [mt, mv] of values) {
    sum += mv;
    if (mv < min) min = mv;
    if (mv > max) max = mv;
    if (mt > t) [t, last] = [mt, mv];
  }
  const value = agg === 'sum' ? sum : agg === 'avg' ? sum / values.size : agg === 'min' ? min : agg === 'max' ? max : last;
  return { value, t };
}

/**
 * A unit's aggregate over a range, kept current by live values without ever guessing. The API gave the aggregate of
 * the values before `horizon` (base); every value at or after it arrived live and is held by its time (members), so a
 * revision replaces its member. A live value before the horizon revises something inside the base, which cannot be
 * corrected here (a sum of unknown parts): the aggregate is then `stale` and is fetched again (data.ts). An average
 * with both a base and members (its count unknown) and more members than MAX_LIVE_MEMBERS are stale the same way.
 */
export interface LiveAggregate {
  /** the aggregate the API gave over [from, horizon): its value and newest time */
  base: { value: number; t: number } | undefined;
  /** epoch ms: the `to` of the request that gave the base */
  horizon: number;
  /** time (epoch ms) → value of each live value at or after the horizon */
  members: ReadonlyMap<number, number>;
  /** the shown value may differ from a fresh query: fetch it again */
  stale: boolean;
}

/** Live values held per aggregate; beyond this it is stale (and frozen) until fetched again. */
export const MAX_LIVE_MEMBERS = 2_000;

/** The aggregate as loaded: the API's value for [from, horizon), nothing live yet. */
export function loadedAggregate(base: { value: number; t: number } | undefined, horizon: number): LiveAggregate {
  return { base, horizon, members: new Map(), stale: false };
}

/** The aggregate with live values applied, in order: a later value for the same time replaces the earlier one. Copies once. */
export function withLiveValues(state: LiveAggregate, points: Iterable<{ t: number; v: number }>, agg: Agg): LiveAggregate {
  let members: Map<number, number> | null = null;
  let stale = state.stale;
  for (const point of points) {
    if (point.t < state.horizon) {
      stale = true;
      continue;
    }
    members ??= new Map(state.members);
    if (!members.has(point.t) && members.size >= MAX_LIVE_MEMBERS) {
      stale = true;
      continue;
    }
    members.set(point.t, point.v);
  }
  if (members && agg === 'avg' && state.base) stale = true;
  if (!members && stale === state.stale) return state;
  return { base: state.base, horizon: state.horizon, members: members ?? state.members, stale };
}

/**
 * The aggregate of the base and the live members: sum adds them, min/max keep the extreme, last takes the newest by
 * time, avg is the members' mean without a base and the base's while members cannot be counted in (then stale).
 * Undefined when there is neither.
 */
export function liveAggregateValue(state: LiveAggregate, agg: Agg): { value: number; t: number } | undefined {
  const { base } = state;
  const live = aggregateValues(state.members, agg);
  if (!live) return base ? { value: base.value, t: base.t } : undefined;
  if (!base) return live;
  const t = Math.max(base.t, live.t);
  switch (agg) {
    case 'sum':
      return { value: base.value + live.value, t };
    case 'max':
      return { value: Math.max(base.value, live.value), t };
    case 'min':
      return { value: Math.min(base.value, live.value), t };
    case 'last':
      return live.t >= base.t ? live : { value: base.value, t };
    case 'avg':
      return { value: base.value, t: base.t };
  }
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

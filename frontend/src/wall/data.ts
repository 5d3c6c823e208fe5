/**
 * Data hooks of the wall's panels: REST for the first load (and as a slow safety net), the live stream
 * for every accepted value after that. Buffers are bounded (points and time).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelSpec, SeriesDelta } from '@dxoc/contracts';
import type { UnitSelection } from '@dxoc/dashboards/schema';
import { ApiError, type Api } from '../lib/api';
import { durationMs, liveAggregateValue, loadedAggregate, mapLimit, withLiveValues, type Agg, type LiveAggregate } from '../lib/aggregate';
import {
  EMPTY_BUFFER,
  bucketEnd,
  loadedBuffer,
  markStale,
  mergeLive,
  pointsByUnit,
  withBucketValues,
  withoutStale,
  type Pt,
  type SeriesBuffer,
} from '../lib/series-buffer';
import { bucketStart, rangeMs, rangeStart } from '../lib/time';
import { useReload, useWall } from './context';

export type LoadState = 'loading' | 'ready' | 'error' | 'unauthorized';

export function stateOf(error: unknown): LoadState {
  return error instanceof ApiError && (error.status === 401 || error.status === 403) ? 'unauthorized' : 'error';
}

export interface SeriesSpec {
  metric: string;
  units: string[];
  range: string;
  bucket?: string | undefined;
  agg?: 'avg' | 'sum' | 'min' | 'max' | 'last' | undefined;
  includePredecessors?: boolean;
  maxPoints: number;
  /** when the range holds fewer than 2 points, show the last points of the whole history instead */
  fallbackToHistory?: boolean;
}

/** After a live value a bucket or aggregate cannot take (see series-buffer.ts), wait this long to fetch it again. */
export const REFETCH_DELAY_MS = 1_000;

/**
 * One series per unit over the panel's range, then live: each accepted value scrolls in. Bucketed series also
 * load the raw values of the newest bucket, so that live values and revisions recompute it by the backend's rule;
 * a live value for an older bucket has that bucket fetched again (debounced, one round at a time).
 */
export function useSeries(spec: SeriesSpec, priorityApi?: Api) {
  const env = useWall();
  const { live, catalog } = env;
  // a KPI tile's own figures go ahead of the rest of its page (priority.ts)
  const api = priorityApi ?? env.api;
  const reload = useReload();
  const [buffers, setBuffers] = useState<Record<string, SeriesBuffer>>({});
  const series = useMemo<Record<string, Pt[]>>(
    () => Object.fromEntries(Object.entries(buffers).map(([unit, buffer]) => [unit, buffer.points])),
    [buffers],
  );
  const [state, setState] = useState<LoadState>('loading');
  const [lastLive, setLastLive] = useState<number | null>(null);
  /** history fallback: the window is the data's own, not the range */
  const windowMs = useRef<number>(0);
  /** live values received while a load is under way, per unit, in order: applied again on the loaded buffers */
  const pending = useRef<Map<string, Pt[]> | null>(null);
  /** the `from` of the load per unit (undefined: the whole history), and a counter that tells loads apart */
  const loadFrom = useRef<{ generation: number; from: Map<string, number | undefined> }>({ generation: 0, from: new Map() });
  const unitsKey = spec.units.join(',');
  const agg: Agg | undefined = spec.bucket ? (spec.agg ?? catalog.metric(spec.metric)?.defaultAggregation ?? 'last') : undefined;

  useEffect(() => {
    const controller = new AbortController();
    const now = Date.now();
    const units = unitsKey.split(',');
    const loads = loadFrom.current;
    const generation = ++loads.generation;
    pending.current = new Map();
    const iso = (t: number) => new Date(t).toISOString();
    (async () => {
      try {
        let window = rangeMs(spec.range, now);
        const froms = new Map<string, number | undefined>();
        const loaded = await Promise.all(
          units.map(async (unit) => {
            let from: number | undefined = rangeStart(spec.range, now);
            const query = {
              metric: spec.metric,
              unit,
              from: iso(from),
              bucket: spec.bucket,
              agg,
              includePredecessors: spec.includePredecessors,
            };
            // the newest bucket's values one by one (asked first: live values from here on are queued)
            const rawFrom = spec.bucket ? bucketStart(now, spec.bucket) : undefined;
            const rawLoad =
              rawFrom === undefined
                ? undefined
                : api
                    .series(
                      { metric: spec.metric, unit, from: iso(Math.max(rawFrom, from)), includePredecessors: spec.includePredecessors },
                      controller.signal,
                    )
                    .catch((error: unknown) => {
                      // too many values for one bucket: its live values refetch it instead
                      if (error instanceof ApiError && error.status === 400) return undefined;
                      throw error;
                    });
            let response = await api.series(query, controller.signal);
            if (response.points.length < 2 && spec.fallbackToHistory) {
              response = await api.series({ ...query, from: undefined }, controller.signal);
              from = undefined;
              const first = response.points[Math.max(0, response.points.length - spec.maxPoints)];
              if (first) window = Math.max(window, now - new Date(first.ts).getTime() + rangeMs(spec.range, now));
            }
            froms.set(unit, from);
            const rawResponse = await rawLoad;
            const toPts = (points: { ts: string; value: number }[]) => points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value }));
            const raw =
              rawResponse && rawFrom !== undefined && onlyUnitFrom(rawResponse.units, unit, rawFrom, catalog)
                ? { from: rawFrom, points: toPts(rawResponse.points) }
                : undefined;
            return [unit, toPts(response.points), raw] as const;
          }),
        );
        if (controller.signal.aborted) return;
        windowMs.current = window;
        loadFrom.current.from = froms;
        const queued = pending.current ?? new Map<string, Pt[]>();
        pending.current = null;
        const options = { maxPoints: spec.maxPoints, windowMs: window, bucket: spec.bucket, agg };
        setBuffers(
          Object.fromEntries(
            loaded.map(([unit, points, raw]) => {
              const buffer = loadedBuffer(points, options, now, raw);
              const late = queued.get(unit);
              return [unit, late ? mergeLive(buffer, late, options, Date.now()) : buffer];
            }),
          ),
        );
        setState('ready');
      } catch (error) {
        if (loadFrom.current.generation === generation) pending.current = null;
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => {
      controller.abort();
      if (loads.generation === generation) pending.current = null;
    };
  }, [
    api,
    catalog,
    spec.metric,
    unitsKey,
    spec.range,
    spec.bucket,
    agg,
    spec.includePredecessors,
    spec.maxPoints,
    spec.fallbackToHistory,
    reload,
  ]);

  useEffect(() => {
    const units = unitsKey.split(',');
    const wanted = new Set(units);
    const channel: ChannelSpec = { metric: spec.metric, units };
    return live.register(channel, (delta: SeriesDelta) => {
      const now = Date.now();
      const options = {
        maxPoints: spec.maxPoints,
        windowMs: windowMs.current || rangeMs(spec.range, now),
        bucket: spec.bucket,
        agg,
      };
      const byUnit = pointsByUnit(delta, (unit) => wanted.has(unit));
      if (byUnit.size === 0) return;
      const queue = pending.current;
      if (queue) for (const [unit, points] of byUnit) queue.set(unit, (queue.get(unit) ?? []).concat(points));
      setBuffers((current) => {
        const next = { ...current };
        for (const [unit, points] of byUnit) next[unit] = mergeLive(next[unit] ?? EMPTY_BUFFER, points, options, now);
        return next;
      });
      setLastLive(now);
    });
  }, [live, spec.metric, unitsKey, spec.range, spec.bucket, agg, spec.maxPoints]);

  // buckets a live value changed that the buffer cannot recompute: fetch them again, a moment later, one round at a time
  const stale = useMemo(() => {
    const list: Array<[string, number]> = [];
    for (const [unit, buffer] of Object.entries(buffers)) for (const b of buffer.stale ?? []) list.push([unit, b]);
    return list;
  }, [buffers]);
  const staleNow = useRef(stale);
  staleNow.current = stale;
  const [refetching, setRefetching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    // a timer already set is not moved: values arriving all the time do not postpone the refetch forever
    if (stale.length === 0 || refetching || !spec.bucket || state !== 'ready' || timer.current !== undefined) return;
    const bucket = spec.bucket;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const round = staleNow.current;
      if (round.length === 0) return;
      const generation = loadFrom.current.generation;
      const taken = new Map<string, number[]>();
      for (const [unit, b] of round) taken.set(unit, [...(taken.get(unit) ?? []), b]);
      setRefetching(true);
      setBuffers((current) => {
        const next = { ...current };
        for (const [unit, buckets] of taken) if (next[unit]) next[unit] = withoutStale(next[unit], buckets);
        return next;
      });
      void mapLimit(round, 4, async ([unit, b]) => {
        const from = loadFrom.current.from.get(unit);
        const response = await api.series({
          metric: spec.metric,
          unit,
          from: new Date(from === undefined ? b : Math.max(b, from)).toISOString(),
          to: new Date(bucketEnd(b, bucket)).toISOString(),
          bucket,
          agg,
          includePredecessors: spec.includePredecessors,
        });
        const point = response.points.find((p) => new Date(p.ts).getTime() === b);
        return [unit, { t: b, v: point?.value }] as const;
      })
        .then((answers) => {
          if (generation !== loadFrom.current.generation) return;
          const now = Date.now();
          const options = { maxPoints: spec.maxPoints, windowMs: windowMs.current || rangeMs(spec.range, now), bucket, agg };
          setBuffers((current) => {
            const next = { ...current };
            for (const [unit, value] of answers) if (next[unit]) next[unit] = withBucketValues(next[unit], [value], options, now);
            return next;
          });
        })
        .catch(() => {
          // not reachable now: mark them again, the next round retries
          setBuffers((current) => {
            const next = { ...current };
            for (const [unit, buckets] of taken) if (next[unit]) next[unit] = markStale(next[unit], buckets);
            return next;
          });
        })
        .finally(() => setRefetching(false));
    }, REFETCH_DELAY_MS);
  }, [stale, refetching, state, api, spec.metric, spec.bucket, agg, spec.includePredecessors, spec.maxPoints, spec.range]);

  return { series, state, lastLive };
}

/**
 * Whether a raw answer for `unit` from `from` on holds that unit's values alone: its predecessors (included on
 * request) ended before `from`. Otherwise their values at one time are combined and a bucket is not the
 * aggregate of the answer's values, so the buffer does not hold raw values.
 */
function onlyUnitFrom(
  codes: readonly string[],
  unit: string,
  from: number,
  catalog: { unit: (code: string) => { validUntil: string | null } | undefined },
): boolean {
  return codes.every((code) => {
    if (code === unit) return true;
    const until = catalog.unit(code)?.validUntil;
    // validity ends at local midnight of that calendar day: noon UTC of the date lies in it in any zone within ±12 h
    return !!until && bucketStart(Date.parse(`${until.slice(0, 10)}T12:00:00Z`), '1d') <= from;
  });
}

export interface LatestValue {
  value: number;
  ts: string;
  receivedAt: string;
}

export function unitKindOf(selection: UnitSelection): 'province' | 'ministry' | 'nation' | undefined {
  if (selection === 'provinces') return 'province';
  if (selection === 'ministries') return 'ministry';
  if (selection === 'nation') return 'nation';
  return undefined;
}

export function channelUnits(selection: UnitSelection): ChannelSpec['units'] {
  if (selection === 'provinces' || selection === 'ministries') return selection;
  if (selection === 'nation') return ['VN'];
  return selection;
}

export interface UnitValuesQuery {
  metric: string;
  units: UnitSelection;
  range: string;
  bucket?: string | undefined;
  agg?: Agg | undefined;
  includePredecessors?: boolean;
}

/**
 * The value of every selected unit in force today, kept current by the live stream. Without a bucket: the
 * latest value (GET /latest; the newest time wins, a revision of the time shown replaces it). With a bucket: the
 * indicator aggregated over the range, per unit, and the same over the range before it as the previous period.
 * A live value newer than the load is held by its time (a revision replaces it); one inside what the API
 * aggregated (a revision of today's running amount) has both periods fetched again, a moment later, one round at
 * a time: the shown value is always the API's rule, never loaded value + revision.
 */
export function useUnitValues(query: UnitValuesQuery, defaultAgg: Agg) {
  const { api, live, catalog } = useWall();
  const reload = useReload();
  // the shown values, and for bucketed panels each unit's aggregate with its live values (aggregate.ts)
  const [data, setData] = useState<{
    values: Map<string, LatestValue>;
    live: ReadonlyMap<string, LiveAggregate>;
    /** the `to` of the aggregate request: live values before it are inside the API's aggregate */
    horizon: number;
  }>(() => ({ values: new Map(), live: new Map(), horizon: Infinity }));
  const [previous, setPrevious] = useState<Map<string, number> | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [lastLive, setLastLive] = useState<number | null>(null);
  const [refetch, setRefetch] = useState(0);
  const [fetching, setFetching] = useState(false);
  /** live values received while a request is under way, in order: applied again on its answer */
  const pending = useRef<Array<Map<string, Pt[]>> | null>(null);
  const { metric, units: selection, range, bucket, includePredecessors } = query;
  const agg = query.agg ?? defaultAgg;
  const kind = unitKindOf(selection);
  const allowed = useMemo(() => {
    if (Array.isArray(selection)) return new Set(selection);
    return new Set(catalog.current(kind ?? 'province').map((u) => u.code));
  }, [catalog, selection, kind]);

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        setFetching(true);
        const map = new Map<string, LatestValue>();
        if (!bucket) {
          const response = await api.latest({ metric, unitKind: kind }, controller.signal);
          for (const v of response.values) if (allowed.has(v.unit)) map.set(v.unit, { value: v.value, ts: v.ts, receivedAt: v.receivedAt });
          setPrevious(null);
          setData({ values: map, live: new Map(), horizon: Infinity });
        } else {
          // one request per period for every unit (GET /api/v1/aggregate), not one per province
          pending.current = [];
          const now = Date.now();
          const horizon = now + 1;
          const span = durationMs(range);
          const unitsParam = Array.isArray(selection) ? { units: selection.join(',') } : { unitKind: kind ?? 'province' };
          const period = (from: number, to: number) =>
            api.aggregate(
              { metric, ...unitsParam, from: new Date(from).toISOString(), to: new Date(to).toISOString(), agg, includePredecessors },
              controller.signal,
            );
          const [current, prior] = await Promise.all([period(horizon - span, horizon), period(horizon - 2 * span, horizon - span)]);
          const queued = pending.current ?? [];
          pending.current = null;
          const liveValues = new Map<string, LiveAggregate>();
          for (const v of current.values)
            if (allowed.has(v.unit)) liveValues.set(v.unit, loadedAggregate({ value: v.value, t: Date.parse(v.lastTs) }, horizon));
          const before = new Map<string, number>();
          for (const v of prior.values) if (allowed.has(v.unit)) before.set(v.unit, v.value);
          setPrevious(before);
          // what arrived meanwhile: newer values are held, older ones may or may not be in the answer (stale again)
          let loaded = { values: valuesOf(liveValues, agg), live: liveValues as ReadonlyMap<string, LiveAggregate>, horizon };
          for (const byUnit of queued) loaded = withLiveAggregates(loaded, byUnit, agg, horizon - span, new Date().toISOString());
          setData(loaded);
        }
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      } finally {
        if (!controller.signal.aborted) setFetching(false);
      }
    })();
    return () => {
      controller.abort();
      pending.current = null;
    };
  }, [api, metric, kind, selection, allowed, range, bucket, agg, includePredecessors, reload, refetch]);

  useEffect(() => {
    return live.register({ metric, units: channelUnits(selection) }, (delta) => {
      const receivedAt = new Date().toISOString();
      const byUnit = pointsByUnit(delta, (unit) => allowed.has(unit));
      if (byUnit.size > 0) {
        if (bucket) {
          pending.current?.push(byUnit);
          const cutoff = Date.now() - durationMs(range);
          setData((current) => withLiveAggregates(current, byUnit, agg, cutoff, receivedAt));
        } else
          setData((current) => {
            let values: Map<string, LatestValue> | null = null;
            for (const [unit, points] of byUnit) {
              const existing = current.values.get(unit);
              // the latest value: the newest time wins, and a revision of the time shown replaces it
              let newest = points[0]!;
              for (const p of points) if (p.t >= newest.t) newest = p;
              if (existing && Date.parse(existing.ts) > newest.t) continue;
              (values ??= new Map(current.values)).set(unit, { value: newest.v, ts: new Date(newest.t).toISOString(), receivedAt });
            }
            return values ? { ...current, values } : current;
          });
      }
      setLastLive(Date.now());
    });
  }, [live, metric, allowed, bucket, agg, range, selection]);

  // an aggregate a live value made stale: fetch again a moment later (a set timer is not moved by later values)
  const stale = useMemo(() => [...data.live.values()].some((s) => s.stale), [data.live]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!stale || fetching || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setRefetch((n) => n + 1);
    }, REFETCH_DELAY_MS);
  }, [stale, fetching]);

  return { values: data.values, previous, state, lastLive };
}

/** The shown value of each unit's aggregate. */
function valuesOf(live: ReadonlyMap<string, LiveAggregate>, agg: Agg, receivedAt = ''): Map<string, LatestValue> {
  const values = new Map<string, LatestValue>();
  for (const [unit, state] of live) {
    const shown = liveAggregateValue(state, agg);
    if (shown) values.set(unit, { value: shown.value, ts: new Date(shown.t).toISOString(), receivedAt });
  }
  return values;
}

/** Units' aggregates with a delta's values in the range (from `cutoff`) applied. */
function withLiveAggregates<D extends { values: Map<string, LatestValue>; live: ReadonlyMap<string, LiveAggregate>; horizon: number }>(
  current: D,
  byUnit: ReadonlyMap<string, Pt[]>,
  agg: Agg,
  cutoff: number,
  receivedAt: string,
): D {
  let values: Map<string, LatestValue> | null = null;
  let liveValues: Map<string, LiveAggregate> | null = null;
  for (const [unit, points] of byUnit) {
    const inRange = points.filter((p) => p.t >= cutoff);
    if (inRange.length === 0) continue;
    const before = current.live.get(unit) ?? loadedAggregate(undefined, current.horizon);
    const after = withLiveValues(before, inRange, agg);
    if (after === before) continue;
    (liveValues ??= new Map(current.live)).set(unit, after);
    const shown = liveAggregateValue(after, agg);
    if (shown) (values ??= new Map(current.values)).set(unit, { value: shown.value, ts: new Date(shown.t).toISOString(), receivedAt });
  }
  return liveValues ? { ...current, values: values ?? current.values, live: liveValues } : current;
}

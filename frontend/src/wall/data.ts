/**
 * Data hooks of the wall's panels: REST for the first load (and as a slow safety net), the live stream
 * for every accepted value after that. Buffers are bounded (points and time).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelSpec, SeriesDelta } from '@dxoc/contracts';
import type { UnitSelection } from '@dxoc/dashboards/schema';
import { ApiError } from '../lib/api';
import { durationMs, liveAggregateValue, withLiveValues, type Agg, type LiveAggregate } from '../lib/aggregate';
import { EMPTY_BUFFER, mergeLive, pointsByUnit, trim, type Pt, type SeriesBuffer } from '../lib/series-buffer';
import { rangeMs, rangeStart } from '../lib/time';
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

/** One series per unit over the panel's range, then live: each accepted value scrolls in. */
export function useSeries(spec: SeriesSpec) {
  const { api, live } = useWall();
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
  const unitsKey = spec.units.join(',');

  useEffect(() => {
    const controller = new AbortController();
    const now = Date.now();
    const units = unitsKey.split(',');
    (async () => {
      try {
        let window = rangeMs(spec.range, now);
        const loaded = await Promise.all(
          units.map(async (unit) => {
            const query = {
              metric: spec.metric,
              unit,
              from: new Date(rangeStart(spec.range, now)).toISOString(),
              bucket: spec.bucket,
              agg: spec.agg,
              includePredecessors: spec.includePredecessors,
            };
            let response = await api.series(query, controller.signal);
            if (response.points.length < 2 && spec.fallbackToHistory) {
              response = await api.series({ ...query, from: undefined }, controller.signal);
              const first = response.points[Math.max(0, response.points.length - spec.maxPoints)];
              if (first) window = Math.max(window, now - new Date(first.ts).getTime() + rangeMs(spec.range, now));
            }
            return [unit, response.points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value }))] as const;
          }),
        );
        windowMs.current = window;
        setBuffers(
          Object.fromEntries(
            loaded.map(([unit, points]) => [unit, { points: trim(points, { maxPoints: spec.maxPoints, windowMs: window }, now) }]),
          ),
        );
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => controller.abort();
  }, [
    api,
    spec.metric,
    unitsKey,
    spec.range,
    spec.bucket,
    spec.agg,
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
        agg: spec.agg,
      };
      const byUnit = pointsByUnit(delta, (unit) => wanted.has(unit));
      if (byUnit.size === 0) return;
      setBuffers((current) => {
        const next = { ...current };
        for (const [unit, points] of byUnit) next[unit] = mergeLive(next[unit] ?? EMPTY_BUFFER, points, options, now);
        return next;
      });
      setLastLive(now);
    });
  }, [live, spec.metric, unitsKey, spec.range, spec.bucket, spec.agg, spec.maxPoints]);

  return { series, state, lastLive };
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
 * latest value (GET /latest). With a bucket: the indicator aggregated over the range, per unit, and the same
 * over the range before it as the previous period.
 */
export function useUnitValues(query: UnitValuesQuery, defaultAgg: Agg) {
  const { api, live, catalog } = useWall();
  const reload = useReload();
  // the shown values, and for bucketed panels each unit's live values (a revision replaces its value)
  const [data, setData] = useState<{ values: Map<string, LatestValue>; live: ReadonlyMap<string, LiveAggregate> }>(() => ({
    values: new Map(),
    live: new Map(),
  }));
  const [previous, setPrevious] = useState<Map<string, number> | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [lastLive, setLastLive] = useState<number | null>(null);
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
        const map = new Map<string, LatestValue>();
        if (!bucket) {
          const response = await api.latest({ metric, unitKind: kind }, controller.signal);
          for (const v of response.values) if (allowed.has(v.unit)) map.set(v.unit, { value: v.value, ts: v.ts, receivedAt: v.receivedAt });
          setPrevious(null);
        } else {
          // one request per period for every unit (GET /api/v1/aggregate), not one per province
          const now = Date.now();
          const span = durationMs(range);
          const unitsParam = Array.isArray(selection) ? { units: selection.join(',') } : { unitKind: kind ?? 'province' };
          const period = (from: number, to: number) =>
            api.aggregate(
              { metric, ...unitsParam, from: new Date(from).toISOString(), to: new Date(to).toISOString(), agg, includePredecessors },
              controller.signal,
            );
          const [current, prior] = await Promise.all([period(now - span, now + 1), period(now - 2 * span, now - span)]);
          for (const v of current.values) if (allowed.has(v.unit)) map.set(v.unit, { value: v.value, ts: v.lastTs, receivedAt: '' });
          const before = new Map<string, number>();
          for (const v of prior.values) if (allowed.has(v.unit)) before.set(v.unit, v.value);
          setPrevious(before);
        }
        setData({ values: map, live: new Map() });
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => controller.abort();
  }, [api, metric, kind, selection, allowed, range, bucket, agg, includePredecessors, reload]);

  useEffect(() => {
    return live.register({ metric, units: channelUnits(selection) }, (delta) => {
      const receivedAt = new Date().toISOString();
      const cutoff = Date.now() - durationMs(range);
      const byUnit = pointsByUnit(delta, (unit) => allowed.has(unit));
      if (byUnit.size > 0)
        setData((current) => {
          let values: Map<string, LatestValue> | null = null;
          let liveValues: Map<string, LiveAggregate> | null = null;
          for (const [unit, points] of byUnit) {
            const existing = current.values.get(unit);
            if (bucket) {
              // the aggregate over the range: the loaded one with this unit's live values in it
              const inRange = points.filter((p) => p.t >= cutoff);
              if (inRange.length === 0) continue;
              const before = current.live.get(unit) ?? {
                base: existing ? { value: existing.value, t: Date.parse(existing.ts) } : undefined,
                members: new Map(),
              };
              const after = withLiveValues(before, inRange, agg);
              const folded = liveAggregateValue(after, agg);
              if (!folded) continue;
              (liveValues ??= new Map(current.live)).set(unit, after);
              (values ??= new Map(current.values)).set(unit, { value: folded.value, ts: new Date(folded.t).toISOString(), receivedAt });
            } else {
              // the latest value: the newest time wins, and a revision of the time shown replaces it
              let newest = points[0]!;
              for (const p of points) if (p.t >= newest.t) newest = p;
              if (existing && Date.parse(existing.ts) > newest.t) continue;
              (values ??= new Map(current.values)).set(unit, { value: newest.v, ts: new Date(newest.t).toISOString(), receivedAt });
            }
          }
          return values ? { values, live: liveValues ?? current.live } : current;
        });
      setLastLive(Date.now());
    });
  }, [live, metric, allowed, bucket, agg, range, selection]);

  return { values: data.values, previous, state, lastLive };
}

/**
 * Data hooks of the wall's panels: REST for the first load (and as a slow safety net), the live stream
 * for every accepted value after that. Buffers are bounded (points and time).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelSpec, SeriesDelta } from '@dxoc/contracts';
import type { UnitSelection } from '@dxoc/dashboards/schema';
import { ApiError } from '../lib/api';
import { durationMs, foldLive, type Agg } from '../lib/aggregate';
import { mergePoint, trim, type Pt } from '../lib/series-buffer';
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
  const [series, setSeries] = useState<Record<string, Pt[]>>({});
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
            const query = { metric: spec.metric, unit, from: new Date(rangeStart(spec.range, now)).toISOString(), bucket: spec.bucket, agg: spec.agg, includePredecessors: spec.includePredecessors };
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
        setSeries(Object.fromEntries(loaded.map(([unit, points]) => [unit, trim(points, { maxPoints: spec.maxPoints, windowMs: window }, now)])));
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => controller.abort();
  }, [api, spec.metric, unitsKey, spec.range, spec.bucket, spec.agg, spec.includePredecessors, spec.maxPoints, spec.fallbackToHistory, reload]);

  useEffect(() => {
    const units = unitsKey.split(',');
    const channel: ChannelSpec = { metric: spec.metric, units };
    return live.register(channel, (delta: SeriesDelta) => {
      const now = Date.now();
      const options = { maxPoints: spec.maxPoints, windowMs: windowMs.current || rangeMs(spec.range, now), bucket: spec.bucket, agg: spec.agg };
      setSeries((current) => {
        const next = { ...current };
        for (const p of delta.points) {
          if (!units.includes(p.unit)) continue;
          next[p.unit] = mergePoint(next[p.unit] ?? [], { t: new Date(p.ts).getTime(), v: p.value }, options, now);
        }
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
  const [values, setValues] = useState<Map<string, LatestValue>>(new Map());
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
            api.aggregate({ metric, ...unitsParam, from: new Date(from).toISOString(), to: new Date(to).toISOString(), agg, includePredecessors }, controller.signal);
          const [current, prior] = await Promise.all([period(now - span, now + 1), period(now - 2 * span, now - span)]);
          for (const v of current.values) if (allowed.has(v.unit)) map.set(v.unit, { value: v.value, ts: v.lastTs, receivedAt: '' });
          const before = new Map<string, number>();
          for (const v of prior.values) if (allowed.has(v.unit)) before.set(v.unit, v.value);
          setPrevious(before);
        }
        setValues(map);
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => controller.abort();
  }, [api, metric, kind, allowed, range, bucket, agg, includePredecessors, reload]);

  useEffect(() => {
    return live.register({ metric, units: channelUnits(selection) }, (delta) => {
      const receivedAt = new Date().toISOString();
      const cutoff = Date.now() - durationMs(range);
      setValues((current) => {
        let next: Map<string, LatestValue> | null = null;
        for (const p of delta.points) {
          if (!allowed.has(p.unit)) continue;
          const existing = (next ?? current).get(p.unit);
          const t = new Date(p.ts).getTime();
          if (bucket) {
            const folded = foldLive(existing ? { value: existing.value, t: new Date(existing.ts).getTime() } : undefined, { t, v: p.value }, agg, cutoff);
            if (!folded) continue;
            next ??= new Map(current);
            next.set(p.unit, { value: folded.value, ts: new Date(folded.t).toISOString(), receivedAt });
          } else {
            if (existing && new Date(existing.ts).getTime() > t) continue;
            next ??= new Map(current);
            next.set(p.unit, { value: p.value, ts: p.ts, receivedAt });
          }
        }
        return next ?? current;
      });
      setLastLive(Date.now());
    });
  }, [live, metric, allowed, bucket, agg, range, selection]);

  return { values, previous, state, lastLive };
}

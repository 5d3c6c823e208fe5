/**
 * One definition of each number: for any sequence of inserts and revisions (any times, including times a REST
 * load already returned), loads at any point and refetches interleaved with live values, what a panel keeps
 * equals a fresh query of a model store with the backend's semantics (one value per metric, unit and time: a
 * revision replaces it; buckets and ranges aggregate the values stored in them; `to` exclusive). A bucket or
 * aggregate the buffer cannot compute is marked stale (to be fetched again) and never shows a guess; once the
 * refetches are answered, everything equals the fresh query.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveAggregateValue, loadedAggregate, withLiveValues, type Agg, type LiveAggregate } from './aggregate';
import {
  bucketEnd,
  loadedBuffer,
  mergeLive,
  withBucketValues,
  withoutStale,
  type BufferOptions,
  type Pt,
  type SeriesBuffer,
} from './series-buffer';
import { bucketStart } from './time';

const AGGS: Agg[] = ['sum', 'avg', 'min', 'max', 'last'];
const T0 = Date.UTC(2025, 0, 1, 3, 17);

// ---- the model: a store of (unit, time) → value, and the backend's queries over it, written independently ----

type Store = Map<string, Map<number, number>>;

function write(store: Store, unit: string, t: number, v: number) {
  let series = store.get(unit);
  if (!series) store.set(unit, (series = new Map()));
  series.set(t, v);
}

/** SQL's aggregate over a set of rows; `last` is last(value, ts). */
function sqlAgg(rows: Array<[number, number]>, agg: Agg): { value: number; lastTs: number } | undefined {
  if (rows.length === 0) return undefined;
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const values = sorted.map(([, v]) => v);
  const lastTs = sorted[sorted.length - 1]![0];
  const value =
    agg === 'sum'
      ? values.reduce((a, b) => a + b, 0)
      : agg === 'avg'
        ? values.reduce((a, b) => a + b, 0) / values.length
        : agg === 'min'
          ? Math.min(...values)
          : agg === 'max'
            ? Math.max(...values)
            : sorted[sorted.length - 1]![1];
  return { value, lastTs };
}

function rowsIn(store: Store, unit: string, from: number, to: number): Array<[number, number]> {
  return [...(store.get(unit) ?? [])].filter(([t]) => t >= from && t < to);
}

/** GET /api/v1/series without a bucket. */
function queryRaw(store: Store, unit: string, from: number, to: number): Pt[] {
  return rowsIn(store, unit, from, to)
    .sort((a, b) => a[0] - b[0])
    .map(([t, v]) => ({ t, v }));
}

/** GET /api/v1/series with a bucket: time_bucket, then the aggregate of each bucket's rows. */
function queryBuckets(store: Store, unit: string, from: number, to: number, bucket: string, agg: Agg): Pt[] {
  const groups = new Map<number, Array<[number, number]>>();
  for (const row of rowsIn(store, unit, from, to)) {
    const b = bucketStart(row[0], bucket);
    groups.set(b, [...(groups.get(b) ?? []), row]);
  }
  return [...groups].map(([t, rows]) => ({ t, v: sqlAgg(rows, agg)!.value })).sort((a, b) => a.t - b.t);
}

/** GET /api/v1/aggregate for one unit. */
function queryAggregate(store: Store, unit: string, from: number, to: number, agg: Agg) {
  return sqlAgg(rowsIn(store, unit, from, to), agg);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// ---- actions ----

/** k: the time index of a value (t = T0 + k * step), so that times repeat (revisions) and share buckets. */
type Action =
  | { kind: 'write'; values: Array<{ k: number; v: number }> }
  | { kind: 'tick'; steps: number }
  | { kind: 'load' }
  | { kind: 'refetch-start' }
  | { kind: 'refetch-finish' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      values: fc.array(fc.record({ k: fc.nat({ max: 60 }), v: fc.integer({ min: -50, max: 1000 }) }), { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), steps: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'load' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'refetch-start' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'refetch-finish' as const }) },
);

/** Bucket widths and a step between value times that puts several values, and several buckets, in the run. */
const SHAPES = [
  { bucket: '1h', step: 11 * 60_000 },
  { bucket: '1d', step: 5 * 3_600_000 },
  { bucket: '1w', step: 36 * 3_600_000 },
  { bucket: '1mo', step: 4 * 86_400_000 },
  { bucket: undefined, step: 7 * 60_000 },
];

describe('a bucketed or raw series buffer equals a fresh query', () => {
  it('for any inserts, revisions, loads and refetches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SHAPES),
        fc.constantFrom(...AGGS),
        fc.array(action, { maxLength: 60 }),
        ({ bucket, step }, agg, actions) => {
          const options: BufferOptions = { maxPoints: 10_000, windowMs: 1_000 * 86_400_000, bucket, agg };
          const store: Store = new Map();
          const unit = 'VN';
          // every value is at or after T0 (the panel's `from`) and before now (the backend's `to`)
          let now = T0 + 8 * step;
          let buffer: SeriesBuffer | undefined;
          // a refetch round under way: its answers as the API gave them when it was asked
          let inFlight: Array<{ t: number; v: number | undefined }> | undefined;

          const fresh = () => (bucket ? queryBuckets(store, unit, T0, now, bucket, agg) : queryRaw(store, unit, T0, now));
          const refetchStart = () => {
            if (!buffer || inFlight || !bucket) return;
            const buckets = [...(buffer.stale ?? [])];
            buffer = withoutStale(buffer, buckets);
            inFlight = buckets.map((b) => {
              const answer = queryBuckets(store, unit, Math.max(b, T0), bucketEnd(b, bucket), bucket, agg);
              return { t: b, v: answer.find((p) => p.t === b)?.v };
            });
          };
          const refetchFinish = () => {
            if (!buffer || !inFlight) return;
            buffer = withBucketValues(buffer, inFlight, options, now);
            inFlight = undefined;
          };
          const check = () => {
            if (!buffer) return;
            const unsure = new Set([...(buffer.stale ?? []), ...(inFlight ?? []).map((a) => a.t)]);
            const expected = fresh().filter((p) => !unsure.has(p.t));
            const shown = buffer.points.filter((p) => !unsure.has(p.t));
            expect(shown.map((p) => p.t)).toEqual(expected.map((p) => p.t));
            shown.forEach((p, i) => expect(close(p.v, expected[i]!.v), `${p.t}: ${p.v} vs ${expected[i]!.v}`).toBe(true));
            for (let i = 1; i < buffer.points.length; i++) expect(buffer.points[i]!.t).toBeGreaterThan(buffer.points[i - 1]!.t);
          };

          for (const a of actions) {
            switch (a.kind) {
              case 'write': {
                const points = a.values.map(({ k, v }) => ({ t: Math.min(T0 + k * step, now - 1), v }));
                for (const p of points) write(store, unit, p.t, p.v);
                if (buffer) buffer = mergeLive(buffer, points, options, now);
                break;
              }
              case 'tick':
                now += a.steps * step;
                break;
              case 'load': {
                // a load replaces the buffer; an answer still under way for the old one is dropped (data.ts: generation)
                inFlight = undefined;
                const rawFrom = bucket ? bucketStart(now, bucket) : 0;
                const raw = bucket ? { from: rawFrom, points: queryRaw(store, unit, Math.max(rawFrom, T0), now) } : undefined;
                buffer = loadedBuffer(fresh(), options, now, raw);
                break;
              }
              case 'refetch-start':
                refetchStart();
                break;
              case 'refetch-finish':
                refetchFinish();
                break;
            }
            check();
          }
          // every refetch answered: nothing unsure is left and the buffer is the fresh query
          if (buffer) {
            refetchFinish();
            refetchStart();
            refetchFinish();
            expect(buffer.stale?.size ?? 0).toBe(0);
            check();
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("a unit's aggregate over a range equals a fresh GET /aggregate", () => {
  it('for any inserts, revisions (of loaded times too), loads and refetches', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AGGS), fc.array(action, { maxLength: 60 }), (agg, actions) => {
        const step = 60_000;
        const store: Store = new Map();
        const unit = '01';
        let now = T0 + 8 * step;
        let state: LiveAggregate | undefined;
        // a request under way: its answer and horizon, and the live values received since it was sent
        let inFlight: { answer: LiveAggregate; queued: Pt[][] } | undefined;

        const load = (): LiveAggregate => {
          const horizon = now + 1;
          const answer = queryAggregate(store, unit, T0, horizon, agg);
          return loadedAggregate(answer ? { value: answer.value, t: answer.lastTs } : undefined, horizon);
        };
        const check = () => {
          if (!state || state.stale) return;
          const expected = queryAggregate(store, unit, T0, Infinity, agg);
          const shown = liveAggregateValue(state, agg);
          if (!expected) expect(shown).toBeUndefined();
          else {
            expect(shown, 'a value').toBeDefined();
            expect(close(shown!.value, expected.value), `${shown!.value} vs ${expected.value}`).toBe(true);
            expect(shown!.t).toBe(expected.lastTs);
          }
        };

        for (const a of actions) {
          switch (a.kind) {
            case 'write': {
              // times before now (revisions of loaded values among them) and after the load's horizon
              const points = a.values.map(({ k, v }) => ({ t: Math.min(T0 + k * step, now), v }));
              for (const p of points) write(store, unit, p.t, p.v);
              if (state) state = withLiveValues(state, points, agg);
              inFlight?.queued.push(points);
              break;
            }
            case 'tick':
              now += a.steps * step;
              break;
            case 'load':
              state = load();
              inFlight = undefined;
              break;
            case 'refetch-start':
              if (state?.stale && !inFlight) inFlight = { answer: load(), queued: [] };
              break;
            case 'refetch-finish':
              if (inFlight) {
                // what arrived meanwhile is applied again on the answer (data.ts)
                state = inFlight.queued.reduce((s, points) => withLiveValues(s, points, agg), inFlight.answer);
                inFlight = undefined;
              }
              break;
          }
          check();
        }
        if (state) {
          if (inFlight) state = inFlight.queued.reduce((s, points) => withLiveValues(s, points, agg), inFlight.answer);
          if (state.stale) state = load();
          expect(state.stale).toBe(false);
          check();
        }
      }),
      { numRuns: 400 },
    );
  });
});

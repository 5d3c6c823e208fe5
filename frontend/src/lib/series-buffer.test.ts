import { describe, expect, it } from 'vitest';
import type { SeriesDelta } from '@dxoc/contracts';
import { seededRandom } from './seeded-random';
import {
  EMPTY_BUFFER,
  MAX_RAW_VALUES,
  bucketEnd,
  loadedBuffer,
  markStale,
  mergeLive,
  withBucketValues,
  withoutStale,
  pointsByUnit,
  trim,
  upsertNewestFirst,
  type BufferOptions,
  type Pt,
  type SeriesBuffer,
} from './series-buffer';

const H = 3_600_000;
const pts = (...pairs: Array<[number, number]>): Pt[] => pairs.map(([t, v]) => ({ t, v }));
const buffer = (...pairs: Array<[number, number]>): SeriesBuffer => ({ points: pts(...pairs) });
const raw: BufferOptions = { maxPoints: 100, windowMs: 100 * H };
/** the hour bucket of the i-th of 1000 values per hour */
const bucketEndStart = (i: number) => Math.floor(i / 1000) * H;

describe('columnar deltas', () => {
  it('pointsByUnit splits the columns by unit, in delta order, keeping only the wanted units', () => {
    const delta: SeriesDelta = {
      channel: 'series:m:provinces',
      metric: 'm',
      units: ['79', '01', '79', 'VN', '01'],
      ts: [3, 1, 2, 9, 1],
      values: [30, 10, 20, 90, 11],
    };
    const byUnit = pointsByUnit(delta, (unit) => unit !== 'VN');
    expect([...byUnit.keys()]).toEqual(['79', '01']);
    expect(byUnit.get('79')).toEqual(pts([3, 30], [2, 20]));
    expect(byUnit.get('01')).toEqual(pts([1, 10], [1, 11]));
  });
});

describe('bounded live buffers', () => {
  it.each([
    {
      name: 'appends newer points',
      points: pts([1 * H, 1], [2 * H, 2]),
      delta: pts([3 * H, 3], [4 * H, 4]),
      options: {},
      expected: pts([1 * H, 1], [2 * H, 2], [3 * H, 3], [4 * H, 4]),
    },
    {
      name: 'a revision replaces the value at the same time',
      points: pts([1 * H, 1], [2 * H, 2]),
      delta: pts([2 * H, 5]),
      options: {},
      expected: pts([1 * H, 1], [2 * H, 5]),
    },
    {
      name: 'a revision of an old point replaces it in place',
      points: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]),
      delta: pts([1 * H, 7], [4 * H, 4]),
      options: {},
      expected: pts([1 * H, 7], [2 * H, 2], [3 * H, 3], [4 * H, 4]),
    },
    {
      name: 'of two values for one time in a delta the later wins',
      points: pts([1 * H, 1]),
      delta: pts([2 * H, 5], [3 * H, 3], [2 * H, 6]),
      options: {},
      expected: pts([1 * H, 1], [2 * H, 6], [3 * H, 3]),
    },
    {
      name: 'a late point is inserted in order',
      points: pts([1 * H, 1], [3 * H, 3]),
      delta: pts([2 * H, 2]),
      options: {},
      expected: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]),
    },
    {
      name: 'out-of-order delta values end up sorted',
      points: pts([2 * H, 2], [5 * H, 5]),
      delta: pts([4 * H, 4], [1 * H, 1], [6 * H, 6], [3 * H, 3]),
      options: {},
      expected: pts([1 * H, 1], [2 * H, 2], [3 * H, 3], [4 * H, 4], [5 * H, 5], [6 * H, 6]),
    },
    { name: 'into an empty buffer', points: [], delta: pts([2 * H, 2], [1 * H, 1]), options: {}, expected: pts([1 * H, 1], [2 * H, 2]) },
    {
      name: 'keeps at most maxPoints',
      points: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]),
      delta: pts([4 * H, 4]),
      options: { maxPoints: 3 },
      expected: pts([2 * H, 2], [3 * H, 3], [4 * H, 4]),
    },
    {
      name: 'keeps the newest maxPoints when the delta alone has more',
      points: pts([1 * H, 1]),
      delta: pts([5 * H, 5], [2 * H, 2], [4 * H, 4], [3 * H, 3]),
      options: { maxPoints: 2 },
      expected: pts([4 * H, 4], [5 * H, 5]),
    },
    {
      name: 'a late point older than all that is kept is dropped',
      points: pts([2 * H, 2], [3 * H, 3]),
      delta: pts([1 * H, 1]),
      options: { maxPoints: 2 },
      expected: pts([2 * H, 2], [3 * H, 3]),
    },
    {
      name: 'drops what left the time window',
      points: pts([1 * H, 1], [5 * H, 5]),
      delta: pts([6 * H, 6], [3 * H, 3]),
      options: { windowMs: 2 * H },
      expected: pts([5 * H, 5], [6 * H, 6]),
    },
    {
      name: 'sum buckets add up',
      points: pts([0, 10]),
      delta: pts([30 * 60_000, 5], [40 * 60_000, 1]),
      options: { bucket: '1h', agg: 'sum' as const },
      expected: pts([0, 16]),
    },
    {
      name: 'a revision in a sum bucket replaces its value',
      points: pts([0, 10]),
      delta: pts([30 * 60_000, 5], [30 * 60_000, 7]),
      options: { bucket: '1h', agg: 'sum' as const },
      expected: pts([0, 17]),
    },
    {
      name: 'max buckets keep the maximum',
      points: pts([0, 10]),
      delta: pts([60_000, 5]),
      options: { bucket: '1h', agg: 'max' as const },
      expected: pts([0, 10]),
    },
    {
      name: 'last buckets take the newest value by time',
      points: pts([0, 10]),
      delta: pts([120_000, 5], [60_000, 4]),
      options: { bucket: '1h', agg: 'last' as const },
      expected: pts([0, 5]),
    },
    {
      name: 'a value in a new bucket starts it',
      points: pts([0, 10]),
      delta: pts([H + 60_000, 5]),
      options: { bucket: '1h', agg: 'sum' as const },
      expected: pts([0, 10], [H, 5]),
    },
    {
      name: 'avg of a new bucket is the mean of its values',
      points: pts([0, 10]),
      delta: pts([H + 60_000, 5], [H + 120_000, 7]),
      options: { bucket: '1h', agg: 'avg' as const },
      expected: pts([0, 10], [H, 6]),
    },
  ])('$name', ({ points, delta, options, expected }) => {
    const now = 6 * H;
    // bucketed: the newest bucket's values were loaded one by one (the loaded points are those values here)
    const start = options.bucket ? loadedBuffer(points, { ...raw, ...options }, now, { from: 0, points }) : { points };
    expect(mergeLive(start, delta, { ...raw, ...options }, now).points).toEqual(expected);
  });

  it('a revision in a later delta replaces its value in a sum bucket, never adds', () => {
    const options: BufferOptions = { ...raw, bucket: '1h', agg: 'sum' };
    let state = mergeLive(
      loadedBuffer(pts([0, 10]), options, 6 * H, { from: 0, points: pts([0, 10]) }),
      pts([60_000, 5], [H + 60_000, 1]),
      options,
      6 * H,
    );
    expect(state.points).toEqual(pts([0, 15], [H, 1]));
    state = mergeLive(state, pts([60_000, 8]), options, 6 * H);
    expect(state.points).toEqual(pts([0, 18], [H, 1]));
    state = mergeLive(state, pts([60_000, 8], [H + 60_000, 2]), options, 6 * H);
    expect(state.points).toEqual(pts([0, 18], [H, 2]));
  });

  it('forgets the live values of buckets that left the buffer', () => {
    const options: BufferOptions = { maxPoints: 2, windowMs: 100 * H, bucket: '1h', agg: 'sum' };
    let state: SeriesBuffer = loadedBuffer([], options, 0, { from: 0, points: [] });
    for (let h = 0; h < 10; h++) state = mergeLive(state, pts([h * H + 1, h], [h * H + 2, 1]), options, 10 * H);
    expect(state.points).toEqual(pts([8 * H, 9], [9 * H, 10]));
    expect([...(state.raw?.keys() ?? [])].sort((a, b) => a - b)).toEqual([8 * H, 9 * H]);
  });

  it('does not change its input (React state) and returns the same buffer when nothing changes', () => {
    const before = buffer([1, 1], [3, 3]);
    const after = mergeLive(before, pts([2, 2], [3, 4]), { maxPoints: 10, windowMs: 100 }, 3);
    expect(before.points).toEqual(pts([1, 1], [3, 3]));
    expect(after.points).toEqual(pts([1, 1], [2, 2], [3, 4]));
    expect(mergeLive(before, [], { maxPoints: 10, windowMs: 100 }, 3)).toBe(before);
    expect(mergeLive(before, pts([-500, 9]), { maxPoints: 10, windowMs: 100 }, 3)).toBe(before);
  });

  it('stays bounded however many deltas arrive', () => {
    let state: SeriesBuffer = EMPTY_BUFFER;
    for (let i = 0; i < 2_000; i++) {
      const delta = pts([i * 5000, i], [i * 5000 + 1000, i], [i * 5000 + 2000, i], [i * 5000 + 3000, i], [i * 5000 + 4000, i]);
      state = mergeLive(state, delta, { maxPoints: 500, windowMs: 3_600_000 }, i * 5000 + 4000);
      expect(state.points.length).toBeLessThanOrEqual(500);
    }
    expect(state.points).toHaveLength(500);
    expect(state.points[0]).toEqual({ t: 1_900 * 5000, v: 1_900 });
    expect(state.points.at(-1)).toEqual({ t: 1_999 * 5000 + 4000, v: 1_999 });
  });

  it('many deltas with late values and revisions give what a plain map of time → value gives', () => {
    const next = seededRandom(42); // a failure can be replayed
    const options: BufferOptions = { maxPoints: 300, windowMs: 400_000 };
    const truth = new Map<number, number>();
    let state: SeriesBuffer = EMPTY_BUFFER;
    let now = 0;
    for (let d = 0; d < 500; d++) {
      now += 1000;
      const delta: Pt[] = [];
      const size = Math.floor(next() * 8);
      for (let k = 0; k < size; k++) {
        // mostly new values near now, some late ones, some revisions of earlier times (seconds, so times repeat)
        const r = next();
        const t =
          r < 0.6
            ? now - Math.floor(next() * 3) * 1000
            : r < 0.85
              ? now - Math.floor(next() * 300) * 1000
              : ([...truth.keys()][Math.floor(next() * truth.size)] ?? now);
        const v = Math.round(next() * 1000);
        delta.push({ t, v });
        truth.set(t, v);
      }
      const before = state;
      state = mergeLive(state, delta, options, now);
      // the reference: every value ever sent, the last per time, sorted, within the window, the newest maxPoints
      const expected = trim(
        [...truth].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t),
        options,
        now,
      );
      if (state !== before) expect(state.points).toEqual(expected);
      // a delta with nothing inside the window leaves the buffer as it was: trimmed on the next change
      else expect(trim(state.points, options, now)).toEqual(expected);
      expect(state.points.length).toBeLessThanOrEqual(options.maxPoints);
      for (let i = 1; i < state.points.length; i++) expect(state.points[i]!.t).toBeGreaterThan(state.points[i - 1]!.t);
    }
    expect(state.points.length).toBeGreaterThan(100);
  });

  it("today's running amount revised again and again shows the stored value, never loaded + revision", () => {
    // e-invoices: one value per day at local midnight, revised through the day (the simulator's daily amounts)
    const D = 86_400_000;
    const today = Date.UTC(2025, 10, 6) - 7 * H; // 00:00 in Viet Nam
    const options: BufferOptions = { maxPoints: 120, windowMs: 30 * D, bucket: '1d', agg: 'sum' };
    const now = today + 12 * H;
    const loaded = pts([today - D, 40_000], [today, 23_029]);
    let state = loadedBuffer(loaded, options, now, { from: today, points: pts([today, 23_029]) });
    for (const v of [23_221, 23_434, 23_797]) {
      state = mergeLive(state, pts([today, v]), options, now);
      expect(state.points.at(-1)).toEqual({ t: today, v });
    }
    expect(state.stale?.size ?? 0).toBe(0);
  });

  it('a live value for a bucket whose values the buffer does not hold marks it stale and leaves it as loaded', () => {
    const options: BufferOptions = { ...raw, bucket: '1h', agg: 'sum' };
    const state = loadedBuffer(pts([0, 10], [H, 5], [2 * H, 1]), options, 6 * H, { from: 2 * H, points: pts([2 * H + 5, 1]) });
    const after = mergeLive(state, pts([60_000, 3], [2 * H + 5, 2]), options, 6 * H);
    expect(after.points).toEqual(pts([0, 10], [H, 5], [2 * H, 2]));
    expect([...(after.stale ?? [])]).toEqual([0]);
    // the refetch round takes it, the API's answer replaces the point (or removes it when there is none)
    const taken = withoutStale(after, [0]);
    expect(taken.stale?.size).toBe(0);
    expect(withBucketValues(taken, [{ t: 0, v: 13 }], options, 6 * H).points).toEqual(pts([0, 13], [H, 5], [2 * H, 2]));
    expect(withBucketValues(taken, [{ t: H, v: undefined }], options, 6 * H).points).toEqual(pts([0, 10], [2 * H, 2]));
    // an answer for a bucket held one by one is ignored: the buffer computes it
    expect(withBucketValues(taken, [{ t: 2 * H, v: 99 }], options, 6 * H)).toBe(taken);
    expect([...(markStale(taken, [0, H]).stale ?? [])]).toEqual([0, H]);
    // a buffer loaded without raw values holds none: every live value refetches its bucket
    const bare = mergeLive(loadedBuffer(pts([0, 10]), options, 6 * H), pts([2 * H, 1]), options, 6 * H);
    expect(bare.points).toEqual(pts([0, 10]));
    expect([...(bare.stale ?? [])]).toEqual([2 * H]);
  });

  it('stops holding raw values beyond MAX_RAW_VALUES; the shown values stay and later values refetch', () => {
    const options: BufferOptions = { maxPoints: 100, windowMs: 1000 * H, bucket: '1h', agg: 'sum' };
    let state = loadedBuffer([], options, 0, { from: 0, points: [] });
    const values = Array.from({ length: MAX_RAW_VALUES + 1 }, (_, i) => ({ t: Math.floor((i * H) / 1000), v: 1 }));
    state = mergeLive(state, values, options, 0);
    expect(state.raw).toBeUndefined();
    expect(state.points.at(-1)).toEqual({ t: bucketEndStart(MAX_RAW_VALUES), v: (MAX_RAW_VALUES % 1000) + 1 });
    state = mergeLive(state, pts([1, 5]), options, 0);
    expect([...(state.stale ?? [])]).toEqual([0]);
  });

  it('bucketEnd is the next bucket start, months and years included', () => {
    expect(bucketEnd(0, '1h')).toBe(H);
    const january = Date.UTC(2025, 0, 1) - 7 * H;
    expect(bucketEnd(january, '1mo')).toBe(Date.UTC(2025, 1, 1) - 7 * H);
    expect(bucketEnd(Date.UTC(2025, 1, 1) - 7 * H, '1mo')).toBe(Date.UTC(2025, 2, 1) - 7 * H);
    expect(bucketEnd(january, '1y')).toBe(Date.UTC(2026, 0, 1) - 7 * H);
  });

  it('trim keeps an already short buffer as is', () => {
    const points = pts([5, 1]);
    expect(trim(points, { maxPoints: 10, windowMs: 100 }, 10)).toBe(points);
  });

  it.each([
    { items: [{ id: 1 }, { id: 2 }], item: { id: 3 }, max: 5, expected: [3, 1, 2] },
    { items: [{ id: 1 }, { id: 2 }], item: { id: 2 }, max: 5, expected: [2, 1] },
    { items: [{ id: 1 }, { id: 2 }], item: { id: 3 }, max: 2, expected: [3, 1] },
  ])('upsertNewestFirst → $expected', ({ items, item, max, expected }) => {
    expect(upsertNewestFirst(items, item, (i) => i.id, max).map((i) => i.id)).toEqual(expected);
  });
});

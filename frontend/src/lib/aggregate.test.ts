import { describe, expect, it } from 'vitest';
import {
  aggregateValues,
  liveAggregateValue,
  loadedAggregate,
  MAX_LIVE_MEMBERS,
  mapLimit,
  withLiveValues,
  type LiveAggregate,
} from './aggregate';

const H = 100; // the horizon of the loads below: the API aggregated the values before it
const loaded = (value: number, t: number): LiveAggregate => loadedAggregate({ value, t }, H);
const none: LiveAggregate = loadedAggregate(undefined, H);
const pts = (...pairs: Array<[number, number]>) => pairs.map(([t, v]) => ({ t, v }));

describe('aggregates for bucketed map and ranking panels', () => {
  it('aggregateValues is the backend rule over values by time', () => {
    const values = new Map([
      [3, 5],
      [1, 9],
      [2, 1],
    ]);
    expect(aggregateValues(values, 'sum')).toEqual({ value: 15, t: 3 });
    expect(aggregateValues(values, 'avg')).toEqual({ value: 5, t: 3 });
    expect(aggregateValues(values, 'min')).toEqual({ value: 1, t: 3 });
    expect(aggregateValues(values, 'max')).toEqual({ value: 9, t: 3 });
    expect(aggregateValues(values, 'last')).toEqual({ value: 5, t: 3 });
    expect(aggregateValues(new Map(), 'sum')).toBeUndefined();
  });

  it.each([
    { agg: 'sum' as const, state: loaded(10, 5), points: pts([106, 3]), expected: { value: 13, t: 106 } },
    { agg: 'max' as const, state: loaded(10, 5), points: pts([106, 3]), expected: { value: 10, t: 106 } },
    { agg: 'min' as const, state: loaded(10, 5), points: pts([106, 3]), expected: { value: 3, t: 106 } },
    { agg: 'last' as const, state: loaded(10, 5), points: pts([106, 3]), expected: { value: 3, t: 106 } },
    { agg: 'sum' as const, state: none, points: pts([106, 3]), expected: { value: 3, t: 106 } },
    { agg: 'avg' as const, state: none, points: pts([106, 3], [107, 5]), expected: { value: 4, t: 107 } },
  ])('a new value (after the load) folded into $agg', ({ agg, state, points, expected }) => {
    const after = withLiveValues(state, points, agg);
    expect(after.stale).toBe(false);
    expect(liveAggregateValue(after, agg)).toEqual(expected);
  });

  it.each(['sum', 'avg', 'min', 'max', 'last'] as const)(
    'a revision of a time the load aggregated is not added: the %s is stale and keeps the loaded value until fetched again',
    (agg) => {
      // "e-invoices today": the API said 10 for the day's running amount at t=5; it is revised to 13
      const after = withLiveValues(loaded(10, 5), pts([5, 13]), agg);
      expect(after.stale).toBe(true);
      expect(liveAggregateValue(after, agg)).toEqual({ value: 10, t: 5 });
      // a new load (the refetch) is the API's answer again
      const refetched = loadedAggregate({ value: 13, t: 5 }, 200);
      expect(liveAggregateValue(withLiveValues(refetched, pts([5, 13]), agg), agg)?.value).toBe(13);
    },
  );

  it('an average with a loaded base cannot count its live values in: stale, the loaded value stays', () => {
    const after = withLiveValues(loaded(10, 5), pts([106, 3]), 'avg');
    expect(after.stale).toBe(true);
    expect(liveAggregateValue(after, 'avg')).toEqual({ value: 10, t: 5 });
  });

  it.each([
    { agg: 'sum' as const, expected: 10 + 1 + 7 },
    { agg: 'max' as const, expected: 10 },
    { agg: 'min' as const, expected: 1 },
    { agg: 'last' as const, expected: 7 },
  ])('a revision of a live value replaces it instead of adding it ($agg)', ({ agg, expected }) => {
    let state = withLiveValues(loaded(10, 0), pts([101, 1], [102, 5]), agg);
    // the value for t=102 is revised twice: once in a later delta, once more within one delta
    state = withLiveValues(state, pts([102, 4]), agg);
    state = withLiveValues(state, pts([102, 6], [102, 7]), agg);
    expect(state.members).toEqual(
      new Map([
        [101, 1],
        [102, 7],
      ]),
    );
    expect(state.stale).toBe(false);
    expect(liveAggregateValue(state, agg)?.value).toBe(expected);
  });

  it('does not change its input, and returns it when nothing changes', () => {
    const state = withLiveValues(none, pts([101, 1]), 'sum');
    withLiveValues(state, pts([101, 2], [103, 3]), 'sum');
    expect(state.members).toEqual(new Map([[101, 1]]));
    const stale = withLiveValues(state, pts([1, 1]), 'sum');
    expect(stale.stale).toBe(true);
    expect(withLiveValues(stale, pts([2, 1]), 'sum')).toBe(stale);
  });

  it('stays bounded: beyond MAX_LIVE_MEMBERS times it stops holding new ones and is stale until fetched again', () => {
    let state = loaded(100, 0);
    let expected = 100;
    for (let i = 1; i <= MAX_LIVE_MEMBERS; i++) {
      state = withLiveValues(state, pts([H + i, i % 7]), 'sum');
      expected += i % 7;
    }
    expect(state.stale).toBe(false);
    expect(liveAggregateValue(state, 'sum')?.value).toBe(expected);
    // a revision of a held time still replaces it
    state = withLiveValues(state, pts([H + MAX_LIVE_MEMBERS, 100]), 'sum');
    expect(state.stale).toBe(false);
    state = withLiveValues(state, pts([H + MAX_LIVE_MEMBERS + 1, 1]), 'sum');
    expect(state.stale).toBe(true);
    expect(state.members.size).toBe(MAX_LIVE_MEMBERS);
  });

  it('mapLimit keeps order and the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([1, 2, 3, 4, 5, 6, 7, 8], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return n * 2;
    });
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(peak).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { liveAggregateValue, MAX_LIVE_MEMBERS, mapLimit, withLiveValues, type LiveAggregate } from './aggregate';

const loaded = (value: number, t: number): LiveAggregate => ({ base: { value, t }, members: new Map() });
const none: LiveAggregate = { base: undefined, members: new Map() };
const pts = (...pairs: Array<[number, number]>) => pairs.map(([t, v]) => ({ t, v }));

describe('aggregates for bucketed map and ranking panels', () => {
  it.each([
    { agg: 'sum' as const, state: loaded(10, 5), points: pts([6, 3]), expected: { value: 13, t: 6 } },
    { agg: 'max' as const, state: loaded(10, 5), points: pts([6, 3]), expected: { value: 10, t: 6 } },
    { agg: 'min' as const, state: loaded(10, 5), points: pts([6, 3]), expected: { value: 3, t: 6 } },
    { agg: 'last' as const, state: loaded(10, 5), points: pts([6, 3]), expected: { value: 3, t: 6 } },
    { agg: 'last' as const, state: loaded(10, 5), points: pts([4, 3]), expected: { value: 10, t: 5 } },
    { agg: 'sum' as const, state: none, points: pts([6, 3]), expected: { value: 3, t: 6 } },
    { agg: 'avg' as const, state: loaded(10, 5), points: pts([6, 3]), expected: { value: 10, t: 6 } },
    { agg: 'avg' as const, state: none, points: pts([6, 3], [7, 5]), expected: { value: 4, t: 7 } },
  ])('a live value folded into $agg', ({ agg, state, points, expected }) => {
    expect(liveAggregateValue(withLiveValues(state, points, agg), agg)).toEqual(expected);
  });

  it.each([
    { agg: 'sum' as const, expected: 10 + 1 + 7 },
    { agg: 'max' as const, expected: 10 },
    { agg: 'min' as const, expected: 1 },
    { agg: 'last' as const, expected: 7 },
  ])('a revision replaces its value instead of adding it ($agg)', ({ agg, expected }) => {
    let state = withLiveValues(loaded(10, 0), pts([1, 1], [2, 5]), agg);
    // the value for t=2 is revised twice: once in a later delta, once more within one delta
    state = withLiveValues(state, pts([2, 4]), agg);
    state = withLiveValues(state, pts([2, 6], [2, 7]), agg);
    expect(state.members).toEqual(
      new Map([
        [1, 1],
        [2, 7],
      ]),
    );
    expect(liveAggregateValue(state, agg)?.value).toBe(expected);
  });

  it('does not change its input', () => {
    const state = withLiveValues(none, pts([1, 1]), 'sum');
    withLiveValues(state, pts([1, 2], [3, 3]), 'sum');
    expect(state.members).toEqual(new Map([[1, 1]]));
  });

  it('stays bounded: the oldest live values are folded into the base, the total is unchanged', () => {
    let state = loaded(100, 0);
    let expected = 100;
    for (let i = 1; i <= 3 * MAX_LIVE_MEMBERS; i++) {
      state = withLiveValues(state, pts([i, i % 7]), 'sum');
      expected += i % 7;
    }
    expect(state.members.size).toBeLessThanOrEqual(MAX_LIVE_MEMBERS);
    expect(Math.min(...state.members.keys())).toBeGreaterThan(2 * MAX_LIVE_MEMBERS);
    expect(liveAggregateValue(state, 'sum')).toEqual({ value: expected, t: 3 * MAX_LIVE_MEMBERS });
    // the newest can still be revised
    const revised = withLiveValues(state, pts([3 * MAX_LIVE_MEMBERS, 100]), 'sum');
    expect(liveAggregateValue(revised, 'sum')?.value).toBe(expected - ((3 * MAX_LIVE_MEMBERS) % 7) + 100);
  });

  it('an average folded into its base stays the average of every live value', () => {
    let state = none;
    let total = 0;
    const n = MAX_LIVE_MEMBERS + 700;
    for (let i = 0; i < n; i++) {
      state = withLiveValues(state, pts([i, i]), 'avg');
      total += i;
    }
    expect(state.base?.n).toBeGreaterThan(0);
    expect(liveAggregateValue(state, 'avg')?.value).toBeCloseTo(total / n, 9);
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

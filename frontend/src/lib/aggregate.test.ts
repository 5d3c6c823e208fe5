import { describe, expect, it } from 'vitest';
import { foldLive, mapLimit } from './aggregate';


describe('aggregates for bucketed map and ranking panels', () => {
  it.each([
    { agg: 'sum' as const, current: { value: 10, t: 5 }, point: { t: 6, v: 3 }, expected: { value: 13, t: 6 } },
    { agg: 'max' as const, current: { value: 10, t: 5 }, point: { t: 6, v: 3 }, expected: { value: 10, t: 6 } },
    { agg: 'last' as const, current: { value: 10, t: 5 }, point: { t: 6, v: 3 }, expected: { value: 3, t: 6 } },
    { agg: 'last' as const, current: { value: 10, t: 5 }, point: { t: 4, v: 3 }, expected: { value: 10, t: 5 } },
    { agg: 'sum' as const, current: undefined, point: { t: 6, v: 3 }, expected: { value: 3, t: 6 } },
    { agg: 'sum' as const, current: { value: 10, t: 5 }, point: { t: 0, v: 3 }, expected: { value: 10, t: 5 } },
  ])('foldLive $agg', ({ agg, current, point, expected }) => {
    expect(foldLive(current, point, agg, 1)).toEqual(expected);
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

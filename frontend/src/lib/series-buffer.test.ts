import { describe, expect, it } from 'vitest';
import { mergePoint, trim, upsertNewestFirst, type Pt } from './series-buffer';

const H = 3_600_000;
const pts = (...pairs: Array<[number, number]>): Pt[] => pairs.map(([t, v]) => ({ t, v }));

describe('bounded live buffers', () => {
  it.each([
    { name: 'appends a newer point', points: pts([1 * H, 1], [2 * H, 2]), point: { t: 3 * H, v: 3 }, options: {}, expected: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]) },
    { name: 'a revision replaces the value at the same time', points: pts([1 * H, 1], [2 * H, 2]), point: { t: 2 * H, v: 5 }, options: {}, expected: pts([1 * H, 1], [2 * H, 5]) },
    { name: 'a late point is inserted in order', points: pts([1 * H, 1], [3 * H, 3]), point: { t: 2 * H, v: 2 }, options: {}, expected: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]) },
    { name: 'keeps at most maxPoints', points: pts([1 * H, 1], [2 * H, 2], [3 * H, 3]), point: { t: 4 * H, v: 4 }, options: { maxPoints: 3 }, expected: pts([2 * H, 2], [3 * H, 3], [4 * H, 4]) },
    { name: 'drops what left the time window', points: pts([1 * H, 1], [5 * H, 5]), point: { t: 6 * H, v: 6 }, options: { windowMs: 2 * H }, expected: pts([5 * H, 5], [6 * H, 6]) },
    { name: 'sum buckets add up', points: pts([0, 10]), point: { t: 30 * 60_000, v: 5 }, options: { bucket: '1h', agg: 'sum' as const }, expected: pts([0, 15]) },
    { name: 'max buckets keep the maximum', points: pts([0, 10]), point: { t: 60_000, v: 5 }, options: { bucket: '1h', agg: 'max' as const }, expected: pts([0, 10]) },
    { name: 'last buckets take the newest value', points: pts([0, 10]), point: { t: 60_000, v: 5 }, options: { bucket: '1h', agg: 'last' as const }, expected: pts([0, 5]) },
    { name: 'a value in a new bucket starts it', points: pts([0, 10]), point: { t: H + 60_000, v: 5 }, options: { bucket: '1h', agg: 'sum' as const }, expected: pts([0, 10], [H, 5]) },
  ])('$name', ({ points, point, options, expected }) => {
    const now = 6 * H;
    expect(mergePoint(points, point, { maxPoints: 100, windowMs: 100 * H, ...options }, now)).toEqual(expected);
  });

  it('does not change its input (React state)', () => {
    const points = pts([1, 1]);
    mergePoint(points, { t: 2, v: 2 }, { maxPoints: 10, windowMs: 100 }, 2);
    expect(points).toEqual(pts([1, 1]));
  });

  it('stays bounded however many points arrive', () => {
    let points: Pt[] = [];
    for (let i = 0; i < 10_000; i++) points = mergePoint(points, { t: i * 1000, v: i }, { maxPoints: 500, windowMs: 3_600_000 }, i * 1000);
    expect(points).toHaveLength(500);
    expect(points[0]!.v).toBe(9500);
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

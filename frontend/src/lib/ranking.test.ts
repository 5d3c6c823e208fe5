import { describe, expect, it } from 'vitest';
import { computeRanking, rank } from './ranking';

const v = (pairs: object) => Object.entries(pairs).map(([unit, value]) => ({ unit, value: value as number }));

describe('ranking', () => {
  it.each([
    { name: 'higher is better', values: { a: 3, b: 5, c: 1 }, better: 'higher' as const, expected: { b: 1, a: 2, c: 3 } },
    { name: 'lower is better (a rank)', values: { a: 3, b: 5, c: 1 }, better: 'lower' as const, expected: { c: 1, a: 2, b: 3 } },
    {
      name: 'ties share a rank (1224)',
      values: { a: 5, b: 5, c: 4, d: 1 },
      better: 'higher' as const,
      expected: { a: 1, b: 1, c: 3, d: 4 },
    },
  ])('$name', ({ values, better, expected }) => {
    expect(Object.fromEntries(rank(v(values), better))).toEqual(expected);
  });

  it.each([
    {
      name: 'top and bottom with moves since the previous period',
      current: { a: 10, b: 9, c: 8, d: 7, e: 6, f: 5 },
      previous: { a: 8, b: 10, c: 9, d: 7, e: 5, f: 6 },
      top: 2,
      bottom: 2,
      expected: [
        ['a', 1, 2, 'top'],
        ['b', 2, -1, 'top'],
        ['e', 5, 1, 'bottom'],
        ['f', 6, -1, 'bottom'],
      ],
    },
    {
      name: 'a unit new this period has no move; the one it overtook moves down',
      current: { a: 10, b: 9 },
      previous: { b: 1 },
      top: 5,
      bottom: 5,
      expected: [
        ['a', 1, null, 'top'],
        ['b', 2, -1, 'top'],
      ],
    },
    {
      name: 'fewer units than top + bottom: all of them, once',
      current: { a: 1, b: 2, c: 3 },
      previous: {},
      top: 2,
      bottom: 2,
      expected: [
        ['c', 1, null, 'top'],
        ['b', 2, null, 'top'],
        ['a', 3, null, 'top'],
      ],
    },
  ])('$name', ({ current, previous, top, bottom, expected }) => {
    const { rows, total } = computeRanking(v(current), v(previous), { betterWhen: 'higher', top, bottom });
    expect(total).toBe(Object.keys(current).length);
    expect(rows.map((r) => [r.unit, r.rank, r.change, r.group])).toEqual(expected);
  });

  it('previous ranks count only units that still have a value', () => {
    // z ranked first last period but has no value now: a keeps rank 1 → no move
    const { rows } = computeRanking(v({ a: 5 }), v({ z: 9, a: 5 }), { betterWhen: 'higher', top: 5, bottom: 0 });
    expect(rows[0]!.change).toBe(0);
  });
});

/** Rankings of provinces or ministries with the change of rank since the previous period. Pure. */

export interface UnitValue {
  unit: string;
  value: number;
}

export interface RankedRow {
  unit: string;
  value: number;
  /** 1 = best */
  rank: number;
  previousRank: number | null;
  /** positive = moved up */
  change: number | null;
  group: 'top' | 'bottom';
}

/** Competition ranking ("1224"): equal values share a rank. */
export function rank(values: UnitValue[], betterWhen: 'higher' | 'lower'): Map<string, number> {
  const sorted = [...values].sort(
    (a, b) => (betterWhen === 'higher' ? b.value - a.value : a.value - b.value) || a.unit.localeCompare(b.unit),
  );
  const ranks = new Map<string, number>();
  sorted.forEach((row, index) => {
    const previous = sorted[index - 1];
    ranks.set(row.unit, previous && previous.value === row.value ? ranks.get(previous.unit)! : index + 1);
  });
  return ranks;
}

export function computeRanking(
  current: UnitValue[],
  previous: UnitValue[],
  options: { betterWhen: 'higher' | 'lower'; top: number; bottom: number },
): { rows: RankedRow[]; total: number } {
  const ranks = rank(current, options.betterWhen);
  // previous ranks only among the units that also have a current value, so moves are comparable
  const present = new Set(current.map((row) => row.unit));
  const previousRanks = rank(
    previous.filter((row) => present.has(row.unit)),
    options.betterWhen,
  );
  const ordered = [...current].sort((a, b) => ranks.get(a.unit)! - ranks.get(b.unit)! || a.unit.localeCompare(b.unit));
  const toRow = (row: UnitValue, group: 'top' | 'bottom'): RankedRow => {
    const r = ranks.get(row.unit)!;
    const p = previousRanks.get(row.unit) ?? null;
    return { unit: row.unit, value: row.value, rank: r, previousRank: p, change: p === null ? null : p - r, group };
  };
  if (options.top + options.bottom >= ordered.length) return { rows: ordered.map((row) => toRow(row, 'top')), total: ordered.length };
  const top = ordered.slice(0, options.top).map((row) => toRow(row, 'top'));
  const bottom = options.bottom > 0 ? ordered.slice(-options.bottom).map((row) => toRow(row, 'bottom')) : [];
  return { rows: [...top, ...bottom], total: ordered.length };
}

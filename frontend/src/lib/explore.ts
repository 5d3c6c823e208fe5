/** Explore: several units' series side by side as one table (and CSV). Pure. */
import { formatNumber, VN_OFFSET_MS, type Lang } from './format';
import type { Pt } from './series-buffer';

export interface PivotTable {
  units: string[];
  rows: Array<{ t: number; values: Array<number | null> }>;
}

/** One row per time present in any series, newest first; a unit without a value at that time is null. */
export function pivot(series: Record<string, Pt[]>, units: string[]): PivotTable {
  const byTime = new Map<number, Array<number | null>>();
  units.forEach((unit, index) => {
    for (const p of series[unit] ?? []) {
      let row = byTime.get(p.t);
      if (!row) {
        row = units.map(() => null);
        byTime.set(p.t, row);
      }
      row[index] = p.v;
    }
  });
  return { units, rows: [...byTime.entries()].sort((a, b) => b[0] - a[0]).map(([t, values]) => ({ t, values })) };
}

/** ISO-8601 in Viet Nam time with its offset: what a spreadsheet user expects to read. */
export function vnIsoTime(t: number): string {
  return `${new Date(t + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** CSV cells: machine-readable numbers (dot decimals, no grouping) whatever the screen's language. */
export function csvRows(table: PivotTable): Array<Array<string | number | null>> {
  return table.rows.map((row) => [vnIsoTime(row.t), ...row.values]);
}

export function formatCell(value: number | null, lang: Lang, percent: boolean): string {
  if (value === null) return '—';
  return percent ? `${formatNumber(value, lang, 2)}%` : formatNumber(value, lang, 2);
}

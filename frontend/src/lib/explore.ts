/** Explore: several units' series side by side as one table (and CSV). Pure. */
import { formatNumber, wallClock, type Lang } from './format';
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

/** ISO-8601 in the backend's zone with its offset ("+07:00" in Viet Nam): what a spreadsheet user expects to read. */
export function localIsoTime(t: number): string {
  const local = wallClock(t);
  const offsetMinutes = Math.round((local.getTime() - t) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local.toISOString().slice(0, 19)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** CSV cells: machine-readable numbers (dot decimals, no grouping) whatever the screen's language. */
export function csvRows(table: PivotTable): Array<Array<string | number | null>> {
  return table.rows.map((row) => [localIsoTime(row.t), ...row.values]);
}

export function formatCell(value: number | null, lang: Lang, percent: boolean): string {
  if (value === null) return '—';
  return percent ? `${formatNumber(value, lang, 2)}%` : formatNumber(value, lang, 2);
}

/**
 * How fresh what a panel shows is: "Số liệu đến …" (data as of) and whether that is older than the indicator's
 * reporting cadence allows (time.ts isStale: two periods). Pure; every wall panel goes through it (PanelFrame).
 */
import { formatDate, formatDateTime, type Lang } from './format';
import { isStale, type Cadence } from './time';

export interface FreshnessInput {
  /** the newest time the panel's figures stand for (a value's ts, a bucket's start); null: no data */
  asOf: number | string | null | undefined;
  /** the indicator's cadence; null for what has none (alerts, compliance: kept current by the stream) */
  cadence: Cadence | null;
  /**
   * the span asOf stands for (a bucket of a bucketed series: a "1d" bucket starting at 00:00 holds the day's values
   * until now); staleness is measured from its end, never later than now
   */
  periodMs?: number;
  /** show the date only (a daily bucket, a yearly value) */
  dateOnly?: boolean;
}

export interface Freshness {
  asOf: number | null;
  stale: boolean;
  /** "05/12/2026 16:40" (vi) / "5 Dec 2026 16:40" (en), in the wall's zone; '' without data */
  text: string;
}

function toMs(ts: number | string | null | undefined): number | null {
  if (ts === null || ts === undefined || ts === '') return null;
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}

export function freshness(input: FreshnessInput, now: number, lang: Lang): Freshness {
  const asOf = toMs(input.asOf);
  if (asOf === null) return { asOf: null, stale: false, text: '' };
  const end = Math.min(now, asOf + Math.max(0, input.periodMs ?? 0));
  return {
    asOf,
    stale: input.cadence ? isStale(end, input.cadence, now) : false,
    text: input.dateOnly ? formatDate(asOf, lang) : formatDateTime(asOf, lang),
  };
}

/** The newest of several times (units of a map or ranking, lines of a chart); null when there are none. */
export function newestOf(times: Iterable<number | string | null | undefined>): number | null {
  let newest: number | null = null;
  for (const ts of times) {
    const ms = toMs(ts);
    if (ms !== null && (newest === null || ms > newest)) newest = ms;
  }
  return newest;
}

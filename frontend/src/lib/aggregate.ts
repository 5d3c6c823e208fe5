/**
 * Map and ranking panels whose query has a bucket show, per unit, the indicator aggregated over the panel's
 * range ("e-invoices over 30 days": the sum of the days), computed by GET /api/v1/aggregate; live values are
 * folded in here until the next reload. Pure.
 */
import type { Pt } from './series-buffer';

export type Agg = 'avg' | 'sum' | 'min' | 'max' | 'last';

const SIZES: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, mo: 30 * 86_400_000, y: 365 * 86_400_000 };

export function durationMs(text: string): number {
  const match = /^(\d{1,4})(m|h|d|w|mo|y)$/.exec(text);
  if (!match) throw new Error(`bad duration "${text}"`);
  return Number(match[1]) * SIZES[match[2]!]!;
}

/** A live value folded into a unit's aggregate (avg is left to the next reload). */
export function foldLive(current: { value: number; t: number } | undefined, point: Pt, agg: Agg, cutoff: number): { value: number; t: number } | undefined {
  if (point.t < cutoff) return current;
  if (!current) return { value: point.v, t: point.t };
  const t = Math.max(current.t, point.t);
  switch (agg) {
    case 'sum':
      return { value: current.value + point.v, t };
    case 'max':
      return { value: Math.max(current.value, point.v), t };
    case 'min':
      return { value: Math.min(current.value, point.v), t };
    case 'last':
      return point.t >= current.t ? { value: point.v, t } : current;
    case 'avg':
      return current;
  }
}

/** Run async jobs with at most `limit` in flight (34 provinces, six at a time, like a browser would). */
export async function mapLimit<T, R>(items: T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

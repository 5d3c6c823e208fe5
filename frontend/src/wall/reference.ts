/**
 * The value a KPI tile compares with: reads what the page's reference needs (lib/kpi.ts planReference) and
 * resolves it. Levels and totals: GET /latest as of the reference instant. Running amounts: the reference bucket's
 * complete reporting periods (GET /aggregate), the whole bucket (the labelled fallback) and the revisions of the
 * running value (GET /api/v1/history), whose receipt times say what it was at the same time of day.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Aggregation } from '@dxoc/contracts';
import type { CompareMode } from '@dxoc/dashboards/schema';
import { ApiError } from '../lib/api';
import { compareSetting, planReference, resolveReference, type Reference, type ReferenceData, type ReferencePlan } from '../lib/kpi';
import type { Cadence } from '../lib/time';
import { useReload, useWall } from './context';

/**
 * The reads of a reference period that is over, shared by the tiles and the rotation (a page comes back every few
 * minutes; a day of revisions of a running count is a few thousand rows). Bounded, and read again after a while
 * in case a late revision changed a past day.
 */
const CACHE_TTL_MS = 10 * 60_000;
const CACHE_LIMIT = 64;
const pastReads = new Map<string, { data: ReferenceData; until: number }>();

function cached(key: string, now: number): ReferenceData | null {
  const hit = pastReads.get(key);
  if (!hit) return null;
  if (hit.until < now) {
    pastReads.delete(key);
    return null;
  }
  return hit.data;
}

function remember(key: string, data: ReferenceData, now: number): void {
  if (pastReads.size >= CACHE_LIMIT) pastReads.delete(pastReads.keys().next().value as string);
  pastReads.set(key, { data, until: now + CACHE_TTL_MS });
}

/** Levels are read again when the reference instant has moved by this much (the label says "same time", not the minute). */
const LEVEL_STEP_MS = 5 * 60_000;

export interface ReferenceSpec {
  compare: CompareMode;
  metric: string;
  unit: string;
  bucket?: string | undefined;
  agg?: Aggregation | undefined;
  defaultAgg: Aggregation;
  cadence: Cadence;
  includePredecessors?: boolean | undefined;
  now: number;
}

/** The resolved reference (null: none, or nothing to compare with) and the plan it came from. */
export function useReference(spec: ReferenceSpec): { reference: Reference | null; plan: ReferencePlan | null } {
  const { api, catalog } = useWall();
  const reload = useReload();
  const { compare, metric, unit, bucket, agg, defaultAgg, cadence, includePredecessors, now } = spec;
  const exact = useMemo(
    () => planReference(compareSetting(compare), now, { bucket, agg, defaultAgg, cadence }),
    [compare, now, bucket, agg, defaultAgg, cadence],
  );
  // what is read changes far less often than the reference instant: levels every few minutes, amounts per bucket
  const readKey = !exact
    ? 'none'
    : exact.measure === 'amount'
      ? `amount|${exact.from}|${exact.end}|${exact.partialTs}|${exact.complete}`
      : `${exact.measure}|${Math.floor(exact.at / LEVEL_STEP_MS)}`;
  const [read, setRead] = useState<{ key: string; data: ReferenceData } | null>(null);

  useEffect(() => {
    if (!exact) return;
    const plan = exact;
    const controller = new AbortController();
    const signal = controller.signal;
    const iso = (t: number) => new Date(t).toISOString();
    const unitKind = catalog.unit(unit)?.kind;
    const sum = async (from: number, to: number): Promise<number | null> => {
      if (to <= from) return 0;
      const response = await api.aggregate({ metric, units: unit, from: iso(from), to: iso(to), agg: 'sum', includePredecessors }, signal);
      return response.values.find((v) => v.unit === unit)?.value ?? null;
    };
    (async () => {
      try {
        let data: ReferenceData;
        if (plan.measure === 'level') {
          const asOf = Math.floor(plan.at / LEVEL_STEP_MS) * LEVEL_STEP_MS;
          const response = await api.latest({ metric, unitKind, asOf: iso(asOf) }, signal);
          data = { value: response.values.find((v) => v.unit === unit)?.value ?? null };
        } else if (plan.measure === 'aggregate') {
          const to = Math.floor(plan.at / LEVEL_STEP_MS) * LEVEL_STEP_MS + 1;
          const response = await api.aggregate(
            { metric, units: unit, from: iso(plan.from), to: iso(to), agg: plan.agg, includePredecessors },
            signal,
          );
          data = { value: response.values.find((v) => v.unit === unit)?.value ?? null };
        } else {
          const cacheKey = `${metric}|${unit}|${includePredecessors ? 'p' : ''}|${readKey}`;
          const hit = cached(cacheKey, Date.now());
          if (hit) {
            setRead({ key: readKey, data: hit });
            return;
          }
          const partialTs = plan.partialTs;
          const [whole, before, revisions] = await Promise.all([
            sum(plan.from, plan.end),
            partialTs === null ? Promise.resolve(null) : sum(plan.from, partialTs),
            partialTs === null
              ? Promise.resolve(null)
              : api
                  .history({ metric, unit, ts: iso(partialTs) }, signal)
                  .then((history) => history.revisions)
                  .catch((error: unknown) => {
                    // nothing stored for that period (yet): only the whole bucket can be compared with
                    if (error instanceof ApiError && error.status === 404) return null;
                    throw error;
                  }),
          ]);
          data = { whole, before, revisions };
          if (plan.end <= Date.now()) remember(cacheKey, data, Date.now());
        }
        if (!signal.aborted) setRead({ key: readKey, data });
      } catch {
        // no reference is shown rather than a wrong one; the next reload tries again
        if (!signal.aborted) setRead({ key: readKey, data: {} });
      }
    })();
    return () => controller.abort();
    // readKey stands for the plan's reads; the exact plan changes every tick and must not refetch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, catalog, metric, unit, includePredecessors, readKey, reload]);

  const reference = useMemo(
    () => (exact && read && read.key === readKey ? resolveReference(exact, read.data) : null),
    [exact, read, readKey],
  );
  return { reference, plan: exact };
}

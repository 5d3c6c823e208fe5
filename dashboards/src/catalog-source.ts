/**
 * Where the validate command gets the metric and unit codes from: the reference catalog in `@dxoc/contracts`
 * (the same data the backend seeds), or a running dxoc API whose staff may have added metrics and units since.
 */
import { UnitKindSchema } from '@dxoc/contracts';
import { seedMetrics, seedUnits } from '@dxoc/contracts/reference';
import { z } from 'zod';
import type { DashboardCatalog } from './references';

const CatalogShape = z.object({
  metrics: z.array(z.object({ code: z.string(), unitKinds: z.array(UnitKindSchema) })),
  units: z.array(
    z.object({ code: z.string(), kind: UnitKindSchema, validUntil: z.string().nullable(), successors: z.array(z.string()).optional() }),
  ),
});

/** The reference catalog every fresh database is seeded with. */
export function referenceCatalog(): DashboardCatalog {
  return { metrics: seedMetrics, units: seedUnits };
}

/** The catalog of a running dxoc API (GET /api/v1/catalog/metrics and /units). */
export async function catalogFromApi(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<DashboardCatalog> {
  const get = async (what: string) => {
    const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/catalog/${what}`;
    const response = await fetchImpl(url);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const [metrics, units] = await Promise.all([get('metrics'), get('units')]);
  return CatalogShape.parse({ metrics: metrics.metrics, units: units.units });
}

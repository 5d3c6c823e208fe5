/**
 * Where the validate command gets the metric and unit codes from: a running dxoc API, or, inside the
 * repository, the backend's reference catalog source (the same data the backend seeds). A runtime import by
 * path, not a package dependency: the backend depends on this package, so the reverse would be a cycle.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { DashboardCatalog } from './references';

const UnitKind = z.enum(['nation', 'province', 'ministry']);
const CatalogShape = z.object({
  metrics: z.array(z.object({ code: z.string(), unitKinds: z.array(UnitKind) })),
  units: z.array(z.object({ code: z.string(), kind: UnitKind, validUntil: z.string().nullable(), successors: z.array(z.string()).optional() })),
});

export const REPOSITORY_SEED_DIR = fileURLToPath(new URL('../../backend/src/catalog/seed/', import.meta.url));

/** The backend's seed catalog when this package runs inside the repository, else null. */
export async function catalogFromRepository(seedDir: string = REPOSITORY_SEED_DIR): Promise<DashboardCatalog | null> {
  const metricsFile = `${seedDir}metrics.ts`;
  const unitsFile = `${seedDir}units.ts`;
  if (!existsSync(metricsFile) || !existsSync(unitsFile)) return null;
  const metrics = (await import(pathToFileURL(metricsFile).href)) as { seedMetrics?: unknown };
  const units = (await import(pathToFileURL(unitsFile).href)) as { seedUnits?: unknown };
  return CatalogShape.parse({ metrics: metrics.seedMetrics, units: units.seedUnits });
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

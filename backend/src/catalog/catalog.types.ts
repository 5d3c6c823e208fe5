import type { SeedMetric, SeedTarget, SeedUnit } from '@dxoc/contracts';

/** A unit as the catalog serves it: its seeded fields (less the legal basis) and the units it absorbed. */
export type Unit = Omit<SeedUnit, 'legalBasis'> & { predecessors: string[] };

export type Target = SeedTarget & { id: number };

/** A metric has exactly the fields it is seeded with (documented in seed/types.ts). */
export type Metric = SeedMetric;

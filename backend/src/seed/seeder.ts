import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import { ObservationsRepository } from '../ingest/observations.repository';
import { CatalogRepository } from '../catalog/catalog.repository';
import { seedHistory } from '../catalog/seed/history';
import { seedMetrics } from '@dxoc/contracts/reference';
import { seedTargets } from '@dxoc/contracts/reference';
import { seedUnits } from '@dxoc/contracts/reference';
import { CatalogService } from '../catalog/catalog.service';

export interface SeedReport {
  units: number;
  metrics: number;
  targets: number;
  observations: number;
}

/**
 * Loads the reference catalog and the historical national figures from the government notices.
 * Idempotent: only missing rows are inserted; each cited source becomes one batch of the "seed" key.
 * It writes the catalog and observations in one transaction, so it sits above both (catalog/ never imports ingest/).
 */
@Injectable()
export class Seeder {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(ObservationsRepository) private readonly observations: ObservationsRepository,
    @Inject(CatalogService) private readonly catalogCache: Pick<CatalogService, 'invalidate'>,
  ) {}

  async run(): Promise<SeedReport> {
    const report = await this.db.transaction(async (tx) => {
      const units = await this.catalog.insertMissingUnits(tx, seedUnits);
      const metrics = await this.catalog.insertMissingMetrics(tx, seedMetrics);
      const targets = await this.catalog.insertMissingTargets(tx, seedTargets);
      let observations = 0;
      const bySource = new Map<string, typeof seedHistory>();
      for (const item of seedHistory) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
      for (const [source, items] of bySource) {
        const points = items.map((i) => ({ metric: i.metricCode, unit: i.unitCode, ts: Date.parse(i.ts), value: i.value }));
        const batchId = `seed:${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
        const contentHash = createHash('sha256').update(JSON.stringify(points)).digest('hex');
        const isNew = await this.observations.recordBatch(tx, {
          keyId: 'seed',
          batchId,
          contentHash,
          pointCount: points.length,
          receivedAt: new Date(),
          source,
        });
        if (!isNew) continue;
        const stored = await this.observations.store(tx, points, batchId, 'seed', new Date());
        observations += stored.inserted;
      }
      return { units, metrics, targets, observations };
    });
    // a snapshot read while the seed was being written (an alert sweep, a first request) must not hide it
    this.catalogCache.invalidate();
    return report;
  }
}

import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { IngestModule } from '../ingest/ingest.module';
import { Seeder } from './seeder';

/** The reference catalog and historical figures, loaded at startup and by `dxoc seed`. */
@Module({
  imports: [CatalogModule, IngestModule],
  providers: [Seeder],
  exports: [Seeder],
})
export class SeedModule {}

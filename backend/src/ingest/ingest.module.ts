import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { KeysModule } from '../keys/keys.module';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { ObservationsRepository } from './observations.repository';

/** POST /api/v1/ingest: agent batches, validated against the catalog and stored atomically; announces 'observations.stored'. */
@Module({
  imports: [CatalogModule, KeysModule],
  controllers: [IngestController],
  providers: [ObservationsRepository, IngestService],
  exports: [ObservationsRepository],
})
export class IngestModule {}

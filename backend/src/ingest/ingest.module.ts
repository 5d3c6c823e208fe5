import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { KeysModule } from '../keys/keys.module';
import { IngestAdmission } from './ingest-admission';
import { IngestLogController } from './ingest-log.controller';
import { IngestLogRepository } from './ingest-log.repository';
import { IngestLogService } from './ingest-log.service';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { ObservationsRepository } from './observations.repository';

/** POST /api/v1/ingest: agent batches, validated against the catalog and stored atomically; announces 'observations.stored'. */
@Module({
  imports: [CatalogModule, KeysModule],
  controllers: [IngestController, IngestLogController],
  providers: [ObservationsRepository, IngestService, IngestLogRepository, IngestLogService, IngestAdmission],
  exports: [ObservationsRepository],
})
export class IngestModule {}

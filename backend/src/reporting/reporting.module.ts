import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { QueryModule } from '../query/query.module';
import { ReportingController } from './reporting.controller';
import { ReportingService } from './reporting.service';

/** Who reported on time for the current period. */
@Module({
  imports: [CatalogModule, QueryModule],
  controllers: [ReportingController],
  providers: [ReportingService],
  exports: [ReportingService],
})
export class ReportingModule {}

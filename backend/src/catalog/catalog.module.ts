import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { CatalogAdminService } from './catalog-admin.service';
import { CatalogController } from './catalog.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { TargetStatusRepository } from './target-status.repository';
import { TargetStatusService } from './target-status.service';

/** Units, metrics and targets: read by everyone through CatalogService, changed by admins and staff. */
@Module({
  imports: [AuditModule],
  controllers: [CatalogController],
  providers: [CatalogRepository, CatalogService, CatalogAdminService, TargetStatusRepository, TargetStatusService],
  exports: [CatalogService, CatalogRepository, TargetStatusService],
})
export class CatalogModule {}

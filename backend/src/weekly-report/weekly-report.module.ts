import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { DatabaseModule } from '../db/database.module';
import { QueryModule } from '../query/query.module';
import { ReportingModule } from '../reporting/reporting.module';
import { WeeklyFiguresRepository } from './weekly-figures.repository';
import { WeeklyFiguresService } from './weekly-figures.service';
import { WeeklyReportController } from './weekly-report.controller';
import { WeeklyReportRepository } from './weekly-report.repository';
import { WeeklyReportScheduler } from './weekly-report.scheduler';
import { WeeklyReportService } from './weekly-report.service';

/** The weekly committee report: figures of a week, its PDF (vi, en), storage, download, and the Monday 07:00 run. */
@Module({
  imports: [AuditModule, CatalogModule, DatabaseModule, QueryModule, ReportingModule],
  controllers: [WeeklyReportController],
  providers: [WeeklyFiguresRepository, WeeklyFiguresService, WeeklyReportRepository, WeeklyReportService, WeeklyReportScheduler],
})
export class WeeklyReportModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { DatabaseModule } from '../db/database.module';
import { DirectivesController } from './directives.controller';
import { DirectivesRepository } from './directives.repository';
import { DirectivesService } from './directives.service';

/** Directives (chỉ đạo): issue, answer per unit, send back, close, withdraw; the overdue summary for the wall. */
@Module({
  imports: [AuditModule, DatabaseModule],
  controllers: [DirectivesController],
  providers: [DirectivesRepository, DirectivesService],
  exports: [DirectivesRepository],
})
export class DirectivesModule {}

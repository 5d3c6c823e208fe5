import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { DatabaseModule } from '../db/database.module';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRulesService } from './alert-rules.service';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/** Threshold rules, their evaluation (on 'observations.stored' and by the sweep) and the alerts they raise. */
@Module({
  imports: [CatalogModule, AuditModule, DatabaseModule],
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertEvaluator, AlertRulesService, AlertsService],
})
export class AlertsModule {}

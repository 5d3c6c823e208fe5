import { Module } from '@nestjs/common';
import { SystemAlertsController } from './system-alerts.controller';
import { SystemAlertsRepository } from './system-alerts.repository';
import { SystemAlertsService } from './system-alerts.service';

/** Alerts to admins about dxoc itself, raised from events of other modules ('timescaledb.jobs_checked'). */
@Module({
  controllers: [SystemAlertsController],
  providers: [SystemAlertsRepository, SystemAlertsService],
})
export class SystemAlertsModule {}

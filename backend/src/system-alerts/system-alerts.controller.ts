import { Controller, Get, Inject } from '@nestjs/common';
import type { SystemAlertsResponse } from '@dxoc/contracts';
import { Roles } from '../auth/decorators';
import { SystemAlertsService } from './system-alerts.service';

/** Problems of dxoc itself (TimescaleDB jobs failing or overdue): for admins, who run the installation. */
@Controller('api/v1/system-alerts')
export class SystemAlertsController {
  constructor(@Inject(SystemAlertsService) private readonly alerts: SystemAlertsService) {}

  @Roles('admin')
  @Get()
  async list(): Promise<SystemAlertsResponse> {
    return { alerts: await this.alerts.list() };
  }
}

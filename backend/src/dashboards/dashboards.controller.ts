import { Controller, Get, Inject } from '@nestjs/common';
import type { DashboardPage } from '@dxoc/dashboards';
import { DashboardsService } from './dashboards.service';

/** The wall's pages. Readable by any signed-in principal or viewer token: the global AuthGuard decides. */
@Controller('api/v1/dashboards')
export class DashboardsController {
  constructor(@Inject(DashboardsService) private readonly dashboards: DashboardsService) {}

  @Get()
  list(): { pages: DashboardPage[] } {
    return { pages: [...this.dashboards.list()] };
  }
}

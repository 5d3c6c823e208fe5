import { Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import {
  type CalendarResponse,
  MetricUpdate,
  type MetricsResponse,
  type Principal,
  TargetInput,
  TargetsQuery,
  type TargetsResponse,
  UnitUpdate,
  type UnitsResponse,
} from '@dxoc/contracts';
import { ValidBody, ValidQuery } from '../http/validation';
import { TargetStatusService } from './target-status.service';
import { CatalogAdminService } from './catalog-admin.service';
import type { Metric, Target, Unit } from './catalog.types';
import type { z } from 'zod';
import { CatalogService } from './catalog.service';
import { APP_CONFIG, type AppConfig } from '../config/config';

@Controller('api/v1')
export class CatalogController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CatalogAdminService) private readonly admin: CatalogAdminService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TargetStatusService) private readonly targetStatus: TargetStatusService,
  ) {}

  @Get('catalog/units')
  async units(): Promise<z.infer<typeof UnitsResponse>> {
    const { units } = await this.catalog.snapshot();
    return { units: [...units.values()] };
  }

  @Get('catalog/metrics')
  async metrics(): Promise<z.infer<typeof MetricsResponse>> {
    const { metrics, targets } = await this.catalog.snapshot();
    return { metrics: [...metrics.values()].map((m) => ({ ...m, targets: targets.filter((t) => t.metricCode === m.code) })) };
  }

  /** Every target with its status as of now (met on time, met late, missed, at risk, on track, cannot assess). */
  @Get('targets')
  targets(@ValidQuery(TargetsQuery) query: z.infer<typeof TargetsQuery>): Promise<TargetsResponse> {
    return this.targetStatus.list(query);
  }

  @Get('catalog/calendar')
  calendar(): CalendarResponse {
    return { timeZone: this.config.timezone, weekStartsOn: 'monday' };
  }

  @Roles('admin')
  @Put('catalog/metrics/:code')
  updateMetric(
    @Param('code') code: string,
    @ValidBody(MetricUpdate) body: z.infer<typeof MetricUpdate>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Metric> {
    return this.admin.updateMetric(code, body, principal.name, ip);
  }

  @Roles('admin')
  @Put('catalog/units/:code')
  updateUnit(
    @Param('code') code: string,
    @ValidBody(UnitUpdate) body: z.infer<typeof UnitUpdate>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Unit> {
    return this.admin.updateUnit(code, body, principal.name, ip);
  }

  @Roles('staff', 'admin')
  @Post('targets')
  createTarget(
    @ValidBody(TargetInput) body: z.infer<typeof TargetInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Target> {
    return this.admin.createTarget(body, principal.name, ip);
  }

  @Roles('staff', 'admin')
  @Put('targets/:id')
  updateTarget(
    @Param('id', ParseIntPipe) id: number,
    @ValidBody(TargetInput) body: z.infer<typeof TargetInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Target> {
    return this.admin.updateTarget(id, body, principal.name, ip);
  }

  @Roles('staff', 'admin')
  @Delete('targets/:id')
  @HttpCode(204)
  async deleteTarget(
    @Param('id', ParseIntPipe) id: number,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<void> {
    await this.admin.deleteTarget(id, principal.name, ip);
  }
}

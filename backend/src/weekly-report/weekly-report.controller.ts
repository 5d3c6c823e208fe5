import { Controller, Get, HttpCode, Inject, Param, Post, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { WeeklyReportQuerySchema, type Principal, type WeeklyReportList } from '@dxoc/contracts';
import type { z } from 'zod';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { contentDisposition } from '../directives/attachment';
import { ValidQuery } from '../http/validation';
import { reportFileName, WeeklyReportService } from './weekly-report.service';

/**
 * Weekly reports for the committee: viewers (the committee's screens and readers), staff and admins read and
 * download; staff and admins regenerate. Operators do not: the report names every unit, an operator sees one.
 */
@Controller('api/v1/reports')
export class WeeklyReportController {
  constructor(@Inject(WeeklyReportService) private readonly reports: WeeklyReportService) {}

  @Roles('viewer', 'staff', 'admin')
  @Get()
  list(): Promise<WeeklyReportList> {
    return this.reports.list();
  }

  /** The week's PDF; drawn (and for older weeks stored) the first time it is asked for. */
  @Roles('viewer', 'staff', 'admin')
  @Get(':weekStart.pdf')
  async download(
    @Param('weekStart') weekStart: string,
    @ValidQuery(WeeklyReportQuerySchema) { lang }: z.infer<typeof WeeklyReportQuerySchema>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.reports.download(weekStart, lang, principal);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', contentDisposition(reportFileName(weekStart, lang)));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(pdf);
  }

  /** Draws both languages again from today's data (late values, corrections) and replaces the stored ones. */
  @Roles('staff', 'admin')
  @Post(':weekStart/regenerate')
  @HttpCode(200)
  regenerate(
    @Param('weekStart') weekStart: string,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<WeeklyReportList> {
    return this.reports.regenerate(weekStart, principal, ip);
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import { ComplianceOverviewQuery, ComplianceQuery, type ComplianceOverviewResponse, type ComplianceResponse } from '@dxoc/contracts';
import type { z } from 'zod';
import { ValidQuery } from '../http/validation';
import { ReportingService } from './reporting.service';

@Controller('api/v1/reporting')
export class ReportingController {
  constructor(@Inject(ReportingService) private readonly reporting: ReportingService) {}

  /** Which units reported on time, which are late: how many periods behind and since when. */
  @Get('compliance')
  compliance(@ValidQuery(ComplianceQuery) { metric, unitKind, asOf }: z.infer<typeof ComplianceQuery>): Promise<ComplianceResponse> {
    return this.reporting.compliance(metric, unitKind, asOf);
  }

  /** The same over several metrics, with per unit the worst of them. */
  @Get('compliance/overview')
  overview(
    @ValidQuery(ComplianceOverviewQuery) { unitKind, metrics, asOf }: z.infer<typeof ComplianceOverviewQuery>,
  ): Promise<ComplianceOverviewResponse> {
    return this.reporting.overview(unitKind, metrics, asOf);
  }
}

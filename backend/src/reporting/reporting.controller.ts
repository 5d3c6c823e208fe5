import { Controller, Get, Inject } from '@nestjs/common';
import { ComplianceQuery, type ComplianceResponse } from '@dxoc/contracts';
import type { z } from 'zod';
import { ValidQuery } from '../http/validation';
import { ReportingService } from './reporting.service';

@Controller('api/v1/reporting')
export class ReportingController {
  constructor(@Inject(ReportingService) private readonly reporting: ReportingService) {}

  /** Which units reported on time for the current period of the metric's cadence, which are late and by how long. */
  @Get('compliance')
  compliance(@ValidQuery(ComplianceQuery) { metric, unitKind }: z.infer<typeof ComplianceQuery>): Promise<ComplianceResponse> {
    return this.reporting.compliance(metric, unitKind);
  }
}

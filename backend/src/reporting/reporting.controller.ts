import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ComplianceQuery, type ComplianceResponse } from '@dxoc/contracts';
import { parseWith } from '../http/validation';
import { ReportingService } from './reporting.service';

@Controller('api/v1/reporting')
export class ReportingController {
  constructor(@Inject(ReportingService) private readonly reporting: ReportingService) {}

  /** Which units reported on time for the current period of the metric's cadence, which are late and by how long. */
  @Get('compliance')
  compliance(@Query() query: unknown): Promise<ComplianceResponse> {
    const { metric, unitKind } = parseWith(ComplianceQuery, query);
    return this.reporting.compliance(metric, unitKind);
  }
}

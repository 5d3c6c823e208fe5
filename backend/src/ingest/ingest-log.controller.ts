import { Controller, Get, Inject } from '@nestjs/common';
import { IngestLogQuery, type Principal, type ReceivedBatch, type RefusedBatch } from '@dxoc/contracts';
import type { z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import { ValidQuery } from '../http/validation';
import { IngestLogService } from './ingest-log.service';

/** Received and refused batches: operators (their own unit), staff and admin (all). */
@Roles('operator', 'staff', 'admin')
@Controller('api/v1/ingest-log')
export class IngestLogController {
  constructor(@Inject(IngestLogService) private readonly log: IngestLogService) {}

  @Get('batches')
  async batches(
    @ValidQuery(IngestLogQuery) query: z.infer<typeof IngestLogQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ batches: ReceivedBatch[] }> {
    return { batches: await this.log.batches(query, principal) };
  }

  @Get('refusals')
  async refusals(
    @ValidQuery(IngestLogQuery) query: z.infer<typeof IngestLogQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ refusals: RefusedBatch[] }> {
    return { refusals: await this.log.refusals(query, principal) };
  }
}

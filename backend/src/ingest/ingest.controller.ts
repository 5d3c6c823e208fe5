import { Body, Controller, Inject, Post, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import type { IngestAccepted } from '@dxoc/contracts';
import { Public } from '../auth/decorators';
import type { AgentIdentity } from '../keys/keys.service';
import { AgentKeyGuard, CurrentAgent } from './agent-key.guard';
import { IngestAdmission } from './ingest-admission.interceptor';
import { AppError } from '../http/errors';
import { IngestLogService } from './ingest-log.service';
import { IngestService } from './ingest.service';

/**
 * Public to the session guard: agents authenticate with their agent key (AgentKeyGuard). IngestAdmission sheds
 * load and counts the metrics. The body is validated by IngestService, against the contract and the catalog
 * together, so that one 400 invalid_batch lists every invalid point.
 */
@Public()
@UseGuards(AgentKeyGuard)
@UseInterceptors(IngestAdmission)
@Controller('api/v1/ingest')
export class IngestController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(IngestLogService) private readonly log: IngestLogService,
  ) {}

  @Post()
  async push(
    @CurrentAgent() agent: AgentIdentity,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestAccepted> {
    // a refusal of an identified key is recorded for its operator, without waiting (IngestLogService)
    const outcome = await this.ingest.ingest(agent, body).catch((error: unknown) => {
      if (error instanceof AppError && error.status >= 400 && error.status < 500) this.log.recordRefusal(agent.keyId, body, error);
      throw error;
    });
    response.status(outcome.status);
    return outcome.body;
  }
}

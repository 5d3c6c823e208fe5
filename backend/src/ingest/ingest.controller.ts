import { Body, Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IngestAccepted } from '@dxoc/contracts';
import { Public } from '../auth/decorators';
import type { AgentIdentity } from '../keys/keys.service';
import { AgentKeyGuard, CurrentAgent } from './agent-key.guard';
import { IngestAdmission } from './ingest-admission';
import { IngestService } from './ingest.service';

/**
 * Public to the session guard: agents authenticate with their agent key (AgentKeyGuard). IngestAdmission sheds
 * load, counts the metrics and records refusals for the key's operator. The body is validated by IngestService,
 * against the contract and the catalog together, so that one 400 invalid_batch lists every invalid point.
 */
@Public()
@UseGuards(AgentKeyGuard)
@Controller('api/v1/ingest')
export class IngestController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(IngestAdmission) private readonly admission: IngestAdmission,
  ) {}

  @Post()
  async push(
    @CurrentAgent() agent: AgentIdentity,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestAccepted> {
    const outcome = await this.admission.admit(request, agent, body, () => this.ingest.ingest(agent, body));
    response.status(outcome.status);
    return outcome.body;
  }
}

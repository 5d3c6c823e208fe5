import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IngestErrorCode, type IngestAccepted } from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Public } from '../auth/decorators';
import { DatabaseUnavailableError } from '../db/errors';
import { AppError } from '../http/errors';
import { METRICS, type Metrics } from '../observability/metrics';
import { KeysService } from '../keys/keys.service';
import { IngestService } from './ingest.service';

/** Public to the session guard: agents authenticate with their agent key here instead. */
@Public()
@Controller('api/v1/ingest')
export class IngestController {
  constructor(
    @Inject(KeysService) private readonly keys: KeysService,
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Batches being handled now, counted from arrival: under overload they would otherwise queue for the database. */
  private inFlight = 0;

  @Post()
  async push(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestAccepted> {
    const stopTimer = this.metrics.ingestBatchSeconds.startTimer();
    const admitted = this.inFlight < this.config.ingestMaxInFlight;
    if (admitted) this.inFlight += 1;
    const points = Array.isArray((body as { points?: unknown })?.points) ? (body as { points: unknown[] }).points.length : 0;
    try {
      if (!admitted) {
        // shed load at once: agents back off and retry with the same batchId, which is idempotent
        throw new AppError(429, IngestErrorCode.rateLimited, `the server is busy with ${this.inFlight} batches (limit "server_busy"); retry after 1 s with the same batchId`, {
          limit: 'server_busy',
          inFlight: this.inFlight,
        }, { 'Retry-After': '1' });
      }
      const agent = await this.keys.authenticate(authorization);
      const outcome = await this.ingest.ingest(agent, body);
      response.status(outcome.status);
      this.metrics.ingestBatches.inc({ status: String(outcome.status) });
      this.metrics.ingestPoints.inc({ result: outcome.body.duplicate ? 'duplicate' : 'accepted', reason: '' }, outcome.body.accepted);
      return outcome.body;
    } catch (error) {
      const status = error instanceof AppError ? error.status : error instanceof DatabaseUnavailableError ? 503 : 500;
      const reason = error instanceof AppError ? error.code : error instanceof DatabaseUnavailableError ? 'database_unavailable' : 'internal_error';
      this.metrics.ingestBatches.inc({ status: String(status) });
      this.metrics.ingestPoints.inc({ result: 'rejected', reason }, points);
      throw error;
    } finally {
      if (admitted) this.inFlight -= 1;
      stopTimer();
    }
  }
}

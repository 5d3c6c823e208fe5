import { Inject, Injectable } from '@nestjs/common';
import { IngestErrorCode } from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../http/errors';
import { METRICS, type Metrics } from '../observability/metrics';
import type { AgentIdentity } from '../keys/keys.service';
import { IngestLogService } from './ingest-log.service';
import { IngestMeter } from './ingest-meter';
import type { IngestOutcome } from './ingest.service';

/**
 * Admission control, metrics and the refusal log of ingest. At most DXOC_INGEST_MAX_IN_FLIGHT batches are handled
 * at once; beyond that a batch is refused at once with 429 rate_limited (limit "server_busy", Retry-After: 1) instead
 * of queueing for the database: agents back off and retry with the same batchId, which is idempotent. Every answer
 * and refusal is counted in the ingest metrics, and a batch of an identified key refused with a 4xx (shed, invalid,
 * …) is recorded in the ingest log for its key's operator (IngestLogService: without waiting, and a second of
 * shedding is one write, not one per batch).
 *
 * The controller calls it after the guards: the agent key is checked (AgentKeyGuard, normally from KeysService's
 * cache) before a batch is admitted, so a request with a bad key is answered 401 even while the server is busy. It
 * is not a Nest interceptor: Nest's interceptor chain (an rxjs pipeline and two AsyncResource.bind per request, each
 * defining a deprecated getter) cost ~0.13 ms of node CPU per request: a batch of 10 points took 0.83 ms, now 0.70
 * (load-tests/RESULTS.md, sixth session).
 */
@Injectable()
export class IngestAdmission {
  /** Batches being handled now (one instance per application). */
  private inFlight = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(IngestLogService) private readonly log: IngestLogService,
  ) {}

  /** Runs handle for the request's batch if the server has room for it, and meters and logs how it ends. */
  async admit(request: object, agent: AgentIdentity, body: unknown, handle: () => Promise<IngestOutcome>): Promise<IngestOutcome> {
    const meter = IngestMeter.of(request, this.metrics);
    if (this.inFlight >= this.config.ingestMaxInFlight) {
      const busy = new AppError(
        429,
        IngestErrorCode.rateLimited,
        `the server is busy with ${this.inFlight} batches (limit "server_busy"); retry after 1 s with the same batchId`,
        { limit: 'server_busy', inFlight: this.inFlight },
        { 'Retry-After': '1' },
      );
      meter.refused(busy);
      this.log.recordRefusal(agent.keyId, body, busy);
      throw busy;
    }
    this.inFlight += 1;
    try {
      const outcome = await handle();
      meter.answered(outcome.status, outcome.body);
      return outcome;
    } catch (error) {
      meter.refused(error);
      if (error instanceof AppError && error.status >= 400 && error.status < 500) this.log.recordRefusal(agent.keyId, body, error);
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }
}

import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { finalize, tap, throwError, type Observable } from 'rxjs';
import { IngestErrorCode, type IngestAccepted } from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../http/errors';
import { METRICS, type Metrics } from '../observability/metrics';
import type { AgentIdentity } from '../keys/keys.service';
import { IngestLogService } from './ingest-log.service';
import { IngestMeter } from './ingest-meter';

/**
 * Admission control and metrics for ingest. At most DXOC_INGEST_MAX_IN_FLIGHT batches are handled at once; beyond
 * that a batch is refused at once with 429 rate_limited (limit "server_busy", Retry-After: 1) instead of queueing
 * for the database: agents back off and retry with the same batchId, which is idempotent. Every answer and refusal
 * is counted in the ingest metrics, and a shed batch is recorded in the ingest log for its key's operator (coalesced:
 * a second of shedding is one write, not one per batch).
 *
 * Nest runs guards before interceptors: the agent key is checked (AgentKeyGuard, normally from KeysService's
 * cache) before a batch is admitted, so a request with a bad key is answered 401 even while the server is busy.
 */
@Injectable()
export class IngestAdmission implements NestInterceptor {
  /** Batches being handled now (one instance per application: Nest builds this interceptor once). */
  private inFlight = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(IngestLogService) private readonly log: IngestLogService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<IngestAccepted>): Observable<IngestAccepted> {
    const http = context.switchToHttp();
    const request = http.getRequest<{ agent?: AgentIdentity; body?: unknown }>();
    const meter = IngestMeter.of(request, this.metrics);
    if (this.inFlight >= this.config.ingestMaxInFlight) {
      const busy = new AppError(
        429,
        IngestErrorCode.rateLimited,
        `the server is busy with ${this.inFlight} batches (limit "server_busy"); retry after 1 s with the same batchId`,
        {
          limit: 'server_busy',
          inFlight: this.inFlight,
        },
        { 'Retry-After': '1' },
      );
      meter.refused(busy);
      if (request.agent) this.log.recordRefusal(request.agent.keyId, request.body, busy);
      return throwError(() => busy);
    }
    this.inFlight += 1;
    return next.handle().pipe(
      tap({
        next: (body) => meter.answered(http.getResponse<Response>().statusCode, body),
        error: (error: unknown) => meter.refused(error),
      }),
      finalize(() => {
        this.inFlight -= 1;
      }),
    );
  }
}

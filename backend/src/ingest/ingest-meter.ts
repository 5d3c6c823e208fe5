import type { IngestAccepted } from '@dxoc/contracts';
import { DatabaseUnavailableError } from '../db/errors';
import { AppError } from '../http/errors';
import type { Metrics } from '../observability/metrics';
import { pointCount } from './batch-decoder';

const METER = Symbol('dxoc:ingest-meter');

type MeteredRequest = { body?: unknown; [METER]?: IngestMeter };

/**
 * The ingest metrics of one request (dxoc_ingest_batches_total, dxoc_ingest_points_total, the batch duration):
 * started on arrival by the first of the agent-key guard and IngestAdmission to see the request, ended
 * once, by its answer or by the error that refuses it (a bad key, a busy server, an invalid batch, …).
 */
export class IngestMeter {
  private ended = false;

  private constructor(
    private readonly metrics: Metrics,
    private readonly stopTimer: () => void,
    /** points the request carries, counted as rejected when it is refused */
    private readonly points: number,
  ) {}

  static of(request: object, metrics: Metrics): IngestMeter {
    const metered = request as MeteredRequest;
    if (!metered[METER]) {
      metered[METER] = new IngestMeter(metrics, metrics.ingestBatchSeconds.startTimer(), pointCount(metered.body));
    }
    return metered[METER];
  }

  answered(status: number, body: IngestAccepted): void {
    if (!this.end()) return;
    this.metrics.ingestBatches.inc({ status: String(status) });
    this.metrics.ingestPoints.inc({ result: body.duplicate ? 'duplicate' : 'accepted', reason: '' }, body.accepted);
  }

  refused(error: unknown): void {
    if (!this.end()) return;
    const status = error instanceof AppError ? error.status : error instanceof DatabaseUnavailableError ? 503 : 500;
    const reason =
      error instanceof AppError ? error.code : error instanceof DatabaseUnavailableError ? 'database_unavailable' : 'internal_error';
    this.metrics.ingestBatches.inc({ status: String(status) });
    this.metrics.ingestPoints.inc({ result: 'rejected', reason }, this.points);
  }

  private end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.stopTimer();
    return true;
  }
}

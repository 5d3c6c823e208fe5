import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type JsonLogger } from '../observability/logger';
import type { StoredPoint } from '../ingest/observations.repository';

export type IngestListener = (points: StoredPoint[]) => Promise<void> | void;

/**
 * Told after an ingest transaction commits, with the values that changed. Listeners (the live stream,
 * alert evaluation) run after the HTTP answer is decided and can never fail the ingest.
 */
@Injectable()
export class IngestEvents {
  private readonly listeners: IngestListener[] = [];

  constructor(@Inject(LOGGER) private readonly logger: JsonLogger) {}

  on(listener: IngestListener): void {
    this.listeners.push(listener);
  }

  emit(points: StoredPoint[]): void {
    if (points.length === 0) return;
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(points))
        .catch((error: unknown) => this.logger.error('ingest.listener_failed', { error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { StorageFaultReason, StorageStatus } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { EventBus } from '../events/event-bus';
import type { StorageWriteSettled } from '../events/event-map';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { METRICS, type Metrics } from '../observability/metrics';
import { unavailableReason } from './errors';

/**
 * The storage fault behind `error`, when the database refused a write for its storage (SQLSTATE 53100 and ENOSPC:
 * disk full; 25006 and EROFS: read-only; class 58 and EIO: its files), or null. Out of memory or connections (other
 * class 53 codes), an unreachable or restarting server are not the storage's state: health sees those itself.
 */
export function storageFault(error: unknown): StorageFaultReason | null {
  const reason = unavailableReason(error);
  return reason === 'disk_full' || reason === 'read_only' || reason === 'storage_error' ? reason : null;
}

/**
 * Whether the database takes this instance's writes, as ingest last found (the 'storage.write_settled' events): a
 * full disk or a read-only data directory refuses every write while reads still work, so the version query of
 * /api/v1/health alone answered "ok" throughout. Not writable from the first write refused for its storage, with
 * when and why; writable again from the next write that commits. No probe writes on its own: ingest's answer (503,
 * Retry-After) makes agents retry, and their first retry that is stored clears it.
 */
@Injectable()
export class StorageHealth implements OnApplicationShutdown {
  private fault: { since: Date; reason: StorageFaultReason } | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(EventBus) bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {
    this.metrics.storageWritable.set(1);
    this.unsubscribe = bus.on('storage.write_settled', (outcome) => this.settled(outcome));
  }

  status(): StorageStatus {
    return this.fault
      ? { writable: false, since: this.fault.since.toISOString(), reason: this.fault.reason }
      : { writable: true, since: null, reason: null };
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
  }

  private settled(outcome: StorageWriteSettled): void {
    if (outcome.ok) {
      if (!this.fault) return;
      const since = this.fault.since;
      this.fault = null;
      this.metrics.storageWritable.set(1);
      this.logger.info('storage.writable', { since: since.toISOString() });
      return;
    }
    // the first refusal names the cause; the ones after it may only be its consequences (a data dir made read-only
    // answers EROFS once, then "could not create file: File exists" for the file it could not create)
    if (this.fault) return;
    this.fault = { since: this.clock.now(), reason: outcome.reason };
    this.metrics.storageWritable.set(0);
    this.logger.warn('storage.not_writable', { reason: outcome.reason, error: outcome.message });
  }
}

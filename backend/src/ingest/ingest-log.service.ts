import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { IngestLogQuery, Principal, ReceivedBatch, RefusedBatch } from '@dxoc/contracts';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../common/clock';
import { AppError, badRequest, forbidden } from '../http/errors';
import { KeysService } from '../keys/keys.service';
import { parseQueryTime } from '../http/query-time';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { IngestLogRepository, type IngestLogFilter, type NewRefusal } from './ingest-log.repository';

/** A refusal's message is kept short: never the body, at most this many characters. */
export const REFUSAL_MESSAGE_MAX = 500;

/**
 * Refusals are written at most this often, one row per key × status × error counting all of them: a flood of
 * refusals (a broken agent, a server shedding load) costs the database one write per second, not one per batch.
 */
export const REFUSAL_FLUSH_MS = 1_000;

/** Key × status × error combinations held between two writes; beyond it, new combinations are dropped (logged). */
const MAX_PENDING_REFUSALS = 10_000;

/**
 * The ingest log: batches received and refused. An operator sees those of its own unit only (batches that wrote
 * it, refusals of keys granted it); staff and admin see all.
 */
@Injectable()
export class IngestLogService implements OnModuleDestroy {
  private readonly pending = new Map<string, NewRefusal>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(IngestLogRepository) private readonly repository: IngestLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(KeysService) private readonly keys: KeysService,
  ) {}

  async batches(query: z.infer<typeof IngestLogQuery>, principal: Principal): Promise<ReceivedBatch[]> {
    const rows = await this.repository.batches(this.filter(query, principal));
    return rows.map((row) => ({
      receivedAt: row.receivedAt.toISOString(),
      batchId: row.batchId,
      keyId: row.keyId,
      units: row.units ?? [],
      accepted: row.accepted,
      revised: row.revised,
    }));
  }

  async refusals(query: z.infer<typeof IngestLogQuery>, principal: Principal): Promise<RefusedBatch[]> {
    const rows = await this.repository.refusals(this.filter(query, principal));
    return rows.map((row) => ({
      keyId: row.keyId,
      status: row.status,
      error: row.error,
      message: row.message,
      batchId: row.batchId,
      count: Number(row.count),
      firstAt: row.firstAt.toISOString(),
      lastAt: row.lastAt.toISOString(),
    }));
  }

  /**
   * Records a refused batch of an identified key; never throws and is not awaited by the ingest answer (a
   * failure to record is logged). Aggregated per key, status and error code, so a flood adds no rows, and written
   * within REFUSAL_FLUSH_MS, so a flood adds one write per second.
   */
  recordRefusal(keyId: string, body: unknown, error: AppError): void {
    const batchId =
      typeof body === 'object' && body !== null && typeof (body as { batchId?: unknown }).batchId === 'string'
        ? ((body as { batchId: string }).batchId.slice(0, 128) as string)
        : null;
    const details = Array.isArray(error.details)
      ? (error.details as { message?: unknown }[])
          .slice(0, 3)
          .map((d) => (typeof d?.message === 'string' ? d.message : ''))
          .filter(Boolean)
      : [];
    const message = [error.message, ...details].join(' | ').slice(0, REFUSAL_MESSAGE_MAX);
    const at = this.clock.now();
    const slot = `${keyId}\u0000${error.status}\u0000${error.code}`;
    const held = this.pending.get(slot);
    if (held) {
      held.count += 1;
      if (at >= held.at) Object.assign(held, { message, batchId, at });
    } else if (this.pending.size < MAX_PENDING_REFUSALS) {
      this.pending.set(slot, { keyId, status: error.status, error: error.code, message, batchId, count: 1, firstAt: at, at });
    } else {
      this.logger.warn('ingest_refusal_not_recorded', { keyId, error: 'too many different refusals at once' });
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, REFUSAL_FLUSH_MS);
    this.flushTimer.unref?.();
  }

  /**
   * Records a batch whose body could not be read (too large, not JSON, not decompressible): refused before the
   * agent key was looked at, so the key is checked here, and the refusal recorded only for a key that holds.
   * Never throws; not awaited by the answer.
   */
  recordUnreadBody(authorization: string | undefined, answer: { status: number; body: Record<string, unknown> }): void {
    const code = typeof answer.body.error === 'string' ? answer.body.error : 'invalid_batch';
    // a client that went away mid-body reads no answer and nothing is wrong with its agent
    if (code === 'request_aborted' || answer.status < 400 || answer.status >= 500) return;
    const message = typeof answer.body.message === 'string' ? answer.body.message : code;
    this.keys
      .authenticate(authorization)
      .then((agent) => this.recordRefusal(agent.keyId, undefined, new AppError(answer.status, code, message)))
      .catch(() => undefined);
  }

  /** Writes the refusals held now, after any write under way (also at shutdown, so none is lost). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const refusals = [...this.pending.values()];
    this.pending.clear();
    for (const refusal of refusals) {
      await this.repository
        .recordRefusal(refusal)
        .catch((failure: unknown) =>
          this.logger.warn('ingest_refusal_not_recorded', { keyId: refusal.keyId, error: (failure as Error).message }),
        );
    }
    if (refusals.length > 0) {
      await this.repository
        .dropOldRefusals(this.clock.now())
        .catch((failure: unknown) => this.logger.warn('ingest_refusal_cleanup_failed', { error: (failure as Error).message }));
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flush();
  }

  private filter(query: z.infer<typeof IngestLogQuery>, principal: Principal): IngestLogFilter {
    const from = parseQueryTime(query.from, 'from');
    const to = parseQueryTime(query.to, 'to');
    if (from && to && from >= to) throw badRequest('invalid_query', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    let unit = query.unit ?? null;
    if (principal.role === 'operator') {
      const own = principal.unitCode ?? '';
      if (unit !== null && unit !== own) throw forbidden('forbidden_unit', `an operator of unit ${own} sees that unit's batches only`);
      unit = own;
    }
    return { unit, key: query.key ?? null, from, to, limit: query.limit };
  }
}

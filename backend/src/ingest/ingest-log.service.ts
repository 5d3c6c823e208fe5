import { Inject, Injectable } from '@nestjs/common';
import type { IngestLogQuery, Principal, ReceivedBatch, RefusedBatch } from '@dxoc/contracts';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../common/clock';
import { badRequest, forbidden, type AppError } from '../http/errors';
import { parseQueryTime } from '../http/query-time';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { IngestLogRepository, type IngestLogFilter } from './ingest-log.repository';

/** A refusal's message is kept short: never the body, at most this many characters. */
export const REFUSAL_MESSAGE_MAX = 500;

/**
 * The ingest log: batches received and refused. An operator sees those of its own unit only (batches that wrote
 * it, refusals of keys granted it); staff and admin see all.
 */
@Injectable()
export class IngestLogService {
  constructor(
    @Inject(IngestLogRepository) private readonly repository: IngestLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
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
   * failure to record is logged). Aggregated per key, status and error code, so a flood adds no rows.
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
    this.repository
      .recordRefusal({ keyId, status: error.status, error: error.code, message, batchId, at: this.clock.now() })
      .catch((failure: unknown) => this.logger.warn('ingest_refusal_not_recorded', { keyId, error: (failure as Error).message }));
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

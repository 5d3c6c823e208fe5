import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';

export interface IngestLogFilter {
  unit: string | null;
  key: string | null;
  from: Date | null;
  to: Date | null;
  limit: number;
}

export interface BatchRow {
  receivedAt: Date;
  batchId: string;
  keyId: string;
  units: string[] | null;
  accepted: number;
  revised: number;
}

export interface RefusalRow {
  keyId: string;
  status: number;
  error: string;
  message: string;
  batchId: string | null;
  count: string | number;
  firstAt: Date;
  lastAt: Date;
}

export interface NewRefusal {
  keyId: string;
  status: number;
  error: string;
  /** the latest refusal's words and batch */
  message: string;
  batchId: string | null;
  /** how many refusals of this key, status and error this write counts, the first and the latest */
  count: number;
  firstAt: Date;
  at: Date;
}

/** Refusal rows unseen this long are dropped. */
export const REFUSAL_RETENTION_MS = 30 * 86_400_000;

/** The received and refused batches (migration 013). */
@Injectable()
export class IngestLogRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async batches(filter: IngestLogFilter): Promise<BatchRow[]> {
    const { rows } = await this.db.query<BatchRow>(
      `SELECT received_at AS "receivedAt", batch_id AS "batchId", key_id AS "keyId", units, point_count AS accepted,
              revised_count AS revised
         FROM ingest_batch
        WHERE key_id <> 'seed'
          AND ($1::text IS NULL OR units @> ARRAY[$1::text])
          AND ($2::text IS NULL OR key_id = $2)
          AND ($3::timestamptz IS NULL OR received_at >= $3)
          AND ($4::timestamptz IS NULL OR received_at < $4)
        ORDER BY received_at DESC, batch_id
        LIMIT $5`,
      [filter.unit, filter.key, filter.from, filter.to, filter.limit],
    );
    return rows;
  }

  /** Refusals of keys granted the unit (or every unit) when a unit is given. */
  async refusals(filter: IngestLogFilter): Promise<RefusalRow[]> {
    const { rows } = await this.db.query<RefusalRow>(
      `SELECT r.key_id AS "keyId", r.status, r.error, r.message, r.batch_id AS "batchId", r.count,
              r.first_at AS "firstAt", r.last_at AS "lastAt"
         FROM ingest_refusal r JOIN agent_key k ON k.id = r.key_id
        WHERE ($1::text IS NULL OR k.unit_codes IS NULL OR k.unit_codes @> ARRAY[$1::text])
          AND ($2::text IS NULL OR r.key_id = $2)
          AND ($3::timestamptz IS NULL OR r.last_at >= $3)
          AND ($4::timestamptz IS NULL OR r.first_at < $4)
        ORDER BY r.last_at DESC, r.key_id, r.status, r.error
        LIMIT $5`,
      [filter.unit, filter.key, filter.from, filter.to, filter.limit],
    );
    return rows;
  }

  /** One row per (key, status, error): a repeat counts and replaces the last message and batchId. */
  async recordRefusal(refusal: NewRefusal): Promise<void> {
    await this.db.query(
      `INSERT INTO ingest_refusal (key_id, status, error, message, batch_id, count, first_at, last_at)
       VALUES ($1, $2, $3, $4, $5, $7, $8, $6)
       ON CONFLICT (key_id, status, error) DO UPDATE
         SET count = ingest_refusal.count + EXCLUDED.count,
             -- the writes run after the answers and may land out of order on a pool: the latest refusal's words win
             message = CASE WHEN EXCLUDED.last_at >= ingest_refusal.last_at THEN EXCLUDED.message ELSE ingest_refusal.message END,
             batch_id = CASE WHEN EXCLUDED.last_at >= ingest_refusal.last_at THEN EXCLUDED.batch_id ELSE ingest_refusal.batch_id END,
             last_at = GREATEST(ingest_refusal.last_at, EXCLUDED.last_at)`,
      [refusal.keyId, refusal.status, refusal.error, refusal.message, refusal.batchId, refusal.at, refusal.count, refusal.firstAt],
    );
  }

  /** Drops refusal rows unseen for REFUSAL_RETENTION_MS. */
  async dropOldRefusals(now: Date): Promise<void> {
    await this.db.query('DELETE FROM ingest_refusal WHERE last_at < $1', [new Date(now.getTime() - REFUSAL_RETENTION_MS)]);
  }
}

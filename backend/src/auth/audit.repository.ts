import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import type { AuditEntry } from '@dxoc/contracts';

export interface AuditRecord {
  actor: string;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(record: AuditRecord, at: Date): Promise<void> {
    await this.db.query(`INSERT INTO audit_log (at, actor, action, target, before, after, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      at,
      record.actor,
      record.action,
      record.target ?? null,
      record.before === undefined ? null : JSON.stringify(record.before),
      record.after === undefined ? null : JSON.stringify(record.after),
      record.ip ?? null,
    ]);
  }

  /** Newest first; `actor` is a case-insensitive part of the name, `before` an id the page starts below. */
  async list(filter: {
    from: Date | null;
    to: Date | null;
    action: string | null;
    actor: string | null;
    before: number | null;
    limit: number;
  }): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<Omit<AuditEntry, 'at'> & { at: Date }>(
      `SELECT id::int AS id, at, actor, action, target, before, after, ip FROM audit_log
       WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2) AND ($3::text IS NULL OR action = $3)
         AND ($4::text IS NULL OR strpos(lower(actor), lower($4)) > 0) AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [filter.from, filter.to, filter.action, filter.actor, filter.before, filter.limit],
    );
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  }
}

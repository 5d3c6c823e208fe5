import { Inject, Injectable } from '@nestjs/common';
import type { Silence } from '@dxoc/contracts';
import { DATABASE, type Database, type Queryable } from '../db/database';

export interface NewSilence {
  ruleId: number | null;
  unit: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
}

interface SilenceRow {
  id: number;
  ruleId: number | null;
  unit: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
}

/** A silence's end: when it was ended early, that instant (LEAST skips a null ended_at), else its planned end. */
const END = 'LEAST(s.ends_at, s.ended_at)';

const COLUMNS = `s.id::int AS id, s.rule_id::int AS "ruleId", s.unit_code AS unit, s.starts_at AS "startsAt", s.ends_at AS "endsAt",
  s.reason, s.created_by AS "createdBy", s.created_at AS "createdAt", s.ended_at AS "endedAt", s.ended_by AS "endedBy"`;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Silences: rows of the silence table (migration 015). */
@Injectable()
export class SilencesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** active: not over yet at `now` (running or scheduled); false: over (expired or ended early); null: all. Newest first. */
  async list(active: boolean | null, now: Date, limit: number): Promise<Silence[]> {
    // $1 is typed in every branch: a parameter the statement never uses has no type the server can infer
    const where = active === null ? '$1::timestamptz IS NOT NULL' : active ? `${END} > $1::timestamptz` : `${END} <= $1::timestamptz`;
    const { rows } = await this.db.query<SilenceRow>(`SELECT ${COLUMNS} FROM silence s WHERE ${where} ORDER BY s.id DESC LIMIT $2`, [
      now.toISOString(),
      limit,
    ]);
    return rows.map((r) => toSilence(r, now));
  }

  async get(q: Queryable | undefined, id: number, now: Date): Promise<Silence | null> {
    const { rows } = await (q ?? this.db).query<SilenceRow>(`SELECT ${COLUMNS} FROM silence s WHERE s.id = $1`, [id]);
    return rows[0] ? toSilence(rows[0], now) : null;
  }

  async lock(tx: Queryable, id: number, now: Date): Promise<Silence | null> {
    const { rows } = await tx.query<SilenceRow>(`SELECT ${COLUMNS} FROM silence s WHERE s.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toSilence(rows[0], now) : null;
  }

  async insert(s: NewSilence, now: Date): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO silence (rule_id, unit_code, starts_at, ends_at, reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
      [s.ruleId, s.unit, s.startsAt.toISOString(), s.endsAt.toISOString(), s.reason, s.createdBy, now.toISOString()],
    );
    return rows[0]!.id;
  }

  async end(tx: Queryable, id: number, by: string, now: Date): Promise<void> {
    await tx.query(`UPDATE silence SET ended_at = $2, ended_by = $3 WHERE id = $1`, [id, now.toISOString(), by]);
  }

  async ruleExists(id: number): Promise<boolean> {
    const { rows } = await this.db.query(`SELECT 1 FROM alert_rule WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async unitExists(code: string): Promise<boolean> {
    const { rows } = await this.db.query(`SELECT 1 FROM unit WHERE code = $1`, [code]);
    return rows.length > 0;
  }
}

function toSilence(r: SilenceRow, now: Date): Silence {
  const end = r.endedAt !== null && new Date(r.endedAt) < new Date(r.endsAt) ? new Date(r.endedAt) : new Date(r.endsAt);
  return {
    id: r.id,
    ruleId: r.ruleId,
    unit: r.unit,
    startsAt: iso(r.startsAt)!,
    endsAt: iso(r.endsAt)!,
    reason: r.reason,
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt)!,
    endedAt: iso(r.endedAt),
    endedBy: r.endedBy,
    active: end > now,
  };
}

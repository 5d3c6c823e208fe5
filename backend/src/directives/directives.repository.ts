import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../db/database';
import type {
  Assignment,
  AssignmentState,
  Directive,
  DirectiveEvent,
  DirectiveEventKind,
  DirectiveOutcome,
  DirectiveSource,
} from '@dxoc/contracts';

/**
 * Serialises writers of directive_event so stream positions (seq) are committed in order (as alert_event does): a
 * socket client resuming after seq N never misses a smaller seq committed later. Taken last, right before the insert.
 */
const DIRECTIVE_STREAM_ORDER_LOCK = 4_242_010;

export interface NewDirective {
  titleVi: string;
  titleEn: string | null;
  textVi: string;
  textEn: string | null;
  dueDate: string;
  source: DirectiveSource;
  issuedBy: string;
}

export interface DirectiveFilter {
  /** only these units' assignments are shown (an operator: its own) and the directive must address one of them */
  unit: string | null;
  state: AssignmentState | null;
  dueBefore: string | null;
  dueAfter: string | null;
  overdueOn: string | null;
  today: string;
  before: number | null;
  limit: number;
}

export interface StoredAttachment {
  fileName: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

interface DirectiveRow {
  id: number;
  titleVi: string;
  titleEn: string | null;
  textVi: string;
  textEn: string | null;
  dueDate: string;
  source: DirectiveSource | string;
  issuedBy: string;
  issuedAt: Date;
  withdrawnAt: Date | null;
}

interface AssignmentRow {
  directiveId: number;
  unit: string;
  state: AssignmentState;
  explanation: string | null;
  cause: string | null;
  fixDate: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  returnReason: string | null;
  outcome: DirectiveOutcome | null;
  closedAt: Date | null;
  closedBy: string | null;
  updatedAt: Date;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
}

const DIRECTIVE_COLUMNS = `d.id::int AS id, d.title_vi AS "titleVi", d.title_en AS "titleEn", d.text_vi AS "textVi", d.text_en AS "textEn",
  to_char(d.due_date, 'YYYY-MM-DD') AS "dueDate", d.source, d.issued_by AS "issuedBy", d.issued_at AS "issuedAt",
  d.withdrawn_at AS "withdrawnAt"`;

const ASSIGNMENT_COLUMNS = `a.directive_id::int AS "directiveId", a.unit_code AS unit, a.state, a.explanation, a.cause,
  to_char(a.fix_date, 'YYYY-MM-DD') AS "fixDate", a.answered_at AS "answeredAt", a.answered_by AS "answeredBy",
  a.return_reason AS "returnReason", a.outcome, a.closed_at AS "closedAt", a.closed_by AS "closedBy", a.updated_at AS "updatedAt",
  f.file_name AS "fileName", f.content_type AS "contentType", f.size`;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Still owed an answer or a decision: overdue once the due date has passed. */
export const PENDING_STATES: AssignmentState[] = ['open', 'answered', 'returned'];

@Injectable()
export class DirectivesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertDirective(tx: Queryable, d: NewDirective, units: string[], now: Date): Promise<number> {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO directive (title_vi, title_en, text_vi, text_en, due_date, source, issued_by, issued_at)
       VALUES ($1, $2, $3, $4, $5::date, $6::jsonb, $7, $8) RETURNING id::int AS id`,
      [d.titleVi, d.titleEn, d.textVi, d.textEn, d.dueDate, JSON.stringify(d.source), d.issuedBy, now],
    );
    const id = (rows[0] as { id: number }).id;
    await tx.query(
      `INSERT INTO directive_assignment (directive_id, unit_code, state, updated_at)
       SELECT $1, u, 'open', $3 FROM unnest($2::text[]) AS u`,
      [id, units, now],
    );
    return id;
  }

  /** Units among codes that exist (the rest are unknown). */
  async knownUnits(codes: string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ code: string }>(`SELECT code FROM unit WHERE code = ANY($1::text[])`, [codes]);
    return rows.map((r) => r.code);
  }

  async alertExists(alertId: number): Promise<boolean> {
    const { rows } = await this.db.query(`SELECT 1 FROM alert WHERE id = $1`, [alertId]);
    return rows.length > 0;
  }

  async lockDirective(tx: Queryable, id: number): Promise<{ withdrawnAt: Date | null } | null> {
    const { rows } = await tx.query<{ withdrawnAt: Date | null }>(
      `SELECT withdrawn_at AS "withdrawnAt" FROM directive WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lockAssignment(tx: Queryable, id: number, unit: string): Promise<{ state: AssignmentState } | null> {
    const { rows } = await tx.query<{ state: AssignmentState }>(
      `SELECT state FROM directive_assignment WHERE directive_id = $1 AND unit_code = $2 FOR UPDATE`,
      [id, unit],
    );
    return rows[0] ?? null;
  }

  async answer(
    tx: Queryable,
    id: number,
    unit: string,
    a: { explanation: string; cause: string; fixDate: string },
    actor: string,
    now: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE directive_assignment SET state = 'answered', explanation = $3, cause = $4, fix_date = $5::date,
         answered_at = $6, answered_by = $7, updated_at = $6
       WHERE directive_id = $1 AND unit_code = $2`,
      [id, unit, a.explanation, a.cause, a.fixDate, now, actor],
    );
  }

  async sendBack(tx: Queryable, id: number, unit: string, reason: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE directive_assignment SET state = 'returned', return_reason = $3, updated_at = $4 WHERE directive_id = $1 AND unit_code = $2`,
      [id, unit, reason, now],
    );
  }

  async close(tx: Queryable, id: number, unit: string, outcome: DirectiveOutcome, actor: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE directive_assignment SET state = 'closed', outcome = $3, closed_at = $4, closed_by = $5, updated_at = $4
       WHERE directive_id = $1 AND unit_code = $2`,
      [id, unit, outcome, now, actor],
    );
  }

  /** Withdraws the directive: every assignment not closed becomes withdrawn. Returns those units. */
  async withdraw(tx: Queryable, id: number, now: Date): Promise<string[]> {
    await tx.query(`UPDATE directive SET withdrawn_at = $2 WHERE id = $1`, [id, now]);
    const { rows } = await tx.query<{ unit: string }>(
      `UPDATE directive_assignment SET state = 'withdrawn', updated_at = $2
       WHERE directive_id = $1 AND state <> 'closed' RETURNING unit_code AS unit`,
      [id, now],
    );
    return rows.map((r) => r.unit);
  }

  async putAttachment(tx: Queryable, id: number, unit: string, file: StoredAttachment, actor: string, now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO directive_attachment (directive_id, unit_code, file_name, content_type, size, content, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (directive_id, unit_code) DO UPDATE SET file_name = EXCLUDED.file_name, content_type = EXCLUDED.content_type,
         size = EXCLUDED.size, content = EXCLUDED.content, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = EXCLUDED.uploaded_at`,
      [id, unit, file.fileName, file.contentType, file.size, file.content, actor, now],
    );
    await tx.query(`UPDATE directive_assignment SET updated_at = $3 WHERE directive_id = $1 AND unit_code = $2`, [id, unit, now]);
  }

  async getAttachment(id: number, unit: string): Promise<StoredAttachment | null> {
    const { rows } = await this.db.query<StoredAttachment>(
      `SELECT file_name AS "fileName", content_type AS "contentType", size, content
       FROM directive_attachment WHERE directive_id = $1 AND unit_code = $2`,
      [id, unit],
    );
    return rows[0] ?? null;
  }

  async insertEvent(
    tx: Queryable,
    e: { directiveId: number; unit: string | null; kind: DirectiveEventKind; actor: string; text: string | null },
    now: Date,
  ): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [DIRECTIVE_STREAM_ORDER_LOCK]);
    await tx.query(`INSERT INTO directive_event (directive_id, unit_code, kind, actor, at, text) VALUES ($1, $2, $3, $4, $5, $6)`, [
      e.directiveId,
      e.unit,
      e.kind,
      e.actor,
      now,
      e.text,
    ]);
  }

  /** Events of one directive in order; unit set: only that unit's and the whole directive's. */
  async events(id: number, unit: string | null, q: Queryable = this.db): Promise<DirectiveEvent[]> {
    const { rows } = await q.query<{
      seq: string | number;
      directiveId: number;
      unit: string | null;
      kind: DirectiveEventKind;
      actor: string;
      at: Date;
      text: string | null;
    }>(
      `SELECT seq, directive_id::int AS "directiveId", unit_code AS unit, kind, actor, at, text FROM directive_event
       WHERE directive_id = $1 AND ($2::text IS NULL OR unit_code IS NULL OR unit_code = $2) ORDER BY seq`,
      [id, unit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: iso(r.at) as string }));
  }

  /** One directive with its assignments (only `unit`'s when given); null when absent or not addressed to `unit`. */
  async getDirective(id: number, unit: string | null, today: string, q: Queryable = this.db): Promise<Directive | null> {
    const list = await this.hydrate(q, [id], unit, today);
    const d = list[0];
    return d && d.assignments.length > 0 ? d : null;
  }

  async list(f: DirectiveFilter): Promise<Directive[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT d.id::int AS id FROM directive d
       WHERE ($1::bigint IS NULL OR d.id < $1)
         AND ($2::date IS NULL OR d.due_date < $2::date)
         AND ($3::date IS NULL OR d.due_date > $3::date)
         AND EXISTS (SELECT 1 FROM directive_assignment a WHERE a.directive_id = d.id
               AND ($4::text IS NULL OR a.unit_code = $4)
               AND ($5::text IS NULL OR a.state = $5)
               AND ($6::date IS NULL OR (a.state = ANY($7::text[]) AND d.due_date < $6::date)))
       ORDER BY d.id DESC LIMIT $8`,
      [f.before, f.dueBefore, f.dueAfter, f.unit, f.state, f.overdueOn, PENDING_STATES, f.limit],
    );
    return this.hydrate(
      this.db,
      rows.map((r) => r.id),
      f.unit,
      f.today,
    );
  }

  /** Per unit: how many assignments are overdue on `today` and the oldest (earliest due, then lowest id). */
  async overdueByUnit(
    today: string,
  ): Promise<{ unit: string; overdue: number; directiveId: number; titleVi: string; titleEn: string | null; dueDate: string }[]> {
    const { rows } = await this.db.query<{
      unit: string;
      overdue: number;
      directiveId: number;
      titleVi: string;
      titleEn: string | null;
      dueDate: string;
    }>(
      `WITH o AS (
         SELECT a.unit_code, d.id, d.title_vi, d.title_en, d.due_date,
                count(*) OVER (PARTITION BY a.unit_code) AS n,
                row_number() OVER (PARTITION BY a.unit_code ORDER BY d.due_date, d.id) AS r
         FROM directive_assignment a JOIN directive d ON d.id = a.directive_id
         WHERE a.state = ANY($2::text[]) AND d.due_date < $1::date)
       SELECT unit_code AS unit, n::int AS overdue, id::int AS "directiveId", title_vi AS "titleVi", title_en AS "titleEn",
              to_char(due_date, 'YYYY-MM-DD') AS "dueDate"
       FROM o WHERE r = 1 ORDER BY n DESC, unit_code`,
      [today, PENDING_STATES],
    );
    return rows;
  }

  /** Directive events after a stream position (the live hub), bounded; unit set: that unit's and whole-directive events of directives addressed to it. */
  async eventsAfter(
    seq: number,
    limit: number,
  ): Promise<{ seq: number; directiveId: number; unit: string | null; kind: DirectiveEventKind; at: string; units: string[] }[]> {
    const { rows } = await this.db.query<{
      seq: string | number;
      directiveId: number;
      unit: string | null;
      kind: DirectiveEventKind;
      at: Date;
      units: string[];
    }>(
      `SELECT e.seq, e.directive_id::int AS "directiveId", e.unit_code AS unit, e.kind, e.at,
              ARRAY(SELECT a.unit_code FROM directive_assignment a WHERE a.directive_id = e.directive_id ORDER BY a.unit_code) AS units
       FROM directive_event e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [seq, limit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: iso(r.at) as string }));
  }

  private async hydrate(q: Queryable, ids: number[], unit: string | null, today: string): Promise<Directive[]> {
    if (ids.length === 0) return [];
    const [directives, assignments] = await Promise.all([
      q.query<DirectiveRow>(`SELECT ${DIRECTIVE_COLUMNS} FROM directive d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id DESC`, [ids]),
      q.query<AssignmentRow>(
        `SELECT ${ASSIGNMENT_COLUMNS} FROM directive_assignment a
         LEFT JOIN directive_attachment f ON f.directive_id = a.directive_id AND f.unit_code = a.unit_code
         WHERE a.directive_id = ANY($1::bigint[]) AND ($2::text IS NULL OR a.unit_code = $2) ORDER BY a.unit_code`,
        [ids, unit],
      ),
    ]);
    return directives.rows.map((d) => ({
      id: d.id,
      titleVi: d.titleVi,
      titleEn: d.titleEn,
      textVi: d.textVi,
      textEn: d.textEn,
      dueDate: d.dueDate,
      source: typeof d.source === 'string' ? (JSON.parse(d.source) as DirectiveSource) : d.source,
      issuedBy: d.issuedBy,
      issuedAt: iso(d.issuedAt) as string,
      withdrawnAt: iso(d.withdrawnAt),
      assignments: assignments.rows.filter((a) => a.directiveId === d.id).map((a) => toAssignment(a, d.dueDate, today)),
    }));
  }
}

function toAssignment(a: AssignmentRow, dueDate: string, today: string): Assignment {
  return {
    unit: a.unit,
    state: a.state,
    overdue: PENDING_STATES.includes(a.state) && today > dueDate,
    explanation: a.explanation,
    cause: a.cause,
    fixDate: a.fixDate,
    answeredAt: iso(a.answeredAt),
    answeredBy: a.answeredBy,
    attachment:
      a.fileName === null
        ? null
        : {
            fileName: a.fileName,
            contentType: a.contentType as Assignment['attachment'] extends infer T
              ? T extends { contentType: infer C }
                ? C
                : never
              : never,
            size: Number(a.size),
            href: `/api/v1/directives/${a.directiveId}/units/${encodeURIComponent(a.unit)}/attachment`,
          },
    returnReason: a.returnReason,
    outcome: a.outcome,
    closedAt: iso(a.closedAt),
    closedBy: a.closedBy,
    updatedAt: iso(a.updatedAt) as string,
  };
}

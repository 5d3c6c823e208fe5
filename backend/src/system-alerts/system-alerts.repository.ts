import { Inject, Injectable } from '@nestjs/common';
import type { SystemAlert } from '@dxoc/contracts';
import { DATABASE, type Database } from '../db/database';

/** An open problem as a raiser sees it now. */
export interface SystemProblem {
  kind: SystemAlert['kind'];
  subject: string;
  problem: string;
  messageVi: string;
  messageEn: string;
  details: Record<string, unknown>;
}

interface SystemAlertRow extends Omit<SystemAlert, 'raisedAt' | 'lastSeenAt' | 'resolvedAt'> {
  raisedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

const COLUMNS = `id::int AS id, kind, subject, problem, message_vi AS "messageVi", message_en AS "messageEn", details,
  raised_at AS "raisedAt", last_seen_at AS "lastSeenAt", resolved_at AS "resolvedAt"`;

function toSystemAlert(row: SystemAlertRow): SystemAlert {
  return {
    ...row,
    raisedAt: row.raisedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Table system_alert: one open row per (kind, subject), whichever instance raises it and however often. */
@Injectable()
export class SystemAlertsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Opens the alert, or refreshes the open one (its problem, texts and details may have changed). `raised` is true
   * only for the call that opened it: of several instances raising the same problem at once, exactly one.
   */
  async raise(problem: SystemProblem, now: Date): Promise<{ alert: SystemAlert; raised: boolean }> {
    const { rows } = await this.db.query<SystemAlertRow & { raised: boolean }>(
      `INSERT INTO system_alert AS a (kind, subject, problem, message_vi, message_en, details, raised_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7)
       ON CONFLICT (kind, subject) WHERE resolved_at IS NULL DO UPDATE SET
         problem = EXCLUDED.problem, message_vi = EXCLUDED.message_vi, message_en = EXCLUDED.message_en,
         details = EXCLUDED.details, last_seen_at = EXCLUDED.last_seen_at
       RETURNING ${COLUMNS}, (xmax = 0) AS raised`,
      [problem.kind, problem.subject, problem.problem, problem.messageVi, problem.messageEn, JSON.stringify(problem.details), now],
    );
    const { raised, ...row } = rows[0]!;
    return { alert: toSystemAlert(row), raised };
  }

  /** Resolves the open alerts of this kind whose subject is not among those still open; answers them. */
  async resolveAllBut(kind: SystemAlert['kind'], openSubjects: string[], now: Date): Promise<SystemAlert[]> {
    const { rows } = await this.db.query<SystemAlertRow>(
      `UPDATE system_alert SET resolved_at = $3
       WHERE kind = $1 AND resolved_at IS NULL AND NOT (subject = ANY($2::text[]))
       RETURNING ${COLUMNS}`,
      [kind, openSubjects, now],
    );
    return rows.map(toSystemAlert);
  }

  /** The open alerts, then those resolved since `resolvedSince`; newest first within each. */
  async list(resolvedSince: Date): Promise<SystemAlert[]> {
    const { rows } = await this.db.query<SystemAlertRow>(
      `SELECT ${COLUMNS} FROM system_alert WHERE resolved_at IS NULL OR resolved_at >= $1
       ORDER BY resolved_at IS NOT NULL, raised_at DESC, id DESC LIMIT 500`,
      [resolvedSince],
    );
    return rows.map(toSystemAlert);
  }
}

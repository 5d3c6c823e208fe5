import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import { PENDING_STATES } from '../directives/directives.repository';

const SEVERITY_ORDER = ['critical', 'warning', 'info'];

/**
 * The weekly report's own reads (issue 13 part 3): a week's total of a daily flow, and what happened to alerts and
 * directives in [from, to). Everything else in the report comes from the services that already answer it (targets,
 * compliance, latest values), so the report says what the wall and console say.
 */
@Injectable()
export class WeeklyFiguresRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Sum of a series' values dated in [from, to); null when it has none. */
  async sum(metric: string, unit: string, from: Date, to: Date): Promise<number | null> {
    const { rows } = await this.db.query<{ total: number | string | null }>(
      `SELECT sum(value) AS total FROM observation WHERE metric = $1 AND unit = $2 AND ts >= $3 AND ts < $4`,
      [metric, unit, from.toISOString(), to.toISOString()],
    );
    const total = rows[0]?.total;
    return total === null || total === undefined ? null : Number(total);
  }

  /**
   * When the first value of these metrics for `unit` is dated (the earliest week a report can say something about),
   * or null. One index probe per metric (the series index read forwards): observation has no index led by ts alone.
   */
  async firstObservation(metrics: string[], unit: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ first: Date | string | null }>(
      `SELECT min(f.ts) AS first
       FROM unnest($1::text[]) AS m(code),
            LATERAL (SELECT ts FROM observation WHERE metric = m.code AND unit = $2 ORDER BY ts ASC LIMIT 1) AS f`,
      [metrics, unit],
    );
    const first = rows[0]?.first;
    return first === null || first === undefined ? null : new Date(first);
  }

  /** Alert transitions in [from, to), and the alerts that were firing or acknowledged at `to`. */
  async alerts(from: Date, to: Date, limit: number) {
    const counts = await this.db.query<{ transition: string; n: number }>(
      `SELECT transition, count(*)::int AS n FROM alert_event WHERE at >= $1 AND at < $2 GROUP BY transition`,
      [from.toISOString(), to.toISOString()],
    );
    const count = (transition: string) => counts.rows.find((r) => r.transition === transition)?.n ?? 0;
    // open at `to`: fired before it and not resolved by then (an acknowledged alert is still open)
    const open = await this.db.query<{
      id: number;
      unit: string;
      severity: string;
      messageVi: string;
      messageEn: string;
      firingSince: Date | string | null;
      total: number;
    }>(
      `SELECT a.id::int AS id, a.unit_code AS unit, r.severity, a.message_vi AS "messageVi", a.message_en AS "messageEn",
              a.firing_since AS "firingSince", count(*) OVER ()::int AS total
       FROM alert a JOIN alert_rule r ON r.id = a.rule_id
       WHERE a.firing_since < $1 AND (a.resolved_at IS NULL OR a.resolved_at >= $1)
       ORDER BY array_position($2::text[], r.severity), a.firing_since, a.id
       LIMIT $3`,
      [to.toISOString(), SEVERITY_ORDER, limit],
    );
    return {
      fired: count('firing'),
      acknowledged: count('acknowledged'),
      resolved: count('resolved'),
      openAtEnd: open.rows[0]?.total ?? 0,
      open: open.rows.map(({ total: _total, firingSince, ...row }) => ({
        ...row,
        firingSince: firingSince === null ? null : new Date(firingSince).toISOString(),
      })),
    };
  }

  /**
   * Directives issued in [from, to), answers and closures given in it, and the assignments overdue at `to`: still
   * owed an answer or a decision then (issued before, neither closed nor withdrawn by then) with a due date before
   * `dueBefore` (the local day after the week).
   */
  async directives(from: Date, to: Date, dueBefore: string, limit: number) {
    const issued = await this.db.query<{ directives: number; assignments: number }>(
      `SELECT count(DISTINCT d.id)::int AS directives, count(a.unit_code)::int AS assignments
       FROM directive d LEFT JOIN directive_assignment a ON a.directive_id = d.id
       WHERE d.issued_at >= $1 AND d.issued_at < $2`,
      [from.toISOString(), to.toISOString()],
    );
    const events = await this.db.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM directive_event WHERE at >= $1 AND at < $2 AND kind IN ('answered', 'closed') GROUP BY kind`,
      [from.toISOString(), to.toISOString()],
    );
    const overdue = await this.db.query<{
      directiveId: number;
      unit: string;
      titleVi: string;
      titleEn: string | null;
      dueDate: string;
      total: number;
    }>(
      `SELECT d.id::int AS "directiveId", a.unit_code AS unit, d.title_vi AS "titleVi", d.title_en AS "titleEn",
              to_char(d.due_date, 'YYYY-MM-DD') AS "dueDate", count(*) OVER ()::int AS total
       FROM directive_assignment a JOIN directive d ON d.id = a.directive_id
       WHERE d.issued_at < $1 AND (d.withdrawn_at IS NULL OR d.withdrawn_at >= $1)
         AND (a.closed_at IS NULL OR a.closed_at >= $1)
         AND (a.state = ANY($4::text[]) OR a.closed_at >= $1 OR d.withdrawn_at >= $1)
         AND d.due_date < $2::date
       ORDER BY d.due_date, d.id, a.unit_code
       LIMIT $3`,
      [to.toISOString(), dueBefore, limit, PENDING_STATES],
    );
    const eventCount = (kind: string) => events.rows.find((r) => r.kind === kind)?.n ?? 0;
    return {
      issued: issued.rows[0]?.directives ?? 0,
      assignmentsIssued: issued.rows[0]?.assignments ?? 0,
      answered: eventCount('answered'),
      closed: eventCount('closed'),
      overdueAtEnd: overdue.rows[0]?.total ?? 0,
      overdue: overdue.rows.map(({ total: _total, ...row }) => row),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Alert, AlertSilenceInfo } from '@dxoc/contracts';
import { toAlert, type AlertRow } from '../db/alert-rows';
import { DATABASE, type Database } from '../db/database';

/**
 * Whether a silence covers an alert of `ruleId` about `unit` at `at`: a silence of that rule (any unit), of that unit
 * (any rule), or of that rule for that unit. The notification delivery asks it before sending (a silenced alert sends
 * nothing); when several silences match, the one lasting longest is told.
 */
export interface SilenceMatcher {
  isSilenced(ruleId: number, unit: string, at: Date): Promise<AlertSilenceInfo | null>;
}

export const SILENCE_MATCHER = Symbol('SilenceMatcher');

/**
 * The SQL of "the silence covering (rule, unit) at an instant", shared with the alert lists so they mark alerts with
 * the same rule as delivery skips them. `$rule`, `$unit`, `$at` are SQL expressions (parameters or columns).
 */
export function coveringSilenceSql(rule: string, unit: string, at: string): string {
  return `SELECT s.id::int AS "silenceId", LEAST(s.ends_at, COALESCE(s.ended_at, s.ends_at)) AS "endsAt", s.reason AS reason
  FROM silence s
  WHERE (s.rule_id IS NULL OR s.rule_id = ${rule})
    AND (s.unit_code IS NULL OR s.unit_code = ${unit})
    AND s.starts_at <= ${at}
    AND LEAST(s.ends_at, COALESCE(s.ended_at, s.ends_at)) > ${at}
  ORDER BY LEAST(s.ends_at, COALESCE(s.ended_at, s.ends_at)) DESC, s.id DESC
  LIMIT 1`;
}

@Injectable()
export class DatabaseSilenceMatcher implements SilenceMatcher {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async isSilenced(ruleId: number, unit: string, at: Date): Promise<AlertSilenceInfo | null> {
    const { rows } = await this.db.query<{ silenceId: number; endsAt: Date; reason: string }>(
      coveringSilenceSql('$1::bigint', '$2::text', '$3::timestamptz'),
      [ruleId, unit, at.toISOString()],
    );
    const row = rows[0];
    return row ? { silenceId: row.silenceId, endsAt: new Date(row.endsAt).toISOString(), reason: row.reason } : null;
  }
}

/**
 * The silence mark of alert rows (`alert a`): one lateral lookup per row in the same statement (no query per alert),
 * with the matcher's own SQL so the console and the wall mark exactly the alerts whose notifications are skipped.
 * Resolved alerts carry no mark: nothing is left to mute for them. `at` is an SQL expression (a parameter).
 */
export const alertSilenceJoin = (at: string) =>
  `LEFT JOIN LATERAL (${coveringSilenceSql('a.rule_id', 'a.unit_code', `${at}::timestamptz`)}) sl ON a.state <> 'resolved'`;
export const ALERT_SILENCE_COLUMNS = `sl."silenceId" AS "silenceId", sl."endsAt" AS "silenceEndsAt", sl.reason AS "silenceReason"`;
export interface AlertSilenceColumns {
  silenceId: number | null;
  silenceEndsAt: Date | null;
  silenceReason: string | null;
}

export function toSilencedAlert(row: AlertRow & AlertSilenceColumns): Alert {
  const { silenceId, silenceEndsAt, silenceReason, ...alert } = row;
  return {
    ...toAlert(alert),
    silence:
      silenceId === null || silenceEndsAt === null
        ? null
        : { silenceId, endsAt: new Date(silenceEndsAt).toISOString(), reason: silenceReason ?? '' },
  };
}

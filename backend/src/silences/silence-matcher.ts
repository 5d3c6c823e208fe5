import { Inject, Injectable } from '@nestjs/common';
import type { AlertSilenceInfo } from '@dxoc/contracts';
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

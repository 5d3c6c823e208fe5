import type { Alert } from '@dxoc/contracts';

/** Column list shared by every query that returns alerts (alert a JOIN alert_rule r). */
export const ALERT_COLUMNS = `a.id::int AS id, a.rule_id::int AS "ruleId", r.name AS "ruleName", r.metric_code AS metric,
  a.unit_code AS unit, r.severity, a.state, a.value, a.message_vi AS "messageVi", a.message_en AS "messageEn",
  a.pending_since AS "pendingSince", a.firing_since AS "firingSince", a.acknowledged_at AS "acknowledgedAt",
  a.acknowledged_by AS "acknowledgedBy", a.ack_comment AS "ackComment", a.resolved_at AS "resolvedAt", a.updated_at AS "updatedAt"`;

export type AlertRow = Omit<Alert, 'pendingSince' | 'firingSince' | 'acknowledgedAt' | 'resolvedAt' | 'updatedAt'> & {
  pendingSince: Date;
  firingSince: Date | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  updatedAt: Date;
};

export function toAlert(row: AlertRow): Alert {
  return {
    ...row,
    pendingSince: row.pendingSince.toISOString(),
    firingSince: row.firingSince?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../db/database';
import type { Alert, AlertRuleInput, AlertState } from '@dxoc/contracts';
import type { ConditionInput, DataNeeds } from './conditions/condition-kind';
import { ALERT_COLUMNS, toAlert, type AlertRow } from '../db/alert-rows';
import {
  alertSilenceJoin as silenceJoin,
  ALERT_SILENCE_COLUMNS as SILENCE_COLUMNS,
  toSilencedAlert,
  type AlertSilenceColumns as SilenceColumns,
} from '../silences/silence-matcher';
import type { AlertSnapshot, Transition } from './state-machine';
import type { StoredRule } from './rules';

/**
 * Serialises writers of alert_event so stream positions (seq) are committed in order, as ingest does for
 * observation.stream_seq: a socket client resuming after seq N never misses a smaller seq committed later.
 * Taken last in a transaction (after the row locks), right before the event insert.
 */
const ALERT_STREAM_ORDER_LOCK = 4_242_004;

const RULE_COLUMNS = `id::int AS id, name, metric_code AS metric, scope, condition, for_seconds AS "forSeconds",
  keep_firing_seconds AS "keepFiringSeconds", severity, message_vi AS "messageVi", message_en AS "messageEn", enabled,
  created_at AS "createdAt", created_by AS "createdBy", updated_at AS "updatedAt"`;

const SNAPSHOT_COLUMNS = `id::int AS id, unit_code AS unit, state, pending_since AS "pendingSince", firing_since AS "firingSince",
  clear_since AS "clearSince", resolved_at AS "resolvedAt", value`;

export interface OpenAlert extends AlertSnapshot {
  id: number;
  unit: string;
}

/** The stored rule fields, durations already in seconds. */
export interface RuleRecord extends Omit<AlertRuleInput, 'for' | 'keepFiringFor'> {
  forSeconds: number;
  keepFiringSeconds: number;
}

/** Per unit: the ConditionInput read from storage (the value with the latest ts, and what the condition's DataNeeds ask for). */
export type UnitData = Omit<ConditionInput, 'watchingSince'>;

export interface AlertFilter {
  states: AlertState[] | null;
  from: Date | null;
  to: Date | null;
  unit: string | null;
  metric: string | null;
  severity: string | null;
  limit: number;
}

export interface AlertEventRow {
  seq: number;
  transition: Transition;
  at: Date;
  actor: string | null;
}

/** A rule's stored columns in the order both INSERT and UPDATE list them (name … enabled). */
function ruleValues(rule: RuleRecord): unknown[] {
  return [
    rule.name,
    rule.metric,
    JSON.stringify(rule.scope),
    JSON.stringify(rule.condition),
    rule.forSeconds,
    rule.keepFiringSeconds,
    rule.severity,
    rule.messageVi,
    rule.messageEn,
    rule.enabled,
  ];
}

@Injectable()
export class AlertsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  // ---- rules -------------------------------------------------------------------------------------------------

  async listRules(q: Queryable = this.db, filter: { enabledOnly?: boolean; metrics?: string[] } = {}): Promise<StoredRule[]> {
    const { rows } = await q.query<StoredRule>(
      `SELECT ${RULE_COLUMNS} FROM alert_rule
       WHERE (NOT $1::boolean OR enabled) AND ($2::text[] IS NULL OR metric_code = ANY($2))
       ORDER BY id`,
      [filter.enabledOnly ?? false, filter.metrics ?? null],
    );
    return rows;
  }

  /** forShare: inside an evaluation, so a concurrent edit or disable of the rule waits for it (and vice versa). */
  async getRule(q: Queryable = this.db, id: number, lock: 'none' | 'share' | 'update' = 'none'): Promise<StoredRule | null> {
    const suffix = lock === 'share' ? 'FOR SHARE' : lock === 'update' ? 'FOR UPDATE' : '';
    const { rows } = await q.query<StoredRule>(`SELECT ${RULE_COLUMNS} FROM alert_rule WHERE id = $1 ${suffix}`, [id]);
    return rows[0] ?? null;
  }

  async insertRule(q: Queryable = this.db, rule: RuleRecord, createdBy: string, at: Date): Promise<StoredRule> {
    const { rows } = await q.query<StoredRule>(
      `INSERT INTO alert_rule (name, metric_code, scope, condition, for_seconds, keep_firing_seconds, severity, message_vi, message_en, enabled, created_at, created_by, updated_at)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $11)
       RETURNING ${RULE_COLUMNS}`,
      [...ruleValues(rule), at, createdBy],
    );
    return rows[0] as StoredRule;
  }

  async replaceRule(q: Queryable, id: number, rule: RuleRecord, at: Date): Promise<StoredRule | null> {
    const { rows } = await q.query<StoredRule>(
      `UPDATE alert_rule SET name = $2, metric_code = $3, scope = $4::jsonb, condition = $5::jsonb, for_seconds = $6, keep_firing_seconds = $7,
         severity = $8, message_vi = $9, message_en = $10, enabled = $11, updated_at = $12
       WHERE id = $1
       RETURNING ${RULE_COLUMNS}`,
      [id, ...ruleValues(rule), at],
    );
    return rows[0] ?? null;
  }

  // ---- data the conditions read --------------------------------------------------------------------------------

  /**
   * For each unit: the value with the latest ts; with referenceWindowSeconds, the last value at or before (latest ts -
   * window); with recentPoints, that many latest values.
   */
  async unitData(q: Queryable = this.db, metric: string, units: string[], needs: DataNeeds): Promise<Map<string, UnitData>> {
    const { referenceWindowSeconds: windowSeconds, recentPoints: recentCount } = needs;
    const result = new Map<string, UnitData>();
    if (units.length === 0) return result;
    const latest = await q.query<{ unit: string; ts: Date; value: number; refTs: Date | null; refValue: number | null }>(
      `SELECT l.unit, l.ts, l.value, r.ts AS "refTs", r.value AS "refValue"
       FROM (SELECT DISTINCT ON (unit) unit, ts, value FROM observation
             WHERE metric = $1 AND unit = ANY($2::text[]) ORDER BY unit, ts DESC) l
       LEFT JOIN LATERAL (SELECT o.ts, o.value FROM observation o
                          WHERE o.metric = $1 AND o.unit = l.unit AND o.ts <= l.ts - make_interval(secs => $3::float8)
                          ORDER BY o.ts DESC LIMIT 1) r ON true`,
      [metric, units, windowSeconds],
    );
    for (const row of latest.rows) {
      result.set(row.unit, {
        latest: { ts: row.ts, value: row.value },
        reference: row.refTs ? { ts: row.refTs, value: row.refValue as number } : null,
        recent: [],
      });
    }
    if (recentCount > 0) {
      const recent = await q.query<{ unit: string; ts: Date; value: number }>(
        `SELECT unit, ts, value FROM (
           SELECT unit, ts, value, row_number() OVER (PARTITION BY unit ORDER BY ts DESC) AS rn
           FROM observation WHERE metric = $1 AND unit = ANY($2::text[])) latest_values
         WHERE rn <= $3`,
        [metric, units, recentCount],
      );
      for (const row of recent.rows) result.get(row.unit)?.recent.push({ ts: row.ts, value: row.value });
    }
    return result;
  }

  /**
   * Backtest input: every value of the units from `from` to `to`, plus up to `before` values per unit just before
   * `from` (the state at `from` depends on them). At most `limit` rows.
   */
  async previewPoints(
    metric: string,
    units: string[],
    from: Date,
    to: Date,
    before: number,
    limit: number,
  ): Promise<{ unit: string; ts: Date; value: number }[]> {
    const { rows } = await this.db.query<{ unit: string; ts: Date; value: number }>(
      `SELECT unit, ts, value FROM observation WHERE metric = $1 AND unit = ANY($2::text[]) AND ts >= $3 AND ts <= $4
       UNION ALL
       SELECT unit, ts, value FROM (
         SELECT unit, ts, value, row_number() OVER (PARTITION BY unit ORDER BY ts DESC) AS rn
         FROM observation WHERE metric = $1 AND unit = ANY($2::text[]) AND ts < $3) earlier
       WHERE rn <= $5
       LIMIT $6`,
      [metric, units, from, to, before, limit],
    );
    return rows;
  }

  // ---- alerts ---------------------------------------------------------------------------------------------------

  async openAlerts(q: Queryable = this.db, ruleId: number): Promise<OpenAlert[]> {
    const { rows } = await q.query<OpenAlert>(`SELECT ${SNAPSHOT_COLUMNS} FROM alert WHERE rule_id = $1 AND state <> 'resolved'`, [ruleId]);
    return rows;
  }

  /** Rules that are disabled but still have open alerts (left behind by a crash between the two). */
  async disabledRulesWithOpenAlerts(): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT DISTINCT r.id::int AS id FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE a.state <> 'resolved' AND NOT r.enabled`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Serialises every evaluation of one (rule, unit) across instances for the rest of the transaction, including
   * the moment when there is no open alert row yet to lock.
   */
  async lockEvaluation(tx: Queryable, ruleId: number, unit: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('alert:' || $1::text || ':' || $2::text, 0))`, [ruleId, unit]);
  }

  async lockOpenAlert(tx: Queryable, ruleId: number, unit: string): Promise<OpenAlert | null> {
    const { rows } = await tx.query<OpenAlert>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM alert WHERE rule_id = $1 AND unit_code = $2 AND state <> 'resolved' FOR UPDATE`,
      [ruleId, unit],
    );
    return rows[0] ?? null;
  }

  async lockAlert(tx: Queryable, id: number): Promise<OpenAlert | null> {
    const { rows } = await tx.query<OpenAlert>(`SELECT ${SNAPSHOT_COLUMNS} FROM alert WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async lockOpenAlertsOfRule(tx: Queryable, ruleId: number): Promise<OpenAlert[]> {
    const { rows } = await tx.query<OpenAlert>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM alert WHERE rule_id = $1 AND state <> 'resolved' ORDER BY id FOR UPDATE`,
      [ruleId],
    );
    return rows;
  }

  /** A new episode; null when another evaluation opened one for this (rule, unit) first (the partial unique index). */
  async insertAlert(
    tx: Queryable,
    ruleId: number,
    unit: string,
    alert: AlertSnapshot,
    messages: { vi: string; en: string },
    at: Date,
  ): Promise<number | null> {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO alert (rule_id, unit_code, state, value, message_vi, message_en, pending_since, firing_since, clear_since, resolved_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (rule_id, unit_code) WHERE state <> 'resolved' DO NOTHING
       RETURNING id::int AS id`,
      [
        ruleId,
        unit,
        alert.state,
        alert.value,
        messages.vi,
        messages.en,
        alert.pendingSince,
        alert.firingSince,
        alert.clearSince,
        alert.resolvedAt,
        at,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async updateAlert(tx: Queryable, id: number, alert: AlertSnapshot, messages: { vi: string; en: string } | null, at: Date): Promise<void> {
    await tx.query(
      `UPDATE alert SET state = $2, value = $3, firing_since = $4, clear_since = $5, resolved_at = $6,
         message_vi = COALESCE($7, message_vi), message_en = COALESCE($8, message_en), updated_at = $9
       WHERE id = $1`,
      [id, alert.state, alert.value, alert.firingSince, alert.clearSince, alert.resolvedAt, messages?.vi ?? null, messages?.en ?? null, at],
    );
  }

  async acknowledgeAlert(tx: Queryable, id: number, by: string, comment: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE alert SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, ack_comment = $4, updated_at = $2 WHERE id = $1`,
      [id, at, by, comment],
    );
  }

  /** One alert_event per transition, in order; call after every row lock of the transaction. */
  async insertEvents(tx: Queryable, events: { alertId: number; transition: Transition }[], at: Date, actor: string | null): Promise<void> {
    if (events.length === 0) return;
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ALERT_STREAM_ORDER_LOCK]);
    await tx.query(
      `INSERT INTO alert_event (alert_id, transition, at, actor)
       SELECT alert_id, transition, $3, $4 FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS e(alert_id, transition, n) ORDER BY n`,
      [events.map((e) => e.alertId), events.map((e) => e.transition), at, actor],
    );
  }

  /** `silencedAt`: the instant the silence mark is for (now); an open alert covered then carries it. */
  async listAlerts(filter: AlertFilter, silencedAt: Date): Promise<Alert[]> {
    const { rows } = await this.db.query<AlertRow & SilenceColumns>(
      `SELECT ${ALERT_COLUMNS}, ${SILENCE_COLUMNS} FROM alert a JOIN alert_rule r ON r.id = a.rule_id ${silenceJoin('$8')}
       WHERE ($1::text[] IS NULL OR a.state = ANY($1))
         AND ($2::timestamptz IS NULL OR a.resolved_at IS NULL OR a.resolved_at >= $2)
         AND ($3::timestamptz IS NULL OR a.pending_since < $3)
         AND ($4::text IS NULL OR a.unit_code = $4)
         AND ($5::text IS NULL OR r.metric_code = $5)
         AND ($6::text IS NULL OR r.severity = $6)
       ORDER BY a.pending_since DESC, a.id DESC
       LIMIT $7`,
      [filter.states, filter.from, filter.to, filter.unit, filter.metric, filter.severity, filter.limit, silencedAt.toISOString()],
    );
    return rows.map(toSilencedAlert);
  }

  /** With `silencedAt`, the answer carries the silence covering the alert then (if open); without, no mark at all. */
  async getAlert(q: Queryable = this.db, id: number, silencedAt?: Date): Promise<Alert | null> {
    if (silencedAt) {
      const { rows } = await q.query<AlertRow & SilenceColumns>(
        `SELECT ${ALERT_COLUMNS}, ${SILENCE_COLUMNS} FROM alert a JOIN alert_rule r ON r.id = a.rule_id ${silenceJoin('$2')} WHERE a.id = $1`,
        [id, silencedAt.toISOString()],
      );
      return rows[0] ? toSilencedAlert(rows[0]) : null;
    }
    const { rows } = await q.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE a.id = $1`, [
      id,
    ]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async alertEvents(alertId: number): Promise<AlertEventRow[]> {
    const { rows } = await this.db.query<AlertEventRow>(
      `SELECT seq::float8 AS seq, transition, at, actor FROM alert_event WHERE alert_id = $1 ORDER BY seq`,
      [alertId],
    );
    return rows;
  }

  /** State changes of every alert in [from, to), optionally of one unit and metric, newest first. */
  async timeline(filter: { from: Date | null; to: Date | null; unit: string | null; metric: string | null; limit: number }) {
    const { rows } = await this.db.query<AlertEventRow & { alertId: number; unit: string; metric: string; ruleName: string }>(
      `SELECT e.seq::float8 AS seq, e.transition, e.at, e.actor, a.id::float8 AS "alertId", a.unit_code AS unit,
              r.metric_code AS metric, r.name AS "ruleName"
         FROM alert_event e JOIN alert a ON a.id = e.alert_id JOIN alert_rule r ON r.id = a.rule_id
        WHERE ($1::timestamptz IS NULL OR e.at >= $1) AND ($2::timestamptz IS NULL OR e.at < $2)
          AND ($3::text IS NULL OR a.unit_code = $3) AND ($4::text IS NULL OR r.metric_code = $4)
        ORDER BY e.at DESC, e.seq DESC
        LIMIT $5`,
      [filter.from, filter.to, filter.unit, filter.metric, filter.limit],
    );
    return rows;
  }
}

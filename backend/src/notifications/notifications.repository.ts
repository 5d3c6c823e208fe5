import { Inject, Injectable } from '@nestjs/common';
import type {
  Alert,
  DeliveryState,
  NotificationChannel,
  NotificationDelivery,
  NotificationRoute,
  NotificationRouteInput,
  NotificationScope,
  Severity,
} from '@dxoc/contracts';
import { ALERT_COLUMNS, toAlert, type AlertRow } from '../db/alert-rows';
import { DATABASE, type Database, type Queryable } from '../db/database';

export type DeliveryKind = NotificationDelivery['kind'];

/** A channel's config as stored: the input without its secret (the webhook secret or SMTP password). */
export type StoredChannelConfig =
  | { kind: 'webhook'; url: string }
  | {
      kind: 'email';
      host: string;
      port: number;
      security: 'none' | 'starttls' | 'tls';
      username?: string;
      from: string;
      recipients: string[];
      language: 'vi' | 'en' | 'vi+en';
    };

export interface StoredChannel {
  id: number;
  name: string;
  enabled: boolean;
  config: StoredChannelConfig;
  /** sealed (crypto.seal), or null when none was given */
  secret: string | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RouteRecord extends NotificationRoute {
  /** the ids and kinds the dispatcher matches on */
  channelEnabled: boolean;
}

/** An alert transition the dispatcher has not read yet, with what routes match on. */
export interface PendingEvent {
  seq: number;
  transition: 'pending' | 'firing' | 'acknowledged' | 'resolved';
  at: Date;
  unitKind: string | null;
  alert: Alert;
}

export interface DeliveryInsert {
  channelId: number;
  routeId: number | null;
  alertId: number | null;
  eventSeq: number | null;
  kind: DeliveryKind;
  state: DeliveryState;
  lastError: string | null;
  payload: unknown;
  /** when a pending delivery is first due (default: at once) */
  nextAttemptAt?: Date;
}

export interface DueDelivery {
  id: number;
  channelId: number;
  kind: DeliveryKind;
  attempts: number;
  payload: Record<string, unknown>;
}

const CURSOR = 'alert_event';

const CHANNEL_COLUMNS = `id::int AS id, name, enabled, config, convert_from(secret, 'UTF8') AS secret,
  last_success_at AS "lastSuccessAt", last_error_at AS "lastErrorAt", last_error AS "lastError",
  consecutive_failures AS "consecutiveFailures", created_at AS "createdAt", updated_at AS "updatedAt"`;

const ROUTE_COLUMNS = `r.id::int AS id, r.name, r.channel_id::int AS "channelId", r.severities, r.metrics, r.scope,
  r.notify_resolved AS "notifyResolved", r.repeat_hours AS "repeatHours", r.weekly_report AS "weeklyReport", r.enabled,
  r.created_at AS "createdAt", r.created_by AS "createdBy", r.updated_at AS "updatedAt",
  (c.enabled AND c.deleted_at IS NULL) AS "channelEnabled"`;

type RouteRow = Omit<RouteRecord, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

function toRoute(row: RouteRow): RouteRecord {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** The answer for a channel: its config without the secret, and whether one is stored. */
export function channelView(channel: StoredChannel): NotificationChannel {
  const has = channel.secret !== null;
  return {
    id: channel.id,
    name: channel.name,
    enabled: channel.enabled,
    config: channel.config.kind === 'webhook' ? { ...channel.config, hasSecret: has } : { ...channel.config, hasPassword: has },
    lastSuccessAt: channel.lastSuccessAt?.toISOString() ?? null,
    lastErrorAt: channel.lastErrorAt?.toISOString() ?? null,
    lastError: channel.lastError,
    consecutiveFailures: channel.consecutiveFailures,
    failing: channel.consecutiveFailures > 0,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

/** Notification channels, routes, the delivery outbox and the dispatcher's cursor on alert_event. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  // --- channels

  async listChannels(): Promise<StoredChannel[]> {
    const { rows } = await this.db.query<StoredChannel>(
      `SELECT ${CHANNEL_COLUMNS} FROM notification_channel WHERE deleted_at IS NULL ORDER BY id`,
    );
    return rows;
  }

  async getChannel(q: Queryable = this.db, id: number, lock = false): Promise<StoredChannel | null> {
    const { rows } = await q.query<StoredChannel>(
      `SELECT ${CHANNEL_COLUMNS} FROM notification_channel WHERE id = $1 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insertChannel(
    q: Queryable,
    channel: { name: string; enabled: boolean; config: StoredChannelConfig; secret: string | null },
    at: Date,
  ): Promise<number> {
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO notification_channel (name, kind, enabled, config, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, convert_to($5::text, 'UTF8'), $6, $6) RETURNING id::int AS id`,
      [channel.name, channel.config.kind, channel.enabled, JSON.stringify(channel.config), channel.secret, at],
    );
    return rows[0]!.id;
  }

  async updateChannel(
    q: Queryable,
    id: number,
    channel: { name: string; enabled: boolean; config: StoredChannelConfig; secret: string | null },
    at: Date,
  ): Promise<void> {
    // a changed configuration starts with a clean health record: the old failures were about the old settings
    await q.query(
      `UPDATE notification_channel SET name = $2, kind = $3, enabled = $4, config = $5, secret = convert_to($6::text, 'UTF8'),
         updated_at = $7, consecutive_failures = 0, last_error = NULL, last_error_at = NULL
       WHERE id = $1`,
      [id, channel.name, channel.config.kind, channel.enabled, JSON.stringify(channel.config), channel.secret, at],
    );
  }

  /** Hides the channel (its log keeps naming it), deletes its routes and skips what it had still to send. */
  async deleteChannel(q: Queryable, id: number, at: Date): Promise<void> {
    await q.query(`UPDATE notification_channel SET deleted_at = $2, enabled = false, updated_at = $2 WHERE id = $1`, [id, at]);
    await q.query(`DELETE FROM notification_route WHERE channel_id = $1`, [id]);
    await q.query(
      `UPDATE notification_delivery SET state = 'skipped', next_attempt_at = NULL, last_error = 'channel deleted'
       WHERE channel_id = $1 AND state IN ('pending', 'retrying')`,
      [id],
    );
  }

  async recordChannelSuccess(id: number, at: Date): Promise<void> {
    await this.db.query(`UPDATE notification_channel SET last_success_at = $2, consecutive_failures = 0 WHERE id = $1`, [id, at]);
  }

  async recordChannelFailure(id: number, error: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE notification_channel SET last_error_at = $2, last_error = $3, consecutive_failures = consecutive_failures + 1 WHERE id = $1`,
      [id, at, error],
    );
  }

  // --- routes

  async listRoutes(q: Queryable = this.db, filter: { enabledOnly?: boolean; weeklyReport?: boolean } = {}): Promise<RouteRecord[]> {
    const { rows } = await q.query<RouteRow>(
      `SELECT ${ROUTE_COLUMNS} FROM notification_route r JOIN notification_channel c ON c.id = r.channel_id
       WHERE ($1::boolean IS NULL OR (r.enabled AND c.enabled AND c.deleted_at IS NULL))
         AND ($2::boolean IS NULL OR r.weekly_report = $2)
       ORDER BY r.id`,
      [filter.enabledOnly ? true : null, filter.weeklyReport ?? null],
    );
    return rows.map(toRoute);
  }

  async getRoute(q: Queryable = this.db, id: number): Promise<RouteRecord | null> {
    const { rows } = await q.query<RouteRow>(
      `SELECT ${ROUTE_COLUMNS} FROM notification_route r JOIN notification_channel c ON c.id = r.channel_id WHERE r.id = $1`,
      [id],
    );
    return rows[0] ? toRoute(rows[0]) : null;
  }

  async insertRoute(q: Queryable, route: NotificationRouteInput, by: string, at: Date): Promise<number> {
    const { rows } = await q.query<{ id: number }>(
      `INSERT INTO notification_route (name, channel_id, severities, metrics, scope, notify_resolved, repeat_hours, weekly_report,
         enabled, created_at, created_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10) RETURNING id::int AS id`,
      [...routeParams(route), at, by],
    );
    return rows[0]!.id;
  }

  async updateRoute(q: Queryable, id: number, route: NotificationRouteInput, at: Date): Promise<void> {
    await q.query(
      `UPDATE notification_route SET name = $1, channel_id = $2, severities = $3, metrics = $4, scope = $5, notify_resolved = $6,
         repeat_hours = $7, weekly_report = $8, enabled = $9, updated_at = $10
       WHERE id = $11`,
      [...routeParams(route), at, id],
    );
  }

  async deleteRoute(q: Queryable, id: number): Promise<void> {
    await q.query(`DELETE FROM notification_route WHERE id = $1`, [id]);
  }

  // --- the dispatcher's cursor and the outbox

  /** Locks the cursor row (one dispatch at a time, whichever instance) and answers its position. */
  async lockCursor(tx: Queryable): Promise<number> {
    const { rows } = await tx.query<{ position: number }>(
      `SELECT position::float8 AS position FROM notification_cursor WHERE name = $1 FOR UPDATE`,
      [CURSOR],
    );
    return rows[0]?.position ?? 0;
  }

  async cursorPosition(): Promise<number> {
    const { rows } = await this.db.query<{ position: number }>(
      `SELECT position::float8 AS position FROM notification_cursor WHERE name = $1`,
      [CURSOR],
    );
    return rows[0]?.position ?? 0;
  }

  async advanceCursor(tx: Queryable, position: number): Promise<void> {
    await tx.query(`UPDATE notification_cursor SET position = $2 WHERE name = $1`, [CURSOR, position]);
  }

  async eventsAfter(tx: Queryable = this.db, after: number, limit: number): Promise<PendingEvent[]> {
    const { rows } = await tx.query<AlertRow & { seq: number; transition: PendingEvent['transition']; at: Date; unitKind: string | null }>(
      `SELECT e.seq::float8 AS seq, e.transition, e.at, u.kind AS "unitKind", ${ALERT_COLUMNS}
       FROM alert_event e JOIN alert a ON a.id = e.alert_id JOIN alert_rule r ON r.id = a.rule_id
       LEFT JOIN unit u ON u.code = a.unit_code
       WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [after, limit],
    );
    return rows.map(({ seq, transition, at, unitKind, ...alert }) => ({ seq, transition, at, unitKind, alert: toAlert(alert) }));
  }

  /** Firing alerts (not acknowledged) with the unit's kind: candidates for a repeat. */
  async firingAlerts(tx: Queryable = this.db, limit: number): Promise<{ unitKind: string | null; alert: Alert }[]> {
    const { rows } = await tx.query<AlertRow & { unitKind: string | null }>(
      `SELECT u.kind AS "unitKind", ${ALERT_COLUMNS}
       FROM alert a JOIN alert_rule r ON r.id = a.rule_id LEFT JOIN unit u ON u.code = a.unit_code
       WHERE a.state = 'firing' ORDER BY a.id LIMIT $1`,
      [limit],
    );
    return rows.map(({ unitKind, ...alert }) => ({ unitKind, alert: toAlert(alert) }));
  }

  /** When each (route, alert) pair was last queued (firing or repeat), for the repeat schedule. */
  async lastQueued(tx: Queryable = this.db, alertIds: number[]): Promise<Map<string, Date>> {
    if (alertIds.length === 0) return new Map();
    const { rows } = await tx.query<{ routeId: number; alertId: number; at: Date }>(
      `SELECT route_id::int AS "routeId", alert_id::int AS "alertId", max(created_at) AS at FROM notification_delivery
       WHERE alert_id = ANY($1::bigint[]) AND route_id IS NOT NULL AND kind IN ('firing', 'repeat')
       GROUP BY route_id, alert_id`,
      [alertIds],
    );
    return new Map(rows.map((r) => [`${r.routeId}:${r.alertId}`, r.at]));
  }

  async insertDeliveries(q: Queryable, deliveries: DeliveryInsert[], at: Date): Promise<number[]> {
    const ids: number[] = [];
    for (const d of deliveries) {
      const { rows } = await q.query<{ id: number }>(
        `INSERT INTO notification_delivery (channel_id, route_id, alert_id, event_seq, kind, state, last_error, payload, created_at,
           next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $6 IN ('pending', 'retrying') THEN COALESCE($10, $9::timestamptz) END)
         ON CONFLICT (route_id, event_seq) WHERE event_seq IS NOT NULL DO NOTHING
         RETURNING id::int AS id`,
        [
          d.channelId,
          d.routeId,
          d.alertId,
          d.eventSeq,
          d.kind,
          d.state,
          d.lastError,
          JSON.stringify(d.payload),
          at,
          d.nextAttemptAt ?? null,
        ],
      );
      if (rows[0]) ids.push(rows[0].id);
    }
    return ids;
  }

  /**
   * Claims up to `limit` deliveries due now: their next attempt moves `claimMs` ahead, so a sender that dies mid-way
   * leaves them to be retried rather than lost, and a second sender does not pick them meanwhile.
   */
  async claimDue(now: Date, claimMs: number, limit: number): Promise<DueDelivery[]> {
    const { rows } = await this.db.query<DueDelivery>(
      `UPDATE notification_delivery d SET next_attempt_at = $1::timestamptz + make_interval(secs => $2::float8)
       FROM (SELECT id FROM notification_delivery
             WHERE state IN ('pending', 'retrying') AND next_attempt_at <= $1
             ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
       RETURNING d.id::int AS id, d.channel_id::int AS "channelId", d.kind, d.attempts, d.payload`,
      [now, claimMs / 1000, limit],
    );
    return rows.sort((x, y) => x.id - y.id);
  }

  /** One delivery this instance has claimed already (a channel test, queued claimed). */
  async getClaimed(id: number): Promise<DueDelivery | null> {
    const { rows } = await this.db.query<DueDelivery>(
      `SELECT id::int AS id, channel_id::int AS "channelId", kind, attempts, payload FROM notification_delivery
       WHERE id = $1 AND state IN ('pending', 'retrying')`,
      [id],
    );
    return rows[0] ?? null;
  }

  async markSent(id: number, attempts: number, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE notification_delivery SET state = 'sent', attempts = $2, sent_at = $3, next_attempt_at = NULL, last_error = NULL WHERE id = $1`,
      [id, attempts, at],
    );
  }

  async markFailedAttempt(id: number, attempts: number, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.query(`UPDATE notification_delivery SET state = $2, attempts = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1`, [
      id,
      nextAttemptAt ? 'retrying' : 'failed',
      attempts,
      error,
      nextAttemptAt,
    ]);
  }

  async markSkipped(id: number, reason: string): Promise<void> {
    await this.db.query(`UPDATE notification_delivery SET state = 'skipped', next_attempt_at = NULL, last_error = $2 WHERE id = $1`, [
      id,
      reason,
    ]);
  }

  async getDelivery(id: number): Promise<NotificationDelivery | null> {
    return (await this.listDeliveries({ id, limit: 1 }))[0] ?? null;
  }

  async listDeliveries(filter: { id?: number; channelId?: number; state?: DeliveryState; limit: number }): Promise<NotificationDelivery[]> {
    const { rows } = await this.db.query<
      Omit<NotificationDelivery, 'nextAttemptAt' | 'createdAt' | 'sentAt'> & {
        nextAttemptAt: Date | null;
        createdAt: Date;
        sentAt: Date | null;
      }
    >(
      `SELECT d.id::int AS id, d.channel_id::int AS "channelId", c.name AS "channelName", d.route_id::int AS "routeId",
              d.alert_id::int AS "alertId", d.kind, d.state, d.attempts, d.next_attempt_at AS "nextAttemptAt",
              d.last_error AS "lastError", d.created_at AS "createdAt", d.sent_at AS "sentAt"
       FROM notification_delivery d JOIN notification_channel c ON c.id = d.channel_id
       WHERE ($1::bigint IS NULL OR d.id = $1) AND ($2::bigint IS NULL OR d.channel_id = $2) AND ($3::text IS NULL OR d.state = $3)
       ORDER BY d.id DESC LIMIT $4`,
      [filter.id ?? null, filter.channelId ?? null, filter.state ?? null, filter.limit],
    );
    return rows.map((row) => ({
      ...row,
      nextAttemptAt: row.state === 'pending' || row.state === 'retrying' ? (row.nextAttemptAt?.toISOString() ?? null) : null,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
    }));
  }

  /** The stored PDF of a week's report, for a report mail. */
  async reportPdf(weekStart: string, lang: 'vi' | 'en'): Promise<Buffer | null> {
    const { rows } = await this.db.query<{ pdf: Uint8Array }>(`SELECT pdf FROM weekly_report WHERE week_start = $1 AND lang = $2`, [
      weekStart,
      lang,
    ]);
    return rows[0] ? Buffer.from(rows[0].pdf) : null;
  }

  async knownMetrics(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const { rows } = await this.db.query<{ code: string }>(`SELECT code FROM metric WHERE code = ANY($1::text[])`, [codes]);
    return rows.map((r) => r.code);
  }

  async knownUnits(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const { rows } = await this.db.query<{ code: string }>(`SELECT code FROM unit WHERE code = ANY($1::text[])`, [codes]);
    return rows.map((r) => r.code);
  }
}

function routeParams(route: NotificationRouteInput): unknown[] {
  return [
    route.name,
    route.channelId,
    route.severities,
    route.metrics,
    JSON.stringify(route.scope),
    route.notifyResolved,
    route.repeatHours,
    route.weeklyReport,
    route.enabled,
  ];
}

/** Whether a route takes an alert: its severity, metric and the unit's place in the scope. */
export function routeMatches(
  route: Pick<NotificationRoute, 'severities' | 'metrics' | 'scope'>,
  alert: { severity: Severity; metric: string; unit: string },
  unitKind: string | null,
): boolean {
  if (route.severities.length > 0 && !route.severities.includes(alert.severity)) return false;
  if (route.metrics.length > 0 && !route.metrics.includes(alert.metric)) return false;
  return scopeMatches(route.scope, alert.unit, unitKind);
}

function scopeMatches(scope: NotificationScope, unit: string, unitKind: string | null): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'provinces':
      return unitKind === 'province';
    case 'ministries':
      return unitKind === 'ministry';
    case 'units':
      return scope.units.includes(unit);
  }
}

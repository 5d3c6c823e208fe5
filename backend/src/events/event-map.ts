import type { JobProblem, Role, Severity, StorageFaultReason, TimescaleSchedulerState } from '@dxoc/contracts';

/**
 * Everything that happens inside one backend instance and that another module may react to, with its payload.
 * A module announces through the EventBus and never calls into another module to tell it; a new kind of event is
 * one entry here, documented: who emits it, when, and what a subscriber may rely on.
 *
 * These events are local to the instance that made the change. Other instances learn of stored values and alert
 * transitions from the database (stream positions, alert_event rows), never from this bus.
 */
export interface EventMap {
  /**
   * Emitted by ingest right after a batch's transaction commits, when it inserted or changed at least one value
   * (a duplicate batch, or values re-sent unchanged, emit nothing). Subscribers: the live hub (delivers the new
   * stream positions at once instead of on its next tick) and the alert evaluator (evaluates the rules of the
   * touched metrics for the touched units). The HTTP answer never waits for them.
   */
  'observations.stored': ObservationsStored;
  /**
   * Emitted after alert transitions were committed (each one is an alert_event row with a stream position):
   * by the alert evaluator after an ingest, a rule change or a sweep, by the rules service when retiring a rule
   * resolves its alerts, and on an acknowledgement. Subscriber: the live hub (delivers them at once).
   */
  'alert.transitioned': AlertTransitioned;
  /**
   * Emitted by the TimescaleDB job watcher on every instance after each check of the jobs (every
   * DXOC_EMBEDDED_JOBS_INTERVAL_MS), with the jobs failing or overdue now (empty when all keep up). Subscriber: the
   * system alerts module (raises an alert to admins for a new problem, resolves the ones that are gone).
   */
  'timescaledb.jobs_checked': JobsChecked;
  /**
   * Emitted by ingest after each batch's write: ok when its transaction committed, not ok when the database refused
   * it for its storage (disk full, read-only, files it cannot write). Not emitted for a batch refused before its
   * write, nor for a database that cannot be reached (health sees that itself). Subscriber: StorageHealth (the
   * `storage` of /api/v1/health and the dxoc_storage_writable gauge). Reads may still work meanwhile, so only a write
   * tells whether the storage takes writes again.
   */
  'storage.write_settled': StorageWriteSettled;
  /**
   * Emitted by the auth service after a credential stopped holding: a logout, a viewer token revoked, a user
   * updated (role, unit, disabled or password: their sessions are revoked). Subscriber: the live stream's credential
   * watch, which checks its sockets at once instead of on its next check. Other instances learn of it from the
   * database on their next check (DXOC_LIVE_CREDENTIAL_CHECK_MS), never from this bus.
   */
  'credentials.revoked': CredentialsRevoked;
  /**
   * A directive was issued, answered, sent back, closed or withdrawn (DirectivesService, after the commit): the live
   * hub ticks at once (the change itself reaches sockets from directive_event, so other instances see it too).
   */
  'directive.changed': DirectiveChanged;
  /**
   * Declared for the notifications module: a module asks for people to be told something (an alert that fired, a
   * directive due); the notifications module decides the channel. Nothing emits it yet.
   */
  'notification.requested': NotificationRequested;
  /**
   * Emitted by the weekly report module after a report was generated and stored by its schedule (on the one
   * instance that holds the report lease, once per week). Subscriber: the notifications module, which mails it
   * through the channels routed for reports. A report generated on demand from the console emits nothing.
   */
  'report.published': ReportPublished;
}

export type EventName = keyof EventMap;

/**
 * Values a batch inserted, or revised to a different number, as columns: value i is `value[i]` of `metric[i]` for
 * `unit[i]` at `ts[i]` (epoch ms). Columns, not an object per value: a batch is up to 5,000 of them.
 */
export interface StoredPoints {
  metric: string[];
  unit: string[];
  ts: number[];
  value: number[];
}

export interface ObservationsStored {
  /** the batch and the id of the agent key that sent it */
  batchId: string;
  keyId: string;
  /** the values inserted or changed, never empty; their stream positions are in the observation table */
  points: StoredPoints;
}

export interface AlertTransitioned {
  /** what led to them */
  cause: 'ingest' | 'sweep' | 'rule_change' | 'acknowledgement';
  /** the rule whose alerts moved, or null after a sweep (which may move alerts of several rules) */
  ruleId: number | null;
  /** how many transitions were committed (at least one) */
  transitions: number;
}

export type StorageWriteSettled =
  | { ok: true }
  | {
      ok: false;
      reason: StorageFaultReason;
      /** the database's own words (for the log: they may name files of the data directory) */
      message: string;
    };

export interface CredentialsRevoked {
  cause: 'logout' | 'viewer_token_revoked' | 'user_update';
}

export interface JobsChecked {
  problems: JobProblem[];
  /** whether the server's scheduler runs for the database; null on the embedded database, which has none */
  scheduler: TimescaleSchedulerState | null;
}

export interface DirectiveChanged {
  directiveId: number;
  change: 'issued' | 'updated' | 'completed' | 'withdrawn';
  /** the units the directive is addressed to */
  units: string[];
  /** who made the change (a user name, or 'system') */
  actor: string;
}

export interface NotificationRequested {
  /** what the notification is about, so a repeat can be recognised */
  subject: { kind: 'alert' | 'directive' | 'system_alert'; id: number };
  /** who should be told: every user of these roles, optionally only those bound to these units */
  audience: { roles: Role[]; units?: string[] };
  /** the text in both languages of the product */
  title: { vi: string; en: string };
  body: { vi: string; en: string };
  severity: Severity;
}

export interface ReportPublished {
  /** the week as a number, YYYYMMDD of its Monday (weekly_report is keyed by week and language, it has no id) */
  reportId: number;
  /** the Monday the report's week starts on (Viet Nam time), YYYY-MM-DD */
  weekStart: string;
  lang: 'vi' | 'en';
  title: { vi: string; en: string };
  /** the PDF, ready to attach */
  attachment: { filename: string; contentType: 'application/pdf'; content: Buffer };
}

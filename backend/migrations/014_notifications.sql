-- Alert notifications (issue 13 part 2): channels (webhook, email), routes, and the delivery outbox.
-- Credentials never sit in config: `secret` holds the webhook secret or SMTP password sealed with AES-256-GCM under
-- DXOC_SECRET_KEY (notifications/crypto.ts), so a database dump alone does not give them away.
CREATE TABLE notification_channel (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('webhook', 'email')),
  enabled               boolean NOT NULL,
  config                jsonb NOT NULL,
  secret                bytea,
  last_success_at       timestamptz,
  last_error_at         timestamptz,
  last_error            text,
  consecutive_failures  integer NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  -- a deleted channel is kept (hidden) so its delivery log still names it
  deleted_at            timestamptz
);

CREATE TABLE notification_route (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             text NOT NULL,
  channel_id       bigint NOT NULL REFERENCES notification_channel (id),
  severities       text[] NOT NULL,
  metrics          text[] NOT NULL,
  scope            jsonb NOT NULL,
  notify_resolved  boolean NOT NULL,
  repeat_hours     integer CHECK (repeat_hours BETWEEN 1 AND 168),
  weekly_report    boolean NOT NULL,
  enabled          boolean NOT NULL,
  created_at       timestamptz NOT NULL,
  created_by       text NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX notification_route_channel_idx ON notification_route (channel_id);

-- The outbox: a row per (route, alert transition) written in the transaction that advances the cursor below, then
-- sent by the one instance holding the 'notifications' lease, with retries (next_attempt_at) until sent or failed.
CREATE TABLE notification_delivery (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id       bigint NOT NULL REFERENCES notification_channel (id),
  route_id         bigint REFERENCES notification_route (id) ON DELETE SET NULL,
  alert_id         bigint REFERENCES alert (id),
  -- the alert_event that caused it (firing, resolved); null for repeats, reports and tests
  event_seq        bigint,
  kind             text NOT NULL CHECK (kind IN ('firing', 'resolved', 'repeat', 'weekly_report', 'test')),
  state            text NOT NULL CHECK (state IN ('pending', 'retrying', 'sent', 'failed', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_error       text,
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL,
  sent_at          timestamptz
);
-- one delivery per route and transition, whatever happens to the cursor
CREATE UNIQUE INDEX notification_delivery_event_idx ON notification_delivery (route_id, event_seq) WHERE event_seq IS NOT NULL;
CREATE INDEX notification_delivery_due_idx ON notification_delivery (next_attempt_at) WHERE state IN ('pending', 'retrying');
CREATE INDEX notification_delivery_channel_idx ON notification_delivery (channel_id, id);
CREATE INDEX notification_delivery_alert_idx ON notification_delivery (alert_id, route_id) WHERE alert_id IS NOT NULL;

-- How far the dispatcher has read a stream (alert_event.seq). It starts at the events already there: upgrading
-- does not send the history.
CREATE TABLE notification_cursor (
  name      text PRIMARY KEY,
  position  bigint NOT NULL
);
INSERT INTO notification_cursor (name, position) VALUES ('alert_event', COALESCE((SELECT max(seq) FROM alert_event), 0));

-- Users, sessions, viewer tokens and the audit log; alert rules and alerts; leases.

CREATE TABLE app_user (
  id             text PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('viewer', 'operator', 'staff', 'admin')),
  unit_code      text REFERENCES unit (code),
  created_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz,
  CHECK ((role = 'operator') = (unit_code IS NOT NULL))
);

-- Sessions are stored by the hash of their token: a leaked table does not leak usable tokens.
CREATE TABLE user_session (
  token_hash    text PRIMARY KEY,
  user_id       text NOT NULL REFERENCES app_user (id),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Long-lived, revocable tokens for unattended wall screens (role viewer).
CREATE TABLE viewer_token (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

CREATE TABLE audit_log (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text,
  before  jsonb,
  after   jsonb,
  ip      text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE alert_rule (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name              text NOT NULL,
  metric_code       text NOT NULL REFERENCES metric (code),
  scope             jsonb NOT NULL,
  condition         jsonb NOT NULL,
  for_seconds       integer NOT NULL CHECK (for_seconds >= 0),
  keep_firing_seconds integer NOT NULL CHECK (keep_firing_seconds >= 0),
  severity          text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message_vi        text NOT NULL,
  message_en        text NOT NULL,
  enabled           boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL,
  created_by        text NOT NULL,
  updated_at        timestamptz NOT NULL
);

-- One row per alert episode of a rule for a unit; at most one open episode per (rule, unit).
CREATE TABLE alert (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_id           bigint NOT NULL REFERENCES alert_rule (id),
  unit_code         text NOT NULL REFERENCES unit (code),
  state             text NOT NULL CHECK (state IN ('pending', 'firing', 'acknowledged', 'resolved')),
  value             double precision,
  message_vi        text NOT NULL,
  message_en        text NOT NULL,
  pending_since     timestamptz NOT NULL,
  firing_since      timestamptz,
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  ack_comment       text,
  -- when the condition stopped holding while firing (keep-firing-for hysteresis); null while it holds
  clear_since       timestamptz,
  resolved_at       timestamptz,
  updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX alert_one_open_per_rule_unit ON alert (rule_id, unit_code) WHERE state <> 'resolved';
CREATE INDEX alert_updated_at_idx ON alert (updated_at);

-- Every transition, in order: the history, and the replay log of alert events for reconnecting screens.
CREATE TABLE alert_event (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id    bigint NOT NULL REFERENCES alert (id),
  transition  text NOT NULL CHECK (transition IN ('pending', 'firing', 'acknowledged', 'resolved')),
  at          timestamptz NOT NULL,
  actor       text
);
CREATE INDEX alert_event_alert_idx ON alert_event (alert_id);

-- Leader leases: periodic work (the alert sweep) runs on exactly one instance; an instance that dies stops
-- renewing and another takes over when the lease expires.
CREATE TABLE lease (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);

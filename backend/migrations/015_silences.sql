-- Silences (issue 13 part 2): staff mute a rule, a unit, or that rule for that unit for a period with a reason
-- (maintenance windows). Silenced alerts still appear, marked, and no notification is sent for them.
-- A silence covers an instant t when starts_at <= t < its end, its end being ended_at when ended early, else ends_at.
CREATE TABLE silence (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_id     bigint REFERENCES alert_rule (id),
  unit_code   text REFERENCES unit (code),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  reason      text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  ended_by    text,
  CHECK (rule_id IS NOT NULL OR unit_code IS NOT NULL),
  CHECK (ends_at > starts_at)
);
-- Lookups ask "which silences are still running": those not ended early, by how long they last.
CREATE INDEX silence_ends_idx ON silence (ends_at) WHERE ended_at IS NULL;

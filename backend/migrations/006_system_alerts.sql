-- Problems of dxoc itself that admins must hear about (a TimescaleDB job failing or overdue, ...), apart from the
-- threshold alerts on indicators: they have no rule and no unit. One open alert per (kind, subject); several
-- instances raising the same problem at once find the open row and only refresh it.
CREATE TABLE system_alert (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL,
  subject       text NOT NULL,
  problem       text NOT NULL,
  message_vi    text NOT NULL,
  message_en    text NOT NULL,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb,
  raised_at     timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  resolved_at   timestamptz
);
CREATE UNIQUE INDEX system_alert_one_open ON system_alert (kind, subject) WHERE resolved_at IS NULL;
CREATE INDEX system_alert_raised_at_idx ON system_alert (raised_at);

-- dxoc's own runs of TimescaleDB jobs (the embedded database's runner; on a server, the runs that stand in for a
-- failing scheduler), shared by every instance: each judges a job's health from the same record, whichever
-- instance ran it, instead of one instance calling a job failing that another keeps up.
CREATE TABLE timescaledb_job_run (
  job_id           integer PRIMARY KEY,
  last_success_at  timestamptz,
  last_failure_at  timestamptz,
  last_error       text,
  instance_id      text NOT NULL,
  updated_at       timestamptz NOT NULL
);

-- Agent keys, ingest batches and the observation hypertable with its revision history.

CREATE TABLE agent_key (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  -- NULL means every unit (national systems such as the public-service portal report for all provinces)
  unit_codes    text[],
  secret_hash   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Values seeded from government notices are attributed to this key: it has no secret and can never authenticate.
INSERT INTO agent_key (id, name, unit_codes, secret_hash) VALUES ('seed', 'Reference figures from government notices', NULL, NULL);

-- One row per accepted batch: the idempotency record (same key + batchId) and the provenance of its points.
CREATE TABLE ingest_batch (
  key_id        text NOT NULL REFERENCES agent_key (id),
  batch_id      text NOT NULL,
  content_hash  text NOT NULL,
  point_count   integer NOT NULL,
  received_at   timestamptz NOT NULL,
  source        text,
  PRIMARY KEY (key_id, batch_id)
);
CREATE INDEX ingest_batch_received_at_idx ON ingest_batch (received_at);

-- Every stored or revised value gets the next stream position: a socket client that reconnects with the
-- last position it saw is replayed exactly what it missed. Ingest takes an advisory lock around its write
-- so positions are handed out in commit order.
CREATE SEQUENCE observation_stream_seq;

-- The current value of every (metric, unit, ts). ts is the time the value is FOR, not when it arrived.
CREATE TABLE observation (
  metric       text NOT NULL,
  unit         text NOT NULL,
  ts           timestamptz NOT NULL,
  value        double precision NOT NULL,
  revision     integer NOT NULL DEFAULT 1,
  batch_id     text NOT NULL,
  key_id       text NOT NULL,
  received_at  timestamptz NOT NULL,
  stream_seq   bigint NOT NULL DEFAULT nextval('observation_stream_seq')
);
-- No default index on ts alone: every query names the series (metric, unit) or a stream position, and each
-- extra index costs ingest ~10% on the embedded database.
SELECT create_hypertable('observation', by_range('ts', INTERVAL '7 days'), create_default_indexes => false);
CREATE UNIQUE INDEX observation_series_ts_idx ON observation (metric, unit, ts DESC);
CREATE INDEX observation_stream_seq_idx ON observation (stream_seq);

-- Values replaced by a later revision: nothing is silently overwritten.
CREATE TABLE observation_revision (
  metric         text NOT NULL,
  unit           text NOT NULL,
  ts             timestamptz NOT NULL,
  value          double precision NOT NULL,
  revision       integer NOT NULL,
  batch_id       text NOT NULL,
  key_id         text NOT NULL,
  received_at    timestamptz NOT NULL,
  superseded_at  timestamptz NOT NULL,
  PRIMARY KEY (metric, unit, ts, revision)
);

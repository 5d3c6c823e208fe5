-- What an operator needs to fix its agent without calling the committee (issue 13 part 4).

-- Accepted batches: the units a batch wrote (one array per batch, no per-point rows) and how many of its points
-- revised a stored value (written only when some did).
ALTER TABLE ingest_batch ADD COLUMN units text[];
ALTER TABLE ingest_batch ADD COLUMN revised_count integer NOT NULL DEFAULT 0;
CREATE INDEX ingest_batch_units_idx ON ingest_batch USING gin (units);

-- Refused batches, aggregated: one row per (key, status, error code), counting repeats and keeping the last
-- batchId and a short message. Bounded by keys x error codes whatever an agent sends; rows unseen for 30 days
-- are dropped when a refusal is recorded.
CREATE TABLE ingest_refusal (
  key_id        text NOT NULL REFERENCES agent_key (id) ON DELETE CASCADE,
  status        integer NOT NULL,
  error         text NOT NULL,
  message       text NOT NULL,
  batch_id      text,
  count         bigint NOT NULL DEFAULT 1,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  PRIMARY KEY (key_id, status, error)
);
CREATE INDEX ingest_refusal_last_at_idx ON ingest_refusal (last_at);

-- The latest value of every series, kept by ingest (issue 14 goal 5). The wall's `latest` and `compliance` reads
-- asked observation for DISTINCT ON (unit) … ORDER BY unit, ts DESC: a walk down the series index of every unit,
-- through every chunk of its history, on each request (p95 up to 495 ms on the embedded database with a year of
-- data). This table answers them with one row per unit.
--
-- Kept in the transaction that stores a batch, by one set-based upsert of the batch's newest changed point per
-- series (ObservationsRepository.store): a newer point replaces the row, an older one (a backfill, a batch that
-- arrived out of order) leaves it, and a revision of the latest point itself replaces its value and received_at.
-- Ingest writes under the stream-order lock, so two batches never race on a row.
--
-- The invariant readers rely on: for every series with a stored value, the row holds the (ts, value, received_at)
-- of its newest stored point. Rows are never deleted: when retention drops the chunks holding a series' last value
-- (a series silent for longer than DXOC_RETAIN_RAW_FOR), the row keeps that value, so the wall still shows when the
-- unit last reported rather than "never".
CREATE TABLE latest_value (
  metric       text NOT NULL,
  unit         text NOT NULL,
  ts           timestamptz NOT NULL,
  value        double precision NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (metric, unit)
);

-- the values stored so far: one walk of the series index (a skip scan on TimescaleDB)
INSERT INTO latest_value (metric, unit, ts, value, received_at)
SELECT DISTINCT ON (metric, unit) metric, unit, ts, value, received_at
FROM observation
ORDER BY metric, unit, ts DESC;

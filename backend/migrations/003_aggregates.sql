-- Hourly and daily continuous aggregates (days are Vietnamese calendar days).
-- Real-time (materialized_only = false) so the wall sees rows newer than the last refresh.

CREATE MATERIALIZED VIEW observation_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT metric, unit,
       time_bucket(INTERVAL '1 hour', ts) AS bucket,
       count(*)::bigint AS n,
       sum(value) AS sum_value,
       min(value) AS min_value,
       max(value) AS max_value,
       last(value, ts) AS last_value,
       max(ts) AS last_ts
FROM observation
GROUP BY metric, unit, time_bucket(INTERVAL '1 hour', ts)
WITH NO DATA;

-- Days are built from the hours (a hierarchical aggregate): refreshing a day reads its 24 hourly rows per series
-- instead of every raw value again. Vietnamese days start on whole UTC hours (UTC+7), so hours nest in them.
CREATE MATERIALIZED VIEW observation_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT metric, unit,
       time_bucket(INTERVAL '1 day', bucket, 'Asia/Ho_Chi_Minh') AS bucket,
       sum(n)::bigint AS n,
       sum(sum_value) AS sum_value,
       min(min_value) AS min_value,
       max(max_value) AS max_value,
       last(last_value, last_ts) AS last_value,
       max(last_ts) AS last_ts
FROM observation_hourly
GROUP BY metric, unit, time_bucket(INTERVAL '1 day', bucket, 'Asia/Ho_Chi_Minh')
WITH NO DATA;

-- start_offset NULL: revisions of old values (backfills) are picked up too. Real-time aggregates cover only what
-- is newer than the last refresh, so a revised value in an already refreshed bucket shows once the next refresh
-- runs: often, to keep that short (each run only recomputes the buckets that changed since the last one).
SELECT add_continuous_aggregate_policy('observation_hourly',
  start_offset => NULL, end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('observation_daily',
  start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
-- Refresh in one batch per run. TimescaleDB's batched (incremental) policy refresh leaves the bucket of an
-- invalidation that ends exactly on a bucket start for a later run (timescale/timescaledb#10221), and our values
-- usually sit on bucket starts (00:00 local): a backfilled day would be missing from the aggregate until then.
-- Versions without batching ignore the key.
SELECT alter_job(job_id, config => config || '{"buckets_per_batch": 0}')
FROM timescaledb_information.jobs
WHERE proc_name = 'policy_refresh_continuous_aggregate' AND hypertable_name IN ('observation_hourly', 'observation_daily');

-- Compression: per-series segments, newest first. The policy interval is set from configuration at startup.
ALTER TABLE observation SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'metric, unit',
  timescaledb.compress_orderby = 'ts DESC'
);

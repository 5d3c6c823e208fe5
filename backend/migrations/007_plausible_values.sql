-- Aggregates that one value cannot break (issue 12). Two stored values of 1.7e308 in one day made sum(value)
-- overflow double precision: reads of that series' day buckets failed ("value out of range: overflow") and so did
-- every run of the refresh policy, which refreshes all series at once: day buckets of EVERY series stopped.
--
-- Both continuous aggregates now leave out values beyond ±1e15 (PLAUSIBLE_MAGNITUDE in contracts/src/catalog.ts).
-- Ingest has refused such values since this release (every metric has a finite range within ±1e15), so nothing
-- accepted is left out. Why that rules out an overflow: the unique index on (metric, unit, ts) allows at most one
-- value per microsecond per series, 8.64e10 a day, so a bucket's sum stays within 8.64e25, and sums of buckets over
-- any span of history far below the ~1.8e308 where double precision ends. Not-a-number and ±Infinity are outside
-- the range as well (Postgres orders NaN above every number).
--
-- Values stored before this release beyond ±1e15 are not deleted or changed: they stay in observation and in its
-- revision history, raw reads show them, and the aggregates (and aggregates read from raw values, see
-- SeriesRepository) leave them out. Find them with
--   SELECT * FROM observation WHERE NOT (value BETWEEN -1e15 AND 1e15);
-- and correct them by sending the right value (a revision). Values within ±1e15 but outside a metric's new range
-- stay counted as before; the ranges apply to what is sent from now on.
--
-- Both views keep their names and columns (readers do not change), start empty and are filled by the next refresh
-- of their policies (start_offset NULL: all history); until then the real-time part answers from the raw values.
DROP MATERIALIZED VIEW observation_daily;
DROP MATERIALIZED VIEW observation_hourly;

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
WHERE value BETWEEN -1e15 AND 1e15
GROUP BY metric, unit, time_bucket(INTERVAL '1 hour', ts)
WITH NO DATA;

-- days as fixed 24-hour buckets from 00:00 in Viet Nam, from the raw values (see 005_daily_fixed_width.sql)
CREATE MATERIALIZED VIEW observation_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT metric, unit,
       time_bucket(INTERVAL '1 day', ts, "offset" => INTERVAL '-7 hours') AS bucket,
       count(*)::bigint AS n,
       sum(value) AS sum_value,
       min(value) AS min_value,
       max(value) AS max_value,
       last(value, ts) AS last_value,
       max(ts) AS last_ts
FROM observation
WHERE value BETWEEN -1e15 AND 1e15
GROUP BY metric, unit, time_bucket(INTERVAL '1 day', ts, "offset" => INTERVAL '-7 hours')
WITH NO DATA;

-- the policies went with the views: the same as before (003_aggregates.sql, 005_daily_fixed_width.sql)
SELECT add_continuous_aggregate_policy('observation_hourly',
  start_offset => NULL, end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('observation_daily',
  start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
SELECT alter_job(job_id, config => config || '{"buckets_per_batch": 0}')
FROM timescaledb_information.jobs
WHERE proc_name = 'policy_refresh_continuous_aggregate' AND hypertable_name IN ('observation_hourly', 'observation_daily');

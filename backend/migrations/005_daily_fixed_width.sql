-- Days as fixed 24-hour buckets starting 00:00 in Viet Nam (UTC+7 all year, no daylight saving since 1975), built
-- from the raw values as the hours are. On TimescaleDB 2.28 the previous definition (time-zone buckets over the
-- hourly aggregate) lost days: a refresh over several days left out the last one, and a later refresh removed an
-- already materialised day, so a server showed daily series without their newest day. Time-zone buckets are
-- variable-width to TimescaleDB and take another path to bucket refresh windows; fixed-width buckets with an
-- offset refresh the same days on 2.23 and 2.28 (and, from the raw values, whatever the hourly refresh did first).
-- The view keeps its name and columns, so readers do not change; it starts empty and the next refresh of its
-- policy fills it (start_offset NULL: all history). Until then the real-time part answers from the raw values.
DROP MATERIALIZED VIEW observation_daily;

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
GROUP BY metric, unit, time_bucket(INTERVAL '1 day', ts, "offset" => INTERVAL '-7 hours')
WITH NO DATA;

SELECT add_continuous_aggregate_policy('observation_daily',
  start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
-- one batch per run, as for the hours (see 003_aggregates.sql)
SELECT alter_job(job_id, config => config || '{"buckets_per_batch": 0}')
FROM timescaledb_information.jobs
WHERE proc_name = 'policy_refresh_continuous_aggregate' AND hypertable_name = 'observation_daily';

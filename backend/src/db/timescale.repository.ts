import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from './database';

export interface TimescaleJob {
  jobId: number;
  procName: string;
  hypertable: string | null;
  scheduleIntervalMs: number;
  config: Record<string, unknown> | null;
}

/** What a TimescaleDB server's scheduler says of a job (nothing on the embedded database: it has none). */
export interface ServerJobStats {
  jobId: number;
  lastSuccessAt: Date | null;
  /** when the last run started, if it failed */
  lastFailureAt: Date | null;
  lastError: string | null;
  nextStart: Date | null;
}

/** dxoc's own runs of a job (timescaledb_job_run), whichever instance made them. */
export interface OwnJobRuns {
  jobId: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
}

/** A policy set by dxoc first runs this long after it was set (see setCompressionPolicy). */
const FIRST_RUN_DELAY = '1 hour';

/** TimescaleDB policies and jobs on the observation hypertable. */
@Injectable()
export class TimescaleRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async listJobs(): Promise<TimescaleJob[]> {
    const { rows } = await this.db.priority.query<TimescaleJob>(
      `SELECT job_id AS "jobId", proc_name AS "procName", hypertable_name AS hypertable,
              (extract(epoch FROM schedule_interval) * 1000)::float8 AS "scheduleIntervalMs", config
       FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY job_id`,
    );
    return rows;
  }

  /** The scheduler's statistics of dxoc's jobs, with the newest error message of each. */
  async jobStats(): Promise<ServerJobStats[]> {
    const { rows } = await this.db.priority.query<ServerJobStats>(
      `SELECT s.job_id AS "jobId", NULLIF(s.last_successful_finish, '-infinity') AS "lastSuccessAt",
              CASE WHEN s.last_run_status = 'Failed' THEN s.last_run_started_at END AS "lastFailureAt",
              (SELECT e.err_message FROM timescaledb_information.job_errors e
               WHERE e.job_id = s.job_id ORDER BY e.start_time DESC LIMIT 1) AS "lastError",
              -- '-infinity' and 'infinity' (a start marked and not yet made) would reach node as numbers, not dates
              CASE WHEN isfinite(s.next_start) THEN s.next_start END AS "nextStart"
       FROM timescaledb_information.job_stats s WHERE s.job_id >= 1000`,
    );
    return rows;
  }

  /**
   * Whether TimescaleDB's scheduler runs for this database (named): on a server; null on the embedded
   * database (PGlite, built by Emscripten), which has no background workers at all. A server starts one scheduler per
   * database from the background workers it has (timescaledb.max_background_workers, max_worker_processes): when other
   * databases took them all, or the workers were stopped, this database has none, and its jobs never start nor
   * fail. Found by its application_name, which pg_stat_activity shows to roles that are not superusers too.
   */
  async schedulerRunning(): Promise<{ running: boolean; database: string } | null> {
    const { rows } = await this.db.priority.query<{ running: boolean | null; database: string }>(
      `SELECT CASE WHEN version() ~ 'Emscripten' THEN NULL ELSE EXISTS (
         SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'TimescaleDB Background Worker Scheduler'
       ) END AS running, current_database() AS database`,
    );
    const row = rows[0];
    return row && row.running !== null ? { running: row.running, database: row.database } : null;
  }

  /**
   * dxoc's jobs that are due by the server's own schedule: scheduled (not paused) and their next start (or, never run,
   * their initial start) has come.
   */
  async dueJobIds(): Promise<number[]> {
    const { rows } = await this.db.priority.query<{ jobId: number }>(
      `SELECT job_id AS "jobId" FROM timescaledb_information.jobs
       WHERE job_id >= 1000 AND scheduled AND COALESCE(next_start, initial_start, '-infinity') <= now()
       ORDER BY job_id`,
    );
    return rows.map((r) => r.jobId);
  }

  async ownJobRuns(): Promise<OwnJobRuns[]> {
    const { rows } = await this.db.priority.query<OwnJobRuns>(
      `SELECT job_id AS "jobId", last_success_at AS "lastSuccessAt", last_failure_at AS "lastFailureAt", last_error AS "lastError"
       FROM timescaledb_job_run`,
    );
    return rows;
  }

  /** Records one run by dxoc: a success (error null) or a failure with its message. */
  async recordJobRun(jobId: number, at: Date, error: string | null, instanceId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO timescaledb_job_run AS r (job_id, last_success_at, last_failure_at, last_error, instance_id, updated_at)
       VALUES ($1, CASE WHEN $3::text IS NULL THEN $2::timestamptz END, CASE WHEN $3::text IS NOT NULL THEN $2::timestamptz END, $3, $4, $2)
       ON CONFLICT (job_id) DO UPDATE SET
         last_success_at = COALESCE(EXCLUDED.last_success_at, r.last_success_at),
         last_failure_at = COALESCE(EXCLUDED.last_failure_at, r.last_failure_at),
         last_error = COALESCE(EXCLUDED.last_error, r.last_error),
         instance_id = EXCLUDED.instance_id,
         updated_at = EXCLUDED.updated_at`,
      [jobId, at, error, instanceId],
    );
  }

  /** Materialises [from, to) of a continuous aggregate now (whole buckets; outside a transaction). */
  async refreshAggregate(view: 'observation_hourly' | 'observation_daily', from: Date, to: Date): Promise<void> {
    await this.db.query(`CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)`, [
      view,
      from.toISOString(),
      to.toISOString(),
    ]);
  }

  /**
   * Where a continuous aggregate's materialised part ends (ms; -Infinity when nothing is materialised): buckets
   * from here on are computed from the raw values at query time (real-time aggregation).
   */
  async aggregateWatermark(view: 'observation_hourly' | 'observation_daily'): Promise<number> {
    const { rows } = await this.db.query<{ ms: string | number | null }>(
      `SELECT extract(epoch FROM _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(mat_hypertable_id))) * 1000 AS ms
       FROM _timescaledb_catalog.continuous_agg WHERE user_view_name = $1`,
      [view],
    );
    const ms = Number(rows[0]?.ms ?? Number.NEGATIVE_INFINITY);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  }

  /** Asks the server's scheduler to start the job at once. */
  async scheduleNow(jobId: number): Promise<void> {
    await this.db.query(`SELECT alter_job(id, next_start => now()) FROM _timescaledb_config.bgw_job WHERE id = $1`, [jobId]);
  }

  /**
   * Runs a job now, in this session. A TimescaleDB server's own scheduler may be about to run the same job, and two
   * runs at once fail each other (compression: "columnstore policy failure", chunks already compressed by the other).
   * So the scheduler is first held off this job (its next start moves one schedule interval ahead, as after a run)
   * and a run it already started is waited out; the embedded database has no scheduler and the same steps do nothing.
   */
  async runJob(jobId: number, waitForRunningMs = 60_000): Promise<void> {
    await this.db.query(`SELECT alter_job(id, next_start => now() + schedule_interval) FROM _timescaledb_config.bgw_job WHERE id = $1`, [
      jobId,
    ]);
    const deadline = Date.now() + waitForRunningMs;
    while (await this.isRunning(jobId)) {
      if (Date.now() > deadline) throw new Error(`job ${jobId} is still being run by the server's scheduler after ${waitForRunningMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.db.query(`CALL run_job($1)`, [jobId]);
  }

  /**
   * TimescaleDB 2.28 registers the window of every continuous-aggregate refresh with the session's pid and refuses
   * ("… due to a concurrent refresh") any overlapping refresh while that session lives. A policy run that fails (seen:
   * "invalid transaction termination" on 2.28.3) leaves its registration behind, and a pooled connection lives on:
   * every later run of the job, from another connection, is then refused forever. A registration whose session is
   * idle (no statement running, no transaction open) is such a leftover; removing it is what the server does itself
   * once that session ends. Answers how many were removed (0 where the table does not exist, before 2.2x).
   */
  async releaseStaleRefreshRanges(): Promise<number> {
    const { rows } = await this.db.query<{ exists: boolean }>(
      `SELECT to_regclass('_timescaledb_catalog.continuous_aggs_jobs_refresh_ranges') IS NOT NULL AS exists`,
    );
    if (!rows[0]?.exists) return 0;
    const { rowCount } = await this.db.query(
      `DELETE FROM _timescaledb_catalog.continuous_aggs_jobs_refresh_ranges r
       WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.pid AND a.state IS DISTINCT FROM 'idle')`,
    );
    return rowCount;
  }

  private async isRunning(jobId: number): Promise<boolean> {
    const { rows } = await this.db.query<{ status: string | null }>(
      `SELECT job_status AS status FROM timescaledb_information.job_stats WHERE job_id = $1`,
      [jobId],
    );
    return rows[0]?.status === 'Running';
  }

  /**
   * Sets (or removes, with null) the compression policy of the observation hypertable. Its first run is
   * FIRST_RUN_DELAY from now: a server's scheduler starts a new job at once otherwise, while the instance that set it
   * is still starting (or a test is about to run it by hand), and two compression runs at once fail each other.
   */
  async setCompressionPolicy(compressAfter: string | null): Promise<void> {
    await this.db.query(`SELECT remove_compression_policy('observation', if_exists => true)`);
    if (compressAfter) {
      await this.db.query(
        `SELECT add_compression_policy('observation', compress_after => $1::interval, initial_start => now() + $2::interval)`,
        [compressAfter, FIRST_RUN_DELAY],
      );
    }
  }

  /**
   * Sets (or removes, with null) the retention policy: raw values older than dropAfter are dropped by chunk; first
   * run FIRST_RUN_DELAY from now, as for compression.
   */
  async setRetentionPolicy(dropAfter: string | null): Promise<void> {
    await this.db.query(`SELECT remove_retention_policy('observation', if_exists => true)`);
    if (dropAfter) {
      await this.db.query(`SELECT add_retention_policy('observation', drop_after => $1::interval, initial_start => now() + $2::interval)`, [
        dropAfter,
        FIRST_RUN_DELAY,
      ]);
    }
  }

  async policyInterval(procName: 'policy_compression' | 'policy_retention'): Promise<string | null> {
    const { rows } = await this.db.query<{ value: string | null }>(
      `SELECT COALESCE(config->>'compress_after', config->>'drop_after') AS value
       FROM timescaledb_information.jobs WHERE proc_name = $1 AND hypertable_name = 'observation'`,
      [procName],
    );
    return rows[0]?.value ?? null;
  }

  async timescaleVersion(): Promise<string | null> {
    const { rows } = await this.db.query<{ version: string }>(
      `SELECT extversion AS version FROM pg_extension WHERE extname = 'timescaledb'`,
    );
    return rows[0]?.version ?? null;
  }
}

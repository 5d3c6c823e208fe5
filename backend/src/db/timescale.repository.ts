import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from './database';

export interface TimescaleJob {
  jobId: number;
  procName: string;
  hypertable: string | null;
  scheduleIntervalMs: number;
  config: Record<string, unknown> | null;
}

/** TimescaleDB policies and jobs on the observation hypertable. */
@Injectable()
export class TimescaleRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async listJobs(): Promise<TimescaleJob[]> {
    const { rows } = await this.db.query<TimescaleJob>(
      `SELECT job_id AS "jobId", proc_name AS "procName", hypertable_name AS hypertable,
              (extract(epoch FROM schedule_interval) * 1000)::float8 AS "scheduleIntervalMs", config
       FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY job_id`,
    );
    return rows;
  }

  async runJob(jobId: number): Promise<void> {
    await this.db.query(`CALL run_job($1)`, [jobId]);
  }

  /** Sets (or removes, with null) the compression policy of the observation hypertable. */
  async setCompressionPolicy(compressAfter: string | null): Promise<void> {
    await this.db.query(`SELECT remove_compression_policy('observation', if_exists => true)`);
    if (compressAfter) await this.db.query(`SELECT add_compression_policy('observation', compress_after => $1::interval)`, [compressAfter]);
  }

  /** Sets (or removes, with null) the retention policy: raw values older than dropAfter are dropped by chunk. */
  async setRetentionPolicy(dropAfter: string | null): Promise<void> {
    await this.db.query(`SELECT remove_retention_policy('observation', if_exists => true)`);
    if (dropAfter) await this.db.query(`SELECT add_retention_policy('observation', drop_after => $1::interval)`, [dropAfter]);
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

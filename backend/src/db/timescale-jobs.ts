import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE, type Database } from './database';
import { TimescaleRepository } from './timescale.repository';
import { LOGGER, type JsonLogger } from '../observability/logger';

/**
 * Keeps TimescaleDB policies as configured, and — because the embedded database has no background
 * scheduler — runs due jobs (aggregate refresh, compression, retention) itself on a timer.
 */
@Injectable()
export class TimescaleJobs implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly lastRun = new Map<number, number>();
  private running: Promise<void> | null = null;

  constructor(
    @Inject(TimescaleRepository) private readonly timescale: TimescaleRepository,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  /** Compression and retention intervals come from configuration; change them only when they differ. */
  async applyPolicies(): Promise<void> {
    if ((await this.timescale.policyInterval('policy_compression')) !== normalise(this.config.compressAfter)) {
      await this.timescale.setCompressionPolicy(this.config.compressAfter);
    }
    if ((await this.timescale.policyInterval('policy_retention')) !== normalise(this.config.retainRawFor)) {
      await this.timescale.setRetentionPolicy(this.config.retainRawFor);
    }
  }

  /** Only the embedded database needs us to run jobs; a TimescaleDB server has its own scheduler. */
  start(): void {
    if (this.db.driver !== 'pglite' || this.timer) return;
    this.timer = setInterval(() => void this.runDueJobs(), this.config.embeddedJobsIntervalMs);
    this.timer.unref();
  }

  runDueJobs(): Promise<void> {
    this.running ??= this.runDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now().getTime();
    // A job is due if it would be by the next tick: with a 1-minute schedule and a 1-minute tick, timer jitter
    // (59.99 s since the last run) must not push it to every other tick.
    const slack = this.config.embeddedJobsIntervalMs / 2;
    for (const job of await this.timescale.listJobs().catch(() => [])) {
      const last = this.lastRun.get(job.jobId);
      if (last !== undefined && now - last + slack < job.scheduleIntervalMs) continue;
      this.lastRun.set(job.jobId, now);
      try {
        await this.timescale.runJob(job.jobId);
      } catch (error) {
        this.logger.warn('timescaledb.job_failed', {
          jobId: job.jobId,
          proc: job.procName,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** Postgres prints intervals its own way ("90 days"; "1 year" → "1 year"); compare on that form. */
function normalise(interval: string | null): string | null {
  if (!interval) return null;
  return interval.trim().toLowerCase().replace(/\s+/g, ' ');
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE, type Database } from './database';
import { TimescaleRepository } from './timescale.repository';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { METRICS, type Metrics } from '../observability/metrics';
import type { JobProblem, TimescaleSchedulerState } from '@dxoc/contracts';
import { jobProblems, later, type JobObservation } from './job-health';
import { LeaseRepository } from './lease.repository';
import { withoutStatementDeadline } from './statement-deadline';
import type { TimescaleJob } from './timescale.repository';
import { EventBus } from '../events/event-bus';

/** One instance at a time runs the jobs a server's scheduler fails. */
export const JOBS_LEASE = 'timescaledb-jobs';
/**
 * How often a job dxoc runs in the failing scheduler's stead is handed back to the scheduler, to see whether it works
 * again (a restart, a fixed build): each of dxoc's runs moves the job's next scheduled start ahead, so without this
 * the scheduler would never try it again.
 */
export const SCHEDULER_RETRY_MS = 60 * 60_000;

/**
 * Keeps TimescaleDB policies as configured; because the embedded database has no background scheduler, runs due
 * jobs (aggregate refresh, compression, retention) itself on a timer; and on every database watches whether the jobs
 * keep up (problems(): /api/v1/health, the dxoc_timescaledb_job_problem gauge, a warning in the log when a job
 * starts failing or falls behind). A server's scheduler can fail every run while the database answers; nothing else
 * would notice.
 */
@Injectable()
export class TimescaleJobs implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly lastRun = new Map<number, number>();
  private readonly startedAt: Date;
  private reported = new Set<string>();
  private running: Promise<{ skipped: number }> | null = null;
  private holdsLease = false;
  /** when each job was last handed back to the server's scheduler (see SCHEDULER_RETRY_MS) */
  private readonly handedBack = new Map<number, number>();
  /** the scheduler was absent at the last look (scheduler()) */
  private schedulerMissing = false;

  constructor(
    @Inject(TimescaleRepository) private readonly timescale: TimescaleRepository,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LeaseRepository) private readonly leases: Pick<LeaseRepository, 'acquireLease' | 'releaseLease'>,
    @Inject(EventBus) private readonly events: Pick<EventBus, 'emit'>,
  ) {
    this.startedAt = clock.now();
  }

  /** Compression and retention intervals come from configuration; change them only when they differ. */
  async applyPolicies(): Promise<void> {
    if ((await this.timescale.policyInterval('policy_compression')) !== normalise(this.config.compressAfter)) {
      await this.timescale.setCompressionPolicy(this.config.compressAfter);
    }
    if ((await this.timescale.policyInterval('policy_retention')) !== normalise(this.config.retainRawFor)) {
      await this.timescale.setRetentionPolicy(this.config.retainRawFor);
    }
  }

  /**
   * On a timer: the embedded database's due jobs are run here (it has no scheduler); on a server, the jobs its own
   * scheduler fails (see runJobsTheSchedulerFails); then every database has its jobs checked.
   */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // a tick that finds the last one still running lets it be: ticks must not queue up behind a slow job
      if (this.running) return;
      void (async () => {
        // undefined: the server could not be asked; then nothing is reported (an alert would be resolved on no news)
        let scheduler: TimescaleSchedulerState | null | undefined = null;
        if (this.db.driver === 'pglite') await this.runDueJobs();
        else {
          scheduler = await this.scheduler().catch(() => undefined);
          if (scheduler === 'absent') await this.runJobsWithoutScheduler().catch(() => undefined);
          else await this.runJobsTheSchedulerFails().catch(() => undefined);
        }
        const problems = await this.problems().catch(() => null);
        if (problems && scheduler !== undefined) this.events.emit('timescaledb.jobs_checked', { problems, scheduler });
      })();
    }, this.config.embeddedJobsIntervalMs);
    this.timer.unref();
  }

  /**
   * A server's scheduler can fail every run of a job while the same job succeeds from a client session (seen with
   * TimescaleDB built from source: "cannot drop portal … while it is being set up"). The jobs whose latest
   * scheduled run failed after their latest success are then run here when due, by the one instance holding the
   * lease. Each run here moves the job's next scheduled start one interval ahead (see TimescaleRepository.runJob),
   * so the two never run it at once; health counts these runs, so a job kept up this way is not "failing". Once
   * every SCHEDULER_RETRY_MS a job is left to the scheduler instead, to find out whether it works again.
   */
  async runJobsTheSchedulerFails(): Promise<void> {
    const stats = await this.timescale.jobStats();
    const failed = new Set(
      stats.filter((s) => s.lastFailureAt && (!s.lastSuccessAt || s.lastFailureAt > s.lastSuccessAt)).map((s) => s.jobId),
    );
    if (failed.size === 0) return;
    if (!(await this.leases.acquireLease(JOBS_LEASE, this.config.instanceId, 3 * this.config.embeddedJobsIntervalMs))) return;
    this.holdsLease = true;
    const now = this.clock.now().getTime();
    for (const jobId of failed) {
      if (now - (this.handedBack.get(jobId) ?? this.startedAt.getTime()) < SCHEDULER_RETRY_MS) continue;
      // this time the scheduler runs it: if it succeeds, the job is no longer failing and dxoc leaves it alone
      this.handedBack.set(jobId, now);
      failed.delete(jobId);
      await this.timescale.scheduleNow(jobId);
    }
    await this.runDueJobs((job) => failed.has(job.jobId));
  }

  /**
   * Whether the server's scheduler runs for this database (null on the embedded database, which has none); also sets
   * the metric and logs once when it goes missing and when it is back. Without it no job starts, and none fails:
   * they would only show as overdue after three schedule intervals (days, for compression), so the timer runs their
   * due jobs here meanwhile (runJobsWithoutScheduler) and health says the scheduler is absent.
   */
  async scheduler(): Promise<TimescaleSchedulerState | null> {
    const found = await this.timescale.schedulerRunning();
    if (found === null) return null;
    const { running, database } = found;
    this.metrics.timescaleSchedulerRunning.set({ database }, running ? 1 : 0);
    if (!running && !this.schedulerMissing) {
      this.logger.warn('timescaledb.scheduler_absent', {
        message:
          "no TimescaleDB scheduler runs for this database (the server's background workers are all taken, or were stopped): dxoc runs the due jobs itself",
      });
    }
    if (running && this.schedulerMissing) this.logger.info('timescaledb.scheduler_running', {});
    this.schedulerMissing = !running;
    return running ? 'running' : 'absent';
  }

  /**
   * The server's scheduler does not run for this database: its jobs are run here when the server's statistics say they
   * are due (their next start has passed; each run here moves it one interval ahead), by the one instance holding the
   * lease, until the scheduler is back.
   */
  async runJobsWithoutScheduler(): Promise<void> {
    const due = new Set(await this.timescale.dueJobIds());
    if (due.size === 0) return;
    if (!(await this.leases.acquireLease(JOBS_LEASE, this.config.instanceId, 3 * this.config.embeddedJobsIntervalMs))) return;
    this.holdsLease = true;
    // the server's next start says when a job is due here, not when this runner last ran it (a job set to start
    // now, or this runner's runs while the scheduler failed it: see runJobsTheSchedulerFails)
    for (const jobId of due) this.lastRun.delete(jobId);
    await this.runDueJobs((job) => due.has(job.jobId));
  }

  /**
   * The jobs that are failing or overdue now, from the server's job statistics and this runner's own runs; also
   * sets the metric and logs a job once when it starts failing or falls behind.
   */
  async problems(): Promise<JobProblem[]> {
    const [jobs, stats, ownRuns] = await Promise.all([this.timescale.listJobs(), this.timescale.jobStats(), this.timescale.ownJobRuns()]);
    const byId = new Map(stats.map((s) => [s.jobId, s]));
    const runs = new Map(ownRuns.map((r) => [r.jobId, r]));
    const observations: JobObservation[] = jobs.map((job) => {
      const server = byId.get(job.jobId);
      const own = runs.get(job.jobId);
      const serverFailedLater =
        (server?.lastFailureAt ?? null) !== null && (own?.lastFailureAt == null || server!.lastFailureAt! > own.lastFailureAt);
      const nextStart = server?.nextStart ?? null;
      return {
        jobId: job.jobId,
        proc: job.procName,
        target: job.hypertable,
        scheduleIntervalMs: job.scheduleIntervalMs,
        lastSuccessAt: later(server?.lastSuccessAt ?? null, own?.lastSuccessAt ?? null),
        lastFailureAt: later(server?.lastFailureAt ?? null, own?.lastFailureAt ?? null),
        lastError: serverFailedLater ? (server?.lastError ?? null) : (own?.lastError ?? server?.lastError ?? null),
        // a job that never ran is due from its first start (a new policy waits an hour), not before dxoc started
        firstDueAt: nextStart && nextStart > this.startedAt && this.db.driver !== 'pglite' ? nextStart : this.startedAt,
      };
    });
    const problems = jobProblems(observations, this.clock.now());
    this.metrics.timescaleJobProblems.reset();
    const now = new Set<string>();
    for (const p of problems) {
      this.metrics.timescaleJobProblems.set({ job_id: String(p.jobId), proc: p.proc, target: p.target ?? '', problem: p.problem }, 1);
      const key = `${p.jobId}:${p.problem}`;
      now.add(key);
      if (!this.reported.has(key)) this.logger.warn('timescaledb.job_problem', { ...p });
    }
    this.reported = now;
    return problems;
  }

  /** Every job is due on the next run (after a configuration change, and for tests). */
  forgetRuns(): void {
    this.lastRun.clear();
  }

  /**
   * Runs the due jobs `only` selects, after the run under way if there is one (runs never overlap, and a caller
   * never gets another run's answer: a server's timer tick runs only the jobs its scheduler fails, and a caller
   * joining it used to find the others not run at all); answers how many runs were skipped because another refresh
   * held their window.
   */
  runDueJobs(only: (job: TimescaleJob) => boolean = () => true): Promise<{ skipped: number }> {
    const run = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.runDue(only));
    this.running = run;
    void run
      .finally(() => {
        if (this.running === run) this.running = null;
      })
      .catch(() => undefined);
    return run;
  }

  private async runDue(only: (job: TimescaleJob) => boolean): Promise<{ skipped: number }> {
    const now = this.clock.now().getTime();
    let skipped = 0;
    // A job is due if it would be by the next tick: with a 1-minute schedule and a 1-minute tick, timer jitter
    // (59.99 s since the last run) must not push it to every other tick.
    const slack = this.config.embeddedJobsIntervalMs / 2;
    for (const job of await this.timescale.listJobs().catch(() => [])) {
      if (!only(job)) continue;
      const last = this.lastRun.get(job.jobId);
      if (last !== undefined && now - last + slack < job.scheduleIntervalMs) continue;
      this.lastRun.set(job.jobId, now);
      let failure: string | null = null;
      try {
        // a compression or retention run may rightly take minutes: no statement deadline
        await withoutStatementDeadline(() => this.timescale.runJob(job.jobId));
      } catch (error) {
        if (isConcurrentRefresh(error)) {
          // the other refresh materialises the window: not a failure of this job, which is due again next tick.
          // Unless the "other refresh" is a leftover of a failed run in a session that now idles (TimescaleDB 2.28):
          // then it is released, and the job runs again on the next tick instead of never.
          const released = await this.timescale.releaseStaleRefreshRanges().catch(() => 0);
          const fields = { jobId: job.jobId, proc: job.procName, reason: (error as Error).message };
          if (released > 0) this.logger.warn('timescaledb.stale_refresh_released', { ...fields, released });
          else this.logger.info('timescaledb.job_skipped', fields);
          this.lastRun.delete(job.jobId);
          skipped += 1;
          continue;
        }
        failure = error instanceof Error ? error.message : String(error);
        this.logger.warn('timescaledb.job_failed', { jobId: job.jobId, proc: job.procName, error: failure });
      }
      // every instance judges the job from this record; a database too far gone to keep it is reported by health
      await this.timescale.recordJobRun(job.jobId, new Date(now), failure, this.config.instanceId).catch(() => undefined);
    }
    return { skipped };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    // another instance takes the jobs over at once instead of after the lease expires
    if (this.holdsLease) await this.leases.releaseLease(JOBS_LEASE, this.config.instanceId).catch(() => undefined);
  }
}

/**
 * TimescaleDB 2.2x refuses to refresh a continuous aggregate over a window another session is refreshing (SQLSTATE
 * 55P03, "… due to a concurrent refresh"): the scheduler's run, an instance's refresh of the hours a batch touched
 * (AggregateRefresher) or another instance's run. Seen on 2.28.3 as a job "failing" after a test's own CALL run_job
 * met the scheduler's run of the same policy; the window is materialised by the other refresh either way.
 */
export function isConcurrentRefresh(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '55P03' &&
    /concurrent refresh/.test(String((error as { message?: unknown }).message))
  );
}

/** Postgres prints intervals its own way ("90 days"; "1 year" → "1 year"); compare on that form. */
function normalise(interval: string | null): string | null {
  if (!interval) return null;
  return interval.trim().toLowerCase().replace(/\s+/g, ' ');
}

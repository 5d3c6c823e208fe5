/** The embedded database has no TimescaleDB scheduler: the backend runs due jobs itself on a timer. */
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../src/config/config';
import type { Database } from '../src/db/database';
import { TimescaleJobs } from '../src/db/timescale-jobs';
import type { OwnJobRuns, TimescaleRepository } from '../src/db/timescale.repository';
import { JsonLogger } from '../src/observability/logger';
import { Metrics } from '../src/observability/metrics';
import { jobProblems, type JobObservation } from '../src/db/job-health';

/** These tests run no server fallback: no lease is ever taken. */
const NO_LEASES = { acquireLease: async () => false, releaseLease: async () => undefined };

/** Nobody listens to what the runner announces here. */
const NO_EVENTS = { emit: () => undefined };

const MINUTE = 60_000;

/** A refresh policy of the hourly aggregate, every minute, as listJobs answers it. */
const hourlyRefresh = (jobId: number) => ({
  jobId,
  procName: 'policy_refresh_continuous_aggregate',
  hypertable: 'observation_hourly',
  scheduleIntervalMs: MINUTE,
  config: {},
});

/** A runner over a stand-in repository, on the given driver, at the time `now()` answers. */
function runner(
  repository: TimescaleRepository,
  now: () => number,
  options: { driver?: Database['driver']; metrics?: Metrics; leases?: typeof NO_LEASES } = {},
): TimescaleJobs {
  return new TimescaleJobs(
    repository,
    { driver: options.driver ?? 'pglite' } as Database,
    { embeddedJobsIntervalMs: MINUTE, instanceId: 'a' } as AppConfig,
    { now: () => new Date(now()) },
    new JsonLogger('error'),
    options.metrics ?? new Metrics(),
    options.leases ?? NO_LEASES,
    NO_EVENTS,
  );
}

describe('TimescaleJobs on the embedded database', () => {
  it('runs each job on its schedule, counting a run due within half a tick as due (timer jitter)', async () => {
    let now = Date.parse('2026-11-22T00:00:00Z');
    const runs: number[] = [];
    const repository = {
      listJobs: async () => [
        {
          jobId: 1000,
          procName: 'policy_refresh_continuous_aggregate',
          hypertable: 'observation_hourly',
          scheduleIntervalMs: MINUTE,
          config: {},
        },
        {
          jobId: 1001,
          procName: 'policy_refresh_continuous_aggregate',
          hypertable: 'observation_daily',
          scheduleIntervalMs: 5 * MINUTE,
          config: {},
        },
      ],
      runJob: async (jobId: number) => {
        runs.push(jobId);
      },
      recordJobRun: async () => undefined,
    } as unknown as TimescaleRepository;
    const jobs = runner(repository, () => now);
    const tickAt = async (ms: number) => {
      now = Date.parse('2026-11-22T00:00:00Z') + ms;
      runs.length = 0;
      await jobs.runDueJobs();
      return [...runs];
    };

    expect(await tickAt(0)).toEqual([1000, 1001]); // first tick: everything is due
    expect(await tickAt(MINUTE - 20)).toEqual([1000]); // the timer fired a little early: still this minute's run
    expect(await tickAt(2 * MINUTE - 40)).toEqual([1000]);
    expect(await tickAt(2 * MINUTE + 10)).toEqual([]); // ran 50 ms ago
    expect(await tickAt(5 * MINUTE - 30)).toEqual([1000, 1001]);
  });
});

describe('job health', () => {
  const T0 = Date.parse('2026-11-22T00:00:00Z');
  const job = (over: Partial<JobObservation>): JobObservation => ({
    jobId: 1000,
    proc: 'policy_refresh_continuous_aggregate',
    target: 'observation_hourly',
    scheduleIntervalMs: MINUTE,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastError: null,
    firstDueAt: new Date(T0),
    ...over,
  });
  const at = (ms: number) => new Date(T0 + ms);

  it.each([
    { name: 'ran a minute ago', job: job({ lastSuccessAt: at(9 * MINUTE) }), now: at(10 * MINUTE), problem: null },
    { name: 'never ran, just started', job: job({}), now: at(2 * MINUTE), problem: null },
    { name: 'never ran for three intervals and a minute', job: job({}), now: at(4 * MINUTE + 1), problem: 'overdue' },
    { name: 'last success long ago', job: job({ lastSuccessAt: at(0) }), now: at(10 * MINUTE), problem: 'overdue' },
    {
      name: 'failed after its last success',
      job: job({ lastSuccessAt: at(0), lastFailureAt: at(MINUTE), lastError: 'boom' }),
      now: at(MINUTE),
      problem: 'failing',
    },
    {
      name: 'failed, then succeeded',
      job: job({ lastSuccessAt: at(2 * MINUTE), lastFailureAt: at(MINUTE) }),
      now: at(2 * MINUTE),
      problem: null,
    },
    { name: 'never succeeded and failed', job: job({ lastFailureAt: at(MINUTE), lastError: 'boom' }), now: at(MINUTE), problem: 'failing' },
  ])('$name → $problem', ({ job: j, now, problem }) => {
    const problems = jobProblems([j], now);
    expect(problems.map((p) => p.problem)).toEqual(problem ? [problem] : []);
    if (problem === 'failing') expect(problems[0]!.lastError).toBe('boom');
  });

  it('the embedded runner records a failing job: problems() names it with its error and the metric shows it', async () => {
    let now = T0;
    let fail = false;
    const ownRuns = new Map<number, OwnJobRuns>();
    const repository = {
      listJobs: async () => [
        {
          jobId: 1000,
          procName: 'policy_refresh_continuous_aggregate',
          hypertable: 'observation_hourly',
          scheduleIntervalMs: MINUTE,
          config: {},
        },
      ],
      jobStats: async () => [],
      runJob: async () => {
        if (fail) throw new Error('refresh failed on purpose');
      },
      // timescaledb_job_run, kept in memory
      ownJobRuns: async () => [...ownRuns.values()],
      recordJobRun: async (jobId: number, at: Date, error: string | null) => {
        const run = ownRuns.get(jobId) ?? { jobId, lastSuccessAt: null, lastFailureAt: null, lastError: null };
        if (error === null) run.lastSuccessAt = at;
        else Object.assign(run, { lastFailureAt: at, lastError: error });
        ownRuns.set(jobId, run);
      },
    } as unknown as TimescaleRepository;
    const metrics = new Metrics();
    const jobs = runner(repository, () => now, { metrics });
    await jobs.runDueJobs();
    expect(await jobs.problems()).toEqual([]);
    fail = true;
    now += MINUTE;
    await jobs.runDueJobs();
    expect(await jobs.problems()).toEqual([
      {
        jobId: 1000,
        proc: 'policy_refresh_continuous_aggregate',
        target: 'observation_hourly',
        problem: 'failing',
        lastSuccessAt: new Date(T0).toISOString(),
        lastError: 'refresh failed on purpose',
      },
    ]);
    expect(await metrics.registry.getSingleMetricAsString('dxoc_timescaledb_job_problem')).toContain(
      'dxoc_timescaledb_job_problem{job_id="1000",proc="policy_refresh_continuous_aggregate",target="observation_hourly",problem="failing"} 1',
    );
    fail = false;
    now += MINUTE;
    await jobs.runDueJobs();
    expect(await jobs.problems()).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('dxoc_timescaledb_job_problem')).not.toContain('} 1');
  });
});

describe('TimescaleJobs when another refresh holds the window', () => {
  it('skips a run refused as a concurrent refresh (55P03): no failure recorded, the job due again on the next tick', async () => {
    const now = Date.parse('2026-11-22T00:00:00Z');
    let concurrent = true;
    const attempts: number[] = [];
    const recorded: Array<string | null> = [];
    const repository = {
      listJobs: async () => [hourlyRefresh(1003)],
      jobStats: async () => [],
      runJob: async (jobId: number) => {
        attempts.push(jobId);
        if (concurrent)
          throw Object.assign(new Error('could not refresh continuous aggregate "observation_hourly" due to a concurrent refresh'), {
            code: '55P03',
          });
      },
      ownJobRuns: async () => [],
      recordJobRun: async (_jobId: number, _at: Date, error: string | null) => void recorded.push(error),
      releaseStaleRefreshRanges: async () => 0,
    } as unknown as TimescaleRepository;
    const jobs = runner(repository, () => now);
    expect(await jobs.runDueJobs()).toEqual({ skipped: 1 });
    expect(recorded).toEqual([]);
    expect(await jobs.problems()).toEqual([]);
    // at the same instant (no schedule interval passed) the skipped job is still due, and this time it runs
    concurrent = false;
    expect(await jobs.runDueJobs()).toEqual({ skipped: 0 });
    expect(attempts).toEqual([1003, 1003]);
    expect(recorded).toEqual([null]);
  });

  it('a lock timeout that is not a concurrent refresh is a failure like any other', async () => {
    const recorded: Array<string | null> = [];
    const repository = {
      listJobs: async () => [hourlyRefresh(1003)],
      jobStats: async () => [],
      runJob: async () => {
        throw Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
      },
      ownJobRuns: async () => [],
      recordJobRun: async (_jobId: number, _at: Date, error: string | null) => void recorded.push(error),
    } as unknown as TimescaleRepository;
    expect(await runner(repository, () => Date.parse('2026-11-22T00:00:00Z')).runDueJobs()).toEqual({ skipped: 0 });
    expect(recorded).toEqual(['canceling statement due to lock timeout']);
  });
});

describe('TimescaleJobs runs one at a time', () => {
  it('a run asked for while a filtered run is under way runs after it, with its own selection', async () => {
    const attempts: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const repository = {
      listJobs: async () => [hourlyRefresh(1003), hourlyRefresh(1004)],
      jobStats: async () => [],
      runJob: async (jobId: number) => {
        attempts.push(jobId);
        await gate;
      },
      ownJobRuns: async () => [],
      recordJobRun: async () => undefined,
    } as unknown as TimescaleRepository;
    const jobs = runner(repository, () => Date.parse('2026-11-22T00:00:00Z'));
    // the timer's tick on a server: only the job its scheduler fails
    const tick = jobs.runDueJobs((j) => j.jobId === 1004);
    const all = jobs.runDueJobs();
    release();
    await Promise.all([tick, all]);
    // the second run did not answer with the tick's: after the tick ended it ran the due job the tick left out
    // (1004 has just run; joining the tick, 1003 was never run)
    expect(attempts).toEqual([1004, 1003]);
  });
});

describe('TimescaleJobs on a server whose scheduler fails a job', () => {
  it('runs the job itself, and once an hour hands it back to the scheduler, leaving it alone once the scheduler succeeds', async () => {
    const T0 = Date.parse('2026-11-22T00:00:00Z');
    let now = T0;
    const calls: string[] = [];
    let schedulerWorks = false;
    let stats = {
      jobId: 1000,
      lastSuccessAt: null as Date | null,
      lastFailureAt: new Date(T0),
      lastError: 'cannot drop portal',
      nextStart: null,
    };
    const repository = {
      listJobs: async () => [
        {
          jobId: 1000,
          procName: 'policy_refresh_continuous_aggregate',
          hypertable: 'observation_hourly',
          scheduleIntervalMs: MINUTE,
          config: {},
        },
      ],
      jobStats: async () => [stats],
      runJob: async (jobId: number) => void calls.push(`dxoc runs ${jobId}`),
      recordJobRun: async () => undefined,
      // the scheduler runs the job at once, and fails it while it is broken
      scheduleNow: async (jobId: number) => {
        calls.push(`scheduler runs ${jobId}`);
        stats = schedulerWorks ? { ...stats, lastSuccessAt: new Date(now + 1) } : { ...stats, lastFailureAt: new Date(now + 1) };
      },
    } as unknown as TimescaleRepository;
    const jobs = runner(repository, () => now, {
      driver: 'pg',
      leases: { acquireLease: async () => true, releaseLease: async () => undefined },
    });
    const tickAt = async (ms: number) => {
      now = T0 + ms;
      calls.length = 0;
      await jobs.runJobsTheSchedulerFails();
      return [...calls];
    };
    expect(await tickAt(0)).toEqual(['dxoc runs 1000']);
    expect(await tickAt(MINUTE)).toEqual(['dxoc runs 1000']);
    expect(await tickAt(60 * MINUTE)).toEqual(['scheduler runs 1000']); // an hour on: the scheduler's turn, and it fails
    expect(await tickAt(61 * MINUTE)).toEqual(['dxoc runs 1000']);
    schedulerWorks = true; // e.g. the server was restarted with a working build
    expect(await tickAt(62 * MINUTE)).toEqual(['dxoc runs 1000']);
    expect(await tickAt(120 * MINUTE)).toEqual(['scheduler runs 1000']);
    expect(await tickAt(121 * MINUTE)).toEqual([]); // the scheduler keeps it from now on
  });
});

describe('TimescaleJobs on a server that runs no scheduler for the database', () => {
  it('says so (metric, one warning), runs the jobs the server says are due, and stops once the scheduler is back', async () => {
    let now = Date.parse('2026-12-07T00:00:00Z');
    let running = false;
    let due: number[] = [1000, 1001];
    const ran: number[] = [];
    const repository = {
      schedulerRunning: async () => ({ running, database: 'dxoc' }),
      dueJobIds: async () => due,
      listJobs: async () => [hourlyRefresh(1000), hourlyRefresh(1001), hourlyRefresh(1002)],
      runJob: async (jobId: number) => void ran.push(jobId),
      recordJobRun: async () => undefined,
    } as unknown as TimescaleRepository;
    const metrics = new Metrics();
    const warnings: string[] = [];
    const logger = new JsonLogger('error');
    logger.warn = (event: string) => void warnings.push(event);
    const jobs = new TimescaleJobs(
      repository,
      { driver: 'pg' } as Database,
      { embeddedJobsIntervalMs: MINUTE, instanceId: 'a' } as AppConfig,
      { now: () => new Date(now) },
      logger,
      metrics,
      { acquireLease: async () => true, releaseLease: async () => undefined },
      NO_EVENTS,
    );
    const gauge = async () => {
      const { values } = await metrics.timescaleSchedulerRunning.get();
      expect(values.map((v) => v.labels)).toEqual([{ database: 'dxoc' }]);
      return values[0]?.value;
    };

    expect(await jobs.scheduler()).toBe('absent');
    expect(await jobs.scheduler()).toBe('absent');
    expect(warnings).toEqual(['timescaledb.scheduler_absent']); // once, not at every check
    expect(await gauge()).toBe(0);
    await jobs.runJobsWithoutScheduler();
    expect(ran).toEqual([1000, 1001]); // 1002 is not due by the server's schedule
    // a job the server says is due again is run again, even within its interval of this runner's last run
    now += 1000;
    due = [1001];
    await jobs.runJobsWithoutScheduler();
    expect(ran).toEqual([1000, 1001, 1001]);
    due = [];
    await jobs.runJobsWithoutScheduler();
    expect(ran).toEqual([1000, 1001, 1001]);

    running = true;
    expect(await jobs.scheduler()).toBe('running');
    expect(await gauge()).toBe(1);
    running = false;
    expect(await jobs.scheduler()).toBe('absent');
    expect(warnings).toEqual(['timescaledb.scheduler_absent', 'timescaledb.scheduler_absent']); // gone again: told again
  });

  it('the embedded database has no scheduler by design: null, and no metric', async () => {
    const repository = { schedulerRunning: async () => null } as unknown as TimescaleRepository;
    const metrics = new Metrics();
    expect(await runner(repository, () => 0, { metrics }).scheduler()).toBeNull();
    expect((await metrics.timescaleSchedulerRunning.get()).values).toEqual([]);
  });
});

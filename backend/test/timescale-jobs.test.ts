/** The embedded database has no TimescaleDB scheduler: the backend runs due jobs itself on a timer. */
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../src/config/config';
import type { Database } from '../src/db/database';
import { TimescaleJobs } from '../src/db/timescale-jobs';
import type { TimescaleRepository } from '../src/db/timescale.repository';
import { JsonLogger } from '../src/observability/logger';

const MINUTE = 60_000;

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
    } as unknown as TimescaleRepository;
    const jobs = new TimescaleJobs(
      repository,
      { driver: 'pglite' } as Database,
      { embeddedJobsIntervalMs: MINUTE } as AppConfig,
      { now: () => new Date(now) },
      new JsonLogger('error'),
    );
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

/**
 * A database migrated by an earlier release upgrades cleanly: migrations up to 004 (what main shipped before the
 * day aggregate was redefined in 005) with data in the aggregates, then the rest; the day aggregate answers the same
 * numbers as the raw values afterwards, before and after its next refresh. A database whose stored values overflowed
 * the aggregates (issue 12) upgrades too, and its refresh jobs run again. On every driver, the server included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../src/db/database';
import { migrate, readMigrations } from '../src/db/migrator';
import { TimescaleRepository } from '../src/db/timescale.repository';
import { ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import { SeriesRepository, type SeriesRequest } from '../src/query/series.repository';
import { allDrivers, type TestDatabase } from './support/databases';

/**
 * Values written as an earlier release wrote them: today's ObservationsRepository.store also keeps tables that the
 * earlier schema does not have yet (latest_value, 016), so the rows go straight into observation.
 */
function storeAsEarlierRelease(db: Queryable, points: NewObservation[], batchId: string, keyId: string, receivedAt: Date) {
  return db.query(
    `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
     SELECT r.metric, r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond', r.value, $5, $6, $7
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS r(metric, unit, ms, value)`,
    [
      points.map((p) => p.metric),
      points.map((p) => p.unit),
      points.map((p) => p.ts),
      points.map((p) => p.value),
      batchId,
      keyId,
      receivedAt,
    ],
  );
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LAST_OF_EARLIER_RELEASE = 4;

describe.each(allDrivers())('upgrading a database on $name', (driver) => {
  let opened: TestDatabase;
  let db: Database;
  const first = Date.parse('2025-03-27T00:00:00+07:00');
  const points: NewObservation[] = Array.from({ length: 10 }, (_, d) => ({
    metric: 'test.upgrade',
    unit: '79',
    ts: first + d * DAY,
    value: d + 1,
  }));
  const request = (source: SeriesRequest['source'], bucket: string): SeriesRequest => ({
    metric: 'test.upgrade',
    units: [{ code: '79', until: null }],
    from: null,
    to: new Date('2030-01-01T00:00:00Z'),
    bucket,
    agg: 'sum',
    combine: 'sum',
    source,
    timezone: 'Asia/Ho_Chi_Minh',
    limit: 1000,
  });

  beforeAll(async () => {
    opened = await driver.open();
    db = opened.db;
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('applies the new migrations over an earlier release with data, and the day aggregate gives the same numbers', async () => {
    const all = readMigrations();
    const earlier = all.filter((m) => m.version <= LAST_OF_EARLIER_RELEASE);
    expect((await migrate(db, earlier)).applied).toHaveLength(earlier.length);
    const timescale = new TimescaleRepository(db);
    const runAllJobs = async () => {
      for (const job of await timescale.listJobs()) await timescale.runJob(job.jobId);
    };
    await storeAsEarlierRelease(db, points, 'upgrade-1', 'upgrade-key', new Date('2026-11-01T00:00:00Z'));
    await runAllJobs();

    const report = await migrate(db, all);
    expect(report.applied).toEqual(all.filter((m) => m.version > LAST_OF_EARLIER_RELEASE).map((m) => m.name));
    const series = new SeriesRepository(db);
    const raw = await series.series(request('raw', '1 day'));
    expect(raw.map((r) => r.value)).toEqual(points.map((p) => p.value));
    // right after the upgrade the day aggregate is empty and answers from the raw values (real-time part) …
    expect(await series.series(request('daily', '1 day'))).toEqual(raw);
    expect(await series.series(request('daily', '1 month'))).toEqual(await series.series(request('raw', '1 month')));
    // … and after its refresh from what it materialised
    await runAllJobs();
    const table = await db.query<{ t: string }>(
      `SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) AS t
       FROM timescaledb_information.continuous_aggregates WHERE view_name = 'observation_daily'`,
    );
    const materialised = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table.rows[0]!.t} WHERE metric = 'test.upgrade'`);
    expect(materialised.rows[0]!.n).toBe(points.length);
    expect(await series.series(request('daily', '1 day'))).toEqual(raw);
    // a new value after the upgrade reaches the day aggregate too
    await db.transaction((tx) =>
      new ObservationsRepository(db).store(
        tx,
        [{ ...points[0]!, ts: first + 10 * DAY, value: 100 }],
        'upgrade-2',
        'upgrade-key',
        new Date(),
      ),
    );
    await runAllJobs();
    expect((await series.series(request('daily', '1 day'))).at(-1)).toEqual({ ts: new Date(first + 10 * DAY), value: 100 });
  });

  it('upgrades a database whose stored values overflowed the aggregates (issue 12): the refresh jobs run again, nothing is deleted', async () => {
    const poisoned = await driver.open();
    try {
      const pdb = poisoned.db;
      const all = readMigrations();
      await migrate(
        pdb,
        all.filter((m) => m.version < 7),
      );
      const timescale = new TimescaleRepository(pdb);
      const refreshJobs = async () => (await timescale.listJobs()).filter((j) => j.procName === 'policy_refresh_continuous_aggregate');
      const day = Date.parse('2025-06-01T00:00:00+07:00');
      await storeAsEarlierRelease(
        pdb,
        [
          { metric: 'test.upgrade', unit: '79', ts: day + HOUR, value: 1.7e308 },
          { metric: 'test.upgrade', unit: '79', ts: day + HOUR + 600_000, value: 1.7e308 },
          { metric: 'test.upgrade', unit: '79', ts: day + 3 * HOUR, value: 4 },
        ],
        'poison-1',
        'upgrade-key',
        new Date(),
      );
      // before 007 both refresh jobs (hour and day) fail on the sum of the two values, and every series with them
      for (const job of await refreshJobs())
        await expect(timescale.runJob(job.jobId), job.hypertable ?? '').rejects.toThrow(/out of range|overflow/);

      const report = await migrate(pdb, all);
      expect(report.applied[0]).toBe('007_plausible_values');
      for (const job of await refreshJobs()) await timescale.runJob(job.jobId);
      const series = new SeriesRepository(pdb);
      const to = new Date(day + DAY);
      const read = (source: SeriesRequest['source'], bucket: string | null) =>
        series.series({ ...request(source, '1 day'), bucket, from: new Date(day), to });
      // the implausible values are left out of every aggregate, from raw values and from the continuous aggregates alike
      for (const [source, bucket] of [
        ['raw', '1 day'],
        ['daily', '1 day'],
        ['hourly', '1 day'],
        ['daily', '1 month'],
      ] as const)
        expect(
          (await read(source, bucket)).map((r) => r.value),
          `${source} ${bucket}`,
        ).toEqual([4]);
      // and kept in the table
      expect((await read('raw', null)).map((r) => r.value)).toEqual([1.7e308, 1.7e308, 4]);
    } finally {
      await poisoned.close();
    }
  });
});

/**
 * Repository and storage tests: the same SQL on every driver (embedded TimescaleDB in-process and in a worker
 * thread, the same database through `pg` over pglite-socket, and a TimescaleDB server when TEST_DATABASE_URL is set).
 * One database per driver for the whole file; the blocks below run in order and build on each other
 * (migrations first), and each block uses its own metric codes so their rows do not mix.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogRepository } from '../src/catalog/catalog.repository';
import { Seeder } from '../src/seed/seeder';
import { seedHistory } from '../src/catalog/seed/history';
import { seedMetrics } from '@dxoc/contracts/reference';
import { seedTargets } from '@dxoc/contracts/reference';
import { seedUnits } from '@dxoc/contracts/reference';
import type { AppConfig } from '../src/config/config';
import type { Database } from '../src/db/database';
import { DatabaseSetupError } from '../src/db/errors';
import { migrate, readMigrations, type Migration } from '../src/db/migrator';
import { JsonLogger } from '../src/observability/logger';
import { TimescaleJobs } from '../src/db/timescale-jobs';
import { TimescaleRepository } from '../src/db/timescale.repository';
import { MAX_ROWS_PER_STATEMENT, ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import { SeriesRepository, type SeriesRequest, type SeriesSource } from '../src/query/series.repository';
import type { Aggregation } from '@dxoc/contracts';
import { allDrivers, type TestDatabase } from './support/databases';
import { Metrics } from '../src/observability/metrics';

/** These tests run no server fallback: no lease is ever taken. */
const NO_LEASES = { acquireLease: async () => false, releaseLease: async () => undefined };

const KEY = 'storage-test-key';
const VN = 'Asia/Ho_Chi_Minh';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "2025-05-01T09:15:00+07:00" → epoch ms */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`);
  return ms;
};

describe.each(allDrivers())('storage on $name', (driver) => {
  let opened: TestDatabase;
  let db: Database;
  let observations: ObservationsRepository;
  let series: SeriesRepository;
  let timescale: TimescaleRepository;

  beforeAll(async () => {
    opened = await driver.open();
    db = opened.db;
    observations = new ObservationsRepository(db);
    series = new SeriesRepository(db);
    timescale = new TimescaleRepository(db);
  });

  afterAll(async () => {
    await opened?.close();
  });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return rows[0]!.n;
  }

  /** Stores in its own transaction; answers the counts only. */
  async function store(points: readonly NewObservation[], batchId: string, receivedAt = new Date('2026-11-01T00:00:00Z')) {
    const { inserted, revised } = await db.transaction((tx) => observations.store(tx, points, batchId, KEY, receivedAt));
    return { inserted, revised };
  }

  /** Runs every TimescaleDB job once (the embedded database has no scheduler; a server runs them on demand too). */
  async function runAllJobs(): Promise<string[]> {
    const jobs = await timescale.listJobs();
    for (const job of jobs) await timescale.runJob(job.jobId);
    return jobs.map((job) => job.procName);
  }

  describe('migrations', () => {
    const expectedVersions = readMigrations().map((m) => m.version);

    it('applies every migration once, in order, on a fresh database', async () => {
      const migrations = readMigrations();
      expect(migrations.map((m) => m.name).slice(0, 3)).toEqual(['001_catalog', '002_observations', '003_aggregates']);
      const report = await migrate(db);
      expect(report).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: 0 });
      const { rows } = await db.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migration ORDER BY version',
      );
      expect(rows).toEqual(migrations.map(({ version, name, checksum }) => ({ version, name, checksum })));
    });

    it('applies nothing the second time', async () => {
      const report = await migrate(db);
      expect(report).toEqual({ applied: [], alreadyApplied: expectedVersions.length });
      expect(await count('schema_migration')).toBe(expectedVersions.length);
    });

    it('serialises two concurrent runs: a new migration is applied by exactly one of them', async () => {
      // A throw-away migration (not a file): if both runs applied it, the second CREATE TABLE or the
      // schema_migration primary key would fail.
      const probeSql = 'CREATE TABLE migration_probe (id integer PRIMARY KEY); INSERT INTO migration_probe VALUES (1);';
      const probe: Migration = { version: 999, name: '999_migration_probe', sql: probeSql, checksum: 'probe-checksum' };
      const migrations = [...readMigrations(), probe];
      try {
        const reports = await Promise.all([migrate(db, migrations), migrate(db, migrations)]);
        const applied = reports.map((r) => r.applied);
        expect(applied).toContainEqual(['999_migration_probe']);
        expect(applied).toContainEqual([]);
        expect(reports.map((r) => r.alreadyApplied).sort((a, b) => a - b)).toEqual([expectedVersions.length, expectedVersions.length + 1]);
        const { rows } = await db.query<{ version: number; n: number }>(
          'SELECT version, count(*)::int AS n FROM schema_migration GROUP BY version ORDER BY version',
        );
        expect(rows).toEqual([...expectedVersions, 999].map((version) => ({ version, n: 1 })));
        expect(await count('migration_probe')).toBe(1);
      } finally {
        await db.exec('DROP TABLE IF EXISTS migration_probe; DELETE FROM schema_migration WHERE version = 999;');
      }
    });

    it('refuses a migration whose content changed after it was applied, and changes nothing', async () => {
      const migrations = readMigrations();
      const edited = migrations
        .map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\nCREATE TABLE sneaky (id integer);\n` } : m))
        .map((m) => ({ ...m, checksum: createHash('sha256').update(m.sql).digest('hex') }));
      expect(edited[1]!.checksum).not.toBe(migrations[1]!.checksum);
      const failure = await migrate(db, edited).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseSetupError);
      expect((failure as Error).message).toMatch(/002_observations was changed after it was applied/);
      expect(await count(`pg_tables WHERE tablename = 'sneaky'`)).toBe(0);
      expect(await count('schema_migration')).toBe(expectedVersions.length);
      // A pending migration listed after the edited one is not applied either: the run is one transaction.
      const withNew = [...edited, { version: 998, name: '998_never', sql: 'CREATE TABLE never_applied (id integer);', checksum: 'x' }];
      await expect(migrate(db, withNew)).rejects.toBeInstanceOf(DatabaseSetupError);
      expect(await count(`pg_tables WHERE tablename = 'never_applied'`)).toBe(0);
    });
  });

  describe('TimescaleDB objects and policies', () => {
    it('observation is a hypertable on ts with compression enabled', async () => {
      const { rows } = await db.query<{ primary_dimension: string; compression_enabled: boolean }>(
        `SELECT primary_dimension, compression_enabled FROM timescaledb_information.hypertables
         WHERE hypertable_schema = 'public' AND hypertable_name = 'observation'`,
      );
      expect(rows).toEqual([{ primary_dimension: 'ts', compression_enabled: true }]);
    });

    it('compression segments by metric, unit and orders by ts descending', async () => {
      const { rows } = await db.query<{
        attname: string;
        segmentby_column_index: number | null;
        orderby_column_index: number | null;
        orderby_asc: boolean | null;
      }>(
        `SELECT attname, segmentby_column_index, orderby_column_index, orderby_asc
         FROM timescaledb_information.compression_settings WHERE hypertable_name = 'observation' ORDER BY attname`,
      );
      expect(rows).toEqual([
        { attname: 'metric', segmentby_column_index: 1, orderby_column_index: null, orderby_asc: null },
        { attname: 'ts', segmentby_column_index: null, orderby_column_index: 1, orderby_asc: false },
        { attname: 'unit', segmentby_column_index: 2, orderby_column_index: null, orderby_asc: null },
      ]);
    });

    it('observation_hourly and observation_daily are real-time continuous aggregates with refresh policies', async () => {
      const caggs = await db.query<{
        view_name: string;
        hypertable_name: string;
        materialization_hypertable_name: string;
        materialized_only: boolean;
      }>(
        `SELECT view_name, hypertable_name, materialization_hypertable_name, materialized_only
         FROM timescaledb_information.continuous_aggregates ORDER BY view_name`,
      );
      const [daily, hourly] = caggs.rows;
      expect(caggs.rows.map((c) => [c.view_name, c.materialized_only])).toEqual([
        ['observation_daily', false],
        ['observation_hourly', false],
      ]);
      // hours and days both come from the observations (005: a day aggregate over the hours lost its last day on 2.28)
      expect(hourly?.hypertable_name).toBe('observation');
      expect(daily?.hypertable_name).toBe('observation');
      const jobs = await timescale.listJobs();
      const refresh = jobs
        .filter((j) => j.procName === 'policy_refresh_continuous_aggregate')
        .map((j) => ({
          view: j.hypertable,
          everyMs: j.scheduleIntervalMs,
          startOffset: j.config?.start_offset,
          endOffset: j.config?.end_offset,
          bucketsPerBatch: j.config?.buckets_per_batch,
        }))
        .sort((a, b) => String(a.view).localeCompare(String(b.view)));
      // start_offset NULL: backfills and revisions of old values are refreshed too; one batch per run (see 003)
      expect(refresh).toEqual([
        { view: 'observation_daily', everyMs: 5 * 60_000, startOffset: null, endOffset: '01:00:00', bucketsPerBatch: 0 },
        { view: 'observation_hourly', everyMs: 60_000, startOffset: null, endOffset: '00:01:00', bucketsPerBatch: 0 },
      ]);
    });

    it('sets, replaces and removes the compression policy', async () => {
      try {
        await timescale.setCompressionPolicy('30 days');
        let jobs = (await timescale.listJobs()).filter((j) => j.procName === 'policy_compression');
        expect(jobs).toHaveLength(1);
        expect(jobs[0]!.hypertable).toBe('observation');
        expect(jobs[0]!.config?.compress_after).toBe('30 days');
        expect(await timescale.policyInterval('policy_compression')).toBe('30 days');

        await timescale.setCompressionPolicy('60 days');
        jobs = (await timescale.listJobs()).filter((j) => j.procName === 'policy_compression');
        expect(jobs.map((j) => j.config?.compress_after)).toEqual(['60 days']);

        await timescale.setCompressionPolicy(null);
        expect((await timescale.listJobs()).filter((j) => j.procName === 'policy_compression')).toEqual([]);
        expect(await timescale.policyInterval('policy_compression')).toBeNull();
        await timescale.setCompressionPolicy(null); // removing what is not there is fine
      } finally {
        await timescale.setCompressionPolicy(null);
      }
    });

    it('sets and removes the retention policy', async () => {
      try {
        await timescale.setRetentionPolicy('5 years');
        const jobs = (await timescale.listJobs()).filter((j) => j.procName === 'policy_retention');
        expect(jobs).toHaveLength(1);
        expect(jobs[0]!.hypertable).toBe('observation');
        expect(jobs[0]!.config?.drop_after).toBe('5 years');
        expect(await timescale.policyInterval('policy_retention')).toBe('5 years');
        // compression and retention are told apart
        expect(await timescale.policyInterval('policy_compression')).toBeNull();

        await timescale.setRetentionPolicy(null);
        expect((await timescale.listJobs()).filter((j) => j.procName === 'policy_retention')).toEqual([]);
        expect(await timescale.policyInterval('policy_retention')).toBeNull();
      } finally {
        await timescale.setRetentionPolicy(null);
      }
    });

    it('TimescaleJobs.applyPolicies applies the configured intervals and leaves unchanged ones alone', async () => {
      const clock = { now: () => new Date() };
      const jobsFor = (compressAfter: string | null, retainRawFor: string | null) =>
        new TimescaleJobs(
          timescale,
          db,
          { compressAfter, retainRawFor, embeddedJobsIntervalMs: 60_000 } as AppConfig,
          clock,
          new JsonLogger('error'),
          new Metrics(),
          NO_LEASES,
          { emit: () => undefined },
        );
      const policyJobs = async () =>
        (await timescale.listJobs())
          .filter((j) => j.procName === 'policy_compression' || j.procName === 'policy_retention')
          .map((j) => ({ id: j.jobId, proc: j.procName, after: j.config?.compress_after ?? j.config?.drop_after }));
      try {
        await jobsFor('90 days', null).applyPolicies();
        const first = await policyJobs();
        expect(first.map(({ proc, after }) => ({ proc, after }))).toEqual([{ proc: 'policy_compression', after: '90 days' }]);

        // same configuration, written differently: the job is kept, not dropped and re-created
        await jobsFor(' 90  Days ', null).applyPolicies();
        expect(await policyJobs()).toEqual(first);

        await jobsFor('90 days', '5 years').applyPolicies();
        const second = await policyJobs();
        expect(second.find((j) => j.proc === 'policy_compression')).toEqual(first[0]);
        expect(second.filter((j) => j.proc === 'policy_retention').map((j) => j.after)).toEqual(['5 years']);

        await jobsFor(null, null).applyPolicies();
        expect(await policyJobs()).toEqual([]);
      } finally {
        await timescale.setCompressionPolicy(null);
        await timescale.setRetentionPolicy(null);
      }
    });
  });

  describe('ObservationsRepository', () => {
    beforeAll(async () => {
      await db.query(
        `INSERT INTO agent_key (id, name, unit_codes, secret_hash) VALUES ($1, 'storage tests', NULL, 'x') ON CONFLICT DO NOTHING`,
        [KEY],
      );
    });

    const base = at('2026-05-01T08:00:00+07:00');
    const threePoints: NewObservation[] = [
      { metric: 'test.store', unit: '79', ts: base, value: 1 },
      { metric: 'test.store', unit: '79', ts: base + HOUR, value: 2 },
      { metric: 'test.store', unit: '01', ts: base, value: 3.5 },
    ];

    it('inserts new points', async () => {
      const receivedAt = new Date('2026-05-01T02:00:00Z');
      expect(await store(threePoints, 'b-1', receivedAt)).toEqual({ inserted: 3, revised: 0 });
      const { rows } = await db.query(
        `SELECT unit, ts, value, revision, batch_id, key_id, received_at FROM observation WHERE metric = 'test.store' ORDER BY unit, ts`,
      );
      expect(rows).toEqual([
        { unit: '01', ts: new Date(base), value: 3.5, revision: 1, batch_id: 'b-1', key_id: KEY, received_at: receivedAt },
        { unit: '79', ts: new Date(base), value: 1, revision: 1, batch_id: 'b-1', key_id: KEY, received_at: receivedAt },
        { unit: '79', ts: new Date(base + HOUR), value: 2, revision: 1, batch_id: 'b-1', key_id: KEY, received_at: receivedAt },
      ]);
    });

    it('storing the same values again changes nothing', async () => {
      expect(await store(threePoints, 'b-2')).toEqual({ inserted: 0, revised: 0 });
      expect(await count(`observation WHERE metric = 'test.store' AND batch_id <> 'b-1'`)).toBe(0);
      expect(await count(`observation_revision WHERE metric = 'test.store'`)).toBe(0);
    });

    it('a different value for an existing (metric, unit, ts) is a revision that keeps the old row', async () => {
      const revisedAt = new Date('2026-05-02T00:00:00Z');
      const points: NewObservation[] = [
        { metric: 'test.store', unit: '79', ts: base, value: 10 }, // changed
        { metric: 'test.store', unit: '79', ts: base + HOUR, value: 2 }, // same
        { metric: 'test.store', unit: '79', ts: base + 2 * HOUR, value: 7 }, // new
      ];
      expect(await store(points, 'b-3', revisedAt)).toEqual({ inserted: 1, revised: 1 });
      const archived = await db.query(
        `SELECT unit, ts, value, revision, batch_id, key_id, received_at, superseded_at FROM observation_revision WHERE metric = 'test.store'`,
      );
      expect(archived.rows).toEqual([
        {
          unit: '79',
          ts: new Date(base),
          value: 1,
          revision: 1,
          batch_id: 'b-1',
          key_id: KEY,
          received_at: new Date('2026-05-01T02:00:00Z'),
          superseded_at: revisedAt,
        },
      ]);
      const current = await db.query(
        `SELECT ts, value, revision, batch_id, received_at FROM observation WHERE metric = 'test.store' AND unit = '79' ORDER BY ts`,
      );
      expect(current.rows).toEqual([
        { ts: new Date(base), value: 10, revision: 2, batch_id: 'b-3', received_at: revisedAt },
        { ts: new Date(base + HOUR), value: 2, revision: 1, batch_id: 'b-1', received_at: new Date('2026-05-01T02:00:00Z') },
        { ts: new Date(base + 2 * HOUR), value: 7, revision: 1, batch_id: 'b-3', received_at: revisedAt },
      ]);
      // the untouched unit keeps its row
      expect(await count(`observation WHERE metric = 'test.store' AND unit = '01' AND revision = 1 AND value = 3.5`)).toBe(1);
    });

    it('revisions() lists the current value and every archived one, newest first', async () => {
      expect(await store([{ metric: 'test.store', unit: '79', ts: base, value: 11 }], 'b-4', new Date('2026-05-03T00:00:00Z'))).toEqual({
        inserted: 0,
        revised: 1,
      });
      const rows = await series.revisions('test.store', '79', new Date(base));
      expect(rows).toEqual([
        {
          revision: 3,
          value: 11,
          batchId: 'b-4',
          keyId: KEY,
          keyName: 'storage tests',
          receivedAt: new Date('2026-05-03T00:00:00Z'),
          supersededAt: null,
        },
        {
          revision: 2,
          value: 10,
          batchId: 'b-3',
          keyId: KEY,
          keyName: 'storage tests',
          receivedAt: new Date('2026-05-02T00:00:00Z'),
          supersededAt: new Date('2026-05-03T00:00:00Z'),
        },
        {
          revision: 1,
          value: 1,
          batchId: 'b-1',
          keyId: KEY,
          keyName: 'storage tests',
          receivedAt: new Date('2026-05-01T02:00:00Z'),
          supersededAt: new Date('2026-05-02T00:00:00Z'),
        },
      ]);
      expect(await series.revisions('test.store', '79', new Date(base + 2 * HOUR))).toHaveLength(1);
      expect(await series.revisions('test.store', '79', new Date(base - HOUR))).toEqual([]);
    });

    it(`stores a batch larger than ${MAX_ROWS_PER_STATEMENT} points completely, and revises it completely`, async () => {
      const n = 2 * MAX_ROWS_PER_STATEMENT + 500;
      const start = at('2026-01-01T00:00:00+07:00');
      const points = Array.from({ length: n }, (_, i) => ({
        metric: 'test.bulk',
        unit: i % 2 ? '79' : '01',
        ts: start + i * 60_000,
        value: i,
      }));
      expect(await store(points, 'bulk-1')).toEqual({ inserted: n, revised: 0 });
      const sums = await db.query<{ n: number; total: number; first: Date; last: Date }>(
        `SELECT count(*)::int AS n, sum(value) AS total, min(ts) AS first, max(ts) AS last FROM observation WHERE metric = 'test.bulk'`,
      );
      expect(sums.rows[0]).toEqual({ n, total: (n * (n - 1)) / 2, first: new Date(start), last: new Date(start + (n - 1) * 60_000) });

      // every value changed, in chunks again: every row revised once and archived once
      const changed = points.map((p) => ({ ...p, value: p.value + 0.5 }));
      expect(await store(changed, 'bulk-2')).toEqual({ inserted: 0, revised: n });
      expect(await count(`observation_revision WHERE metric = 'test.bulk' AND batch_id = 'bulk-1' AND revision = 1`)).toBe(n);
      expect(
        await count(`observation WHERE metric = 'test.bulk' AND batch_id = 'bulk-2' AND revision = 2 AND value = floor(value) + 0.5`),
      ).toBe(n);
    });

    it('a transaction that throws after storing writes nothing', async () => {
      const points = [{ metric: 'test.rollback', unit: '79', ts: base, value: 1 }];
      const failure = db.transaction(async (tx) => {
        expect(
          await observations.recordBatch(tx, {
            keyId: KEY,
            batchId: 'rb-1',
            contentHash: 'h',
            pointCount: 1,
            receivedAt: new Date(),
            source: null,
          }),
        ).toBe(true);
        expect(await observations.store(tx, points, 'rb-1', KEY, new Date())).toMatchObject({ inserted: 1, revised: 0 });
        throw new Error('validation failed afterwards');
      });
      await expect(failure).rejects.toThrow('validation failed afterwards');
      expect(await count(`observation WHERE metric = 'test.rollback'`)).toBe(0);
      expect(await count(`ingest_batch WHERE batch_id = 'rb-1'`)).toBe(0);
      // the database is usable afterwards and the same batch can be stored
      expect(await store(points, 'rb-2')).toEqual({ inserted: 1, revised: 0 });
    });

    it('a batch that fails in a later statement leaves none of its earlier statements behind', async () => {
      const start = at('2026-02-01T00:00:00+07:00');
      const points = Array.from({ length: MAX_ROWS_PER_STATEMENT + 10 }, (_, i) => ({
        metric: 'test.partial',
        unit: '79',
        ts: start + i * HOUR,
        value: i,
      }));
      // metric is NOT NULL: the second statement fails in the database after the first one succeeded
      points[MAX_ROWS_PER_STATEMENT + 5] = { ...points[MAX_ROWS_PER_STATEMENT + 5]!, metric: null as unknown as string };
      await expect(store(points, 'partial-1')).rejects.toThrow(/null value|not-null/i);
      expect(await count(`observation WHERE metric = 'test.partial'`)).toBe(0);
    });

    it('recordBatch is true for a new (key, batchId) and false for a repeat; findBatchHash returns its hash', async () => {
      const batch = {
        keyId: KEY,
        batchId: 'idem-1',
        contentHash: 'sha-abc',
        pointCount: 3,
        receivedAt: new Date('2026-05-01T00:00:00Z'),
        source: 'agent 1.0',
      };
      expect(await db.transaction((tx) => observations.recordBatch(tx, batch))).toBe(true);
      expect(await db.transaction((tx) => observations.recordBatch(tx, { ...batch, contentHash: 'other', pointCount: 9 }))).toBe(false);
      expect(await observations.findBatchHash(KEY, 'idem-1')).toEqual({ contentHash: 'sha-abc', pointCount: 3 });
      expect(await observations.findBatchHash(KEY, 'idem-unknown')).toBeNull();
      // the same batchId from another key is another batch
      expect(await observations.findBatchHash('seed', 'idem-1')).toBeNull();
      expect(await db.transaction((tx) => observations.recordBatch(tx, { ...batch, keyId: 'seed', contentHash: 'seed-hash' }))).toBe(true);
      expect(await observations.findBatchHash('seed', 'idem-1')).toEqual({ contentHash: 'seed-hash', pointCount: 3 });
    });

    it('pruneBatchesBefore drops old idempotency records except the seed ones', async () => {
      const old = new Date('2020-01-01T00:00:00Z');
      await db.transaction(async (tx) => {
        await observations.recordBatch(tx, {
          keyId: KEY,
          batchId: 'old-1',
          contentHash: 'h',
          pointCount: 1,
          receivedAt: old,
          source: null,
        });
        await observations.recordBatch(tx, {
          keyId: 'seed',
          batchId: 'old-seed',
          contentHash: 'h',
          pointCount: 1,
          receivedAt: old,
          source: null,
        });
      });
      expect(await observations.pruneBatchesBefore(new Date('2021-01-01T00:00:00Z'))).toBe(1);
      expect(await observations.findBatchHash(KEY, 'old-1')).toBeNull();
      expect(await observations.findBatchHash('seed', 'old-seed')).not.toBeNull();
      expect(await observations.findBatchHash(KEY, 'idem-1')).not.toBeNull();
    });

    it('counterNeighbours returns the stored values just before and just after each ts', async () => {
      const t0 = at('2026-03-01T00:00:00+07:00');
      await store(
        [
          { metric: 'test.counter', unit: '79', ts: t0, value: 100 },
          { metric: 'test.counter', unit: '79', ts: t0 + DAY, value: 200 },
          { metric: 'test.counter', unit: '79', ts: t0 + 2 * DAY, value: 300 },
          { metric: 'test.counter', unit: '01', ts: t0 + DAY / 2, value: 5 },
        ],
        'counter-1',
      );
      const rows = await observations.counterNeighbours([
        { index: 0, metric: 'test.counter', unit: '79', ts: t0 + DAY / 2, value: 0 }, // between the first two
        { index: 1, metric: 'test.counter', unit: '79', ts: t0 + DAY, value: 0 }, // on a stored ts: that one is excluded
        { index: 2, metric: 'test.counter', unit: '79', ts: t0 - DAY, value: 0 }, // before everything
        { index: 3, metric: 'test.counter', unit: '79', ts: t0 + 3 * DAY, value: 0 }, // after everything
        { index: 7, metric: 'test.counter', unit: '48', ts: t0 + DAY, value: 0 }, // a unit with nothing stored
      ]);
      const byIndex = new Map(rows.map((r) => [r.index, r]));
      expect(rows).toHaveLength(5);
      expect(byIndex.get(0)).toEqual({ index: 0, prevValue: 100, prevTs: new Date(t0), nextValue: 200, nextTs: new Date(t0 + DAY) });
      expect(byIndex.get(1)).toEqual({ index: 1, prevValue: 100, prevTs: new Date(t0), nextValue: 300, nextTs: new Date(t0 + 2 * DAY) });
      expect(byIndex.get(2)).toEqual({ index: 2, prevValue: null, prevTs: null, nextValue: 100, nextTs: new Date(t0) });
      expect(byIndex.get(3)).toEqual({ index: 3, prevValue: 300, prevTs: new Date(t0 + 2 * DAY), nextValue: null, nextTs: null });
      expect(byIndex.get(7)).toEqual({ index: 7, prevValue: null, prevTs: null, nextValue: null, nextTs: null });
      expect(await observations.counterNeighbours([])).toEqual([]);
    });

    it('counterNeighbours finds neighbours months away', async () => {
      const t0 = at('2025-01-01T00:00:00+07:00');
      await store(
        [
          { metric: 'test.counter.far', unit: '79', ts: t0, value: 100 },
          { metric: 'test.counter.far', unit: '79', ts: t0 + 180 * DAY, value: 900 },
          { metric: 'test.counter.far', unit: '01', ts: t0 + 90 * DAY - 7 * DAY, value: 40 },
          { metric: 'test.counter.far', unit: '01', ts: t0 + 90 * DAY + 7 * DAY + 1, value: 60 },
        ],
        'counter-far',
      );
      const rows = await observations.counterNeighbours([
        { index: 0, metric: 'test.counter.far', unit: '79', ts: t0 + 90 * DAY, value: 0 },
        { index: 1, metric: 'test.counter.far', unit: '01', ts: t0 + 90 * DAY, value: 0 },
      ]);
      expect(rows).toEqual([
        { index: 0, prevValue: 100, prevTs: new Date(t0), nextValue: 900, nextTs: new Date(t0 + 180 * DAY) },
        { index: 1, prevValue: 40, prevTs: new Date(t0 + 83 * DAY), nextValue: 60, nextTs: new Date(t0 + 97 * DAY + 1) },
      ]);
    });
  });

  describe('SeriesRepository', () => {
    const request = (overrides: Partial<SeriesRequest>): SeriesRequest => ({
      metric: 'test.series',
      units: [{ code: '79', until: null }],
      from: null,
      to: new Date('2030-01-01T00:00:00Z'),
      bucket: null,
      agg: 'avg',
      combine: 'sum',
      source: 'raw',
      timezone: VN,
      limit: 1000,
      ...overrides,
    });

    /** Three local days with several values per hour and several hours per day, in the past so the refresh policies materialise them. */
    const day1 = at('2025-05-01T00:00:00+07:00');
    const rawPoints: NewObservation[] = [
      // 2025-05-01 local
      { ts: day1 + 0 * HOUR + 10 * 60_000, value: 4 },
      { ts: day1 + 0 * HOUR + 40 * 60_000, value: 8 },
      { ts: day1 + 5 * HOUR, value: 1 },
      { ts: day1 + 23 * HOUR + 50 * 60_000, value: 6 }, // 23:50 local = 16:50 UTC, still 1 May locally
      // 2025-05-02 local
      { ts: day1 + DAY + 0 * HOUR, value: 10 },
      { ts: day1 + DAY + 7 * HOUR + 1000, value: 20 },
      { ts: day1 + DAY + 7 * HOUR + 2000, value: -5 },
      // 2025-05-04 local (nothing on 3 May)
      { ts: day1 + 3 * DAY + 12 * HOUR, value: 2.5 },
    ].map((p) => ({ metric: 'test.series', unit: '79', ...p }));

    function expectedBuckets(width: number, agg: Aggregation, offset = 7 * HOUR): { ts: Date; value: number }[] {
      const groups = new Map<number, { ts: number; value: number }[]>();
      for (const p of rawPoints) {
        const b = Math.floor((p.ts + offset) / width) * width - offset;
        groups.set(b, [...(groups.get(b) ?? []), p]);
      }
      return [...groups.entries()]
        .sort(([a], [b]) => a - b)
        .map(([b, ps]) => {
          const values = ps.map((p) => p.value);
          const sum = values.reduce((s, v) => s + v, 0);
          const last = ps.reduce((l, p) => (p.ts > l.ts ? p : l)).value;
          const value = { avg: sum / values.length, sum, min: Math.min(...values), max: Math.max(...values), last }[agg];
          return { ts: new Date(b), value };
        });
    }

    let materializedTables: Record<string, string>;

    beforeAll(async () => {
      expect(await store(rawPoints, 'series-1')).toEqual({ inserted: rawPoints.length, revised: 0 });
      const procs = await runAllJobs();
      expect(procs.filter((p) => p === 'policy_refresh_continuous_aggregate')).toHaveLength(2);
      const { rows } = await db.query<{ view_name: string; t: string }>(
        `SELECT view_name, format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) AS t
         FROM timescaledb_information.continuous_aggregates`,
      );
      materializedTables = Object.fromEntries(rows.map((r) => [r.view_name, r.t]));
    });

    it('returns raw rows ordered by ts', async () => {
      const rows = await series.series(request({}));
      expect(rows).toEqual([...rawPoints].sort((a, b) => a.ts - b.ts).map((p) => ({ ts: new Date(p.ts), value: p.value })));
      const window = await series.series(request({ from: new Date(day1 + DAY), to: new Date(day1 + 3 * DAY + 12 * HOUR) }));
      expect(window.map((r) => r.value)).toEqual([10, 20, -5]); // from inclusive, to exclusive
    });

    it('the refresh jobs materialised the continuous aggregates', async () => {
      for (const view of ['observation_hourly', 'observation_daily']) {
        expect(await count(`${materializedTables[view]} WHERE metric = 'test.series'`)).toBeGreaterThan(0);
      }
      const daily = await db.query<{ bucket: Date; n: number }>(
        `SELECT bucket, n FROM ${materializedTables.observation_daily} WHERE metric = 'test.series' ORDER BY bucket`,
      );
      expect(daily.rows).toEqual([
        { bucket: new Date(day1), n: 4 },
        { bucket: new Date(day1 + DAY), n: 3 },
        { bucket: new Date(day1 + 3 * DAY), n: 1 },
      ]);
    });

    const aggs: Aggregation[] = ['avg', 'sum', 'min', 'max', 'last'];
    const cases: { bucket: string; width: number; sources: SeriesSource[] }[] = [
      { bucket: '1 hour', width: HOUR, sources: ['raw', 'hourly'] },
      { bucket: '6 hours', width: 6 * HOUR, sources: ['raw', 'hourly'] },
      { bucket: '1 day', width: DAY, sources: ['raw', 'hourly', 'daily'] },
    ];
    for (const { bucket, width, sources } of cases) {
      for (const agg of aggs) {
        it(`bucket ${bucket}, ${agg}: ${sources.join(', ')} give the same numbers`, async () => {
          const expected = expectedBuckets(width, agg);
          for (const source of sources) {
            const rows = await series.series(request({ bucket, agg, source }));
            expect({ source, rows }).toEqual({ source, rows: expected });
          }
        });
      }
    }

    it('weekly and monthly buckets from the daily aggregate match raw values', async () => {
      for (const bucket of ['7 days', '1 month']) {
        for (const agg of aggs) {
          const raw = await series.series(request({ bucket, agg, source: 'raw' }));
          const daily = await series.series(request({ bucket, agg, source: 'daily' }));
          expect(daily).toEqual(raw);
        }
      }
      const monthly = await series.series(request({ bucket: '1 month', agg: 'sum', source: 'daily' }));
      expect(monthly).toEqual([{ ts: new Date('2025-04-30T17:00:00Z'), value: 46.5 }]);
    });

    describe('one data set, every source and bucket size: the numbers a hand computation gives', () => {
      // Ten weeks across a month end, two units, values dated 00:00 local (as daily figures are), within the day and
      // at 23:59 local, and revisions stored after a refresh. Every driver is held to the same hand-computed numbers,
      // so the embedded database and a server answer alike.
      const first = at('2025-01-27T00:00:00+07:00'); // a Monday
      const units = ['79', '01'];
      let state = 20250127;
      const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const data = new Map<string, NewObservation>();
      const put = (p: NewObservation) => data.set(`${p.unit}/${p.ts}`, p);
      for (let d = 0; d < 70; d++) {
        for (const unit of units) {
          put({ metric: 'test.equal', unit, ts: first + d * DAY, value: Math.round(random() * 1000) });
          if (d % 3 === 0)
            put({
              metric: 'test.equal',
              unit,
              ts: first + d * DAY + Math.floor(random() * 23) * HOUR + 17 * 60_000,
              value: Math.round(random() * 100) - 50,
            });
          if (d % 5 === 0) put({ metric: 'test.equal', unit, ts: first + (d + 1) * DAY - 60_000, value: Math.round(random() * 10) });
        }
      }
      const revised = [...data.values()].filter((_, i) => i % 7 === 0).map((p) => ({ ...p, value: p.value + 1000 }));
      const localMs = (ts: number) => ts + 7 * HOUR;
      const starts: Record<string, (ts: number) => number> = {
        '1 hour': (ts) => Math.floor(ts / HOUR) * HOUR,
        '1 day': (ts) => Math.floor(localMs(ts) / DAY) * DAY - 7 * HOUR,
        // weeks start on Monday local (time_bucket's origin, 3 Jan 2000, is a Monday)
        '7 days': (ts) => {
          const day = Math.floor(localMs(ts) / DAY);
          return (day - ((day + 3) % 7)) * DAY - 7 * HOUR;
        },
        '1 month': (ts) => {
          const local = new Date(localMs(ts));
          return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - 7 * HOUR;
        },
      };
      const sourcesFor: Record<string, SeriesSource[]> = {
        '1 hour': ['raw', 'hourly'],
        '1 day': ['raw', 'hourly', 'daily'],
        '7 days': ['raw', 'hourly', 'daily'],
        '1 month': ['raw', 'hourly', 'daily'],
      };

      function handComputed(bucket: string, agg: Aggregation, unit: string): { ts: Date; value: number }[] {
        const groups = new Map<number, NewObservation[]>();
        for (const p of data.values()) {
          if (p.unit !== unit) continue;
          const b = starts[bucket]!(p.ts);
          groups.set(b, [...(groups.get(b) ?? []), p]);
        }
        return [...groups.entries()]
          .sort(([a], [b]) => a - b)
          .map(([b, ps]) => {
            const values = ps.map((p) => p.value);
            const sum = values.reduce((total, v) => total + v, 0);
            const last = ps.reduce((l, p) => (p.ts > l.ts ? p : l)).value;
            return {
              ts: new Date(b),
              value: { avg: sum / values.length, sum, min: Math.min(...values), max: Math.max(...values), last }[agg],
            };
          });
      }

      beforeAll(async () => {
        await store([...data.values()], 'equal-1');
        await runAllJobs();
        // revisions of values already in refreshed buckets replace them
        expect(await store(revised, 'equal-2')).toEqual({ inserted: 0, revised: revised.length });
        for (const p of revised) put(p);
        await runAllJobs();
      });

      for (const bucket of Object.keys(starts)) {
        it(`${bucket} buckets: every source, every aggregation`, async () => {
          for (const unit of units) {
            for (const agg of aggs) {
              const expected = handComputed(bucket, agg, unit);
              for (const source of sourcesFor[bucket]!) {
                const rows = await series.series(
                  request({ metric: 'test.equal', units: [{ code: unit, until: null }], bucket, agg, source }),
                );
                expect({ unit, agg, source, rows: rows.map((r) => ({ ts: r.ts, value: Number(r.value.toFixed(9)) })) }).toEqual({
                  unit,
                  agg,
                  source,
                  rows: expected.map((r) => ({ ts: r.ts, value: Number(r.value.toFixed(9)) })),
                });
              }
            }
          }
        });
      }
    });

    it('daily buckets are Vietnamese calendar days', async () => {
      const points: NewObservation[] = [
        { metric: 'test.vnday', unit: '79', ts: at('2026-03-01T23:30:00+07:00'), value: 1 }, // 16:30 UTC, 1 Mar locally
        { metric: 'test.vnday', unit: '79', ts: at('2026-03-01T00:30:00+07:00'), value: 2 }, // 28 Feb 17:30 UTC, 1 Mar locally
        { metric: 'test.vnday', unit: '79', ts: at('2026-03-02T00:00:00+07:00'), value: 4 }, // first instant of 2 Mar locally
      ];
      await store(points, 'vnday-1');
      await runAllJobs();
      for (const source of ['raw', 'hourly', 'daily'] as const) {
        const rows = await series.series(request({ metric: 'test.vnday', bucket: '1 day', agg: 'sum', source }));
        expect({ source, rows }).toEqual({
          source,
          rows: [
            { ts: new Date('2026-02-28T17:00:00Z'), value: 3 },
            { ts: new Date('2026-03-01T17:00:00Z'), value: 4 },
          ],
        });
      }
    });

    it('one refresh run materialises backfilled values that sit exactly on a bucket start', async () => {
      // Days are dated 00:00 local, which starts both an hourly and a daily bucket. TimescaleDB's batched
      // policy refresh used to leave the newest such bucket for a later run (timescale/timescaledb#10221).
      const d = at('2025-08-10T00:00:00+07:00');
      await store(
        [
          { metric: 'test.boundary', unit: '79', ts: d - DAY + 30 * 60_000, value: 1 },
          { metric: 'test.boundary', unit: '79', ts: d - HOUR / 2, value: 2 },
          { metric: 'test.boundary', unit: '79', ts: d, value: 4 },
          { metric: 'test.boundary', unit: '79', ts: d + DAY, value: 8 },
        ],
        'boundary-1',
      );
      await runAllJobs();
      const hourly = await db.query<{ bucket: Date; sum_value: number }>(
        `SELECT bucket, sum_value FROM ${materializedTables.observation_hourly} WHERE metric = 'test.boundary' ORDER BY bucket`,
      );
      expect(hourly.rows).toEqual([
        { bucket: new Date(d - DAY), sum_value: 1 },
        { bucket: new Date(d - HOUR), sum_value: 2 },
        { bucket: new Date(d), sum_value: 4 },
        { bucket: new Date(d + DAY), sum_value: 8 },
      ]);
      const daily = await db.query<{ bucket: Date; sum_value: number }>(
        `SELECT bucket, sum_value FROM ${materializedTables.observation_daily} WHERE metric = 'test.boundary' ORDER BY bucket`,
      );
      expect(daily.rows).toEqual([
        { bucket: new Date(d - DAY), sum_value: 3 },
        { bucket: new Date(d), sum_value: 4 },
        { bucket: new Date(d + DAY), sum_value: 8 },
      ]);
    });

    it('the real-time aggregates include rows stored after the last refresh', async () => {
      // Beyond the refresh window (it ends a minute/hour before now), so never materialised by the jobs.
      const ts = Math.floor((Date.now() + 3 * DAY) / HOUR) * HOUR;
      await store([{ metric: 'test.realtime', unit: '79', ts, value: 42 }], 'realtime-1');
      await runAllJobs();
      for (const view of ['observation_hourly', 'observation_daily']) {
        expect(await count(`${materializedTables[view]} WHERE metric = 'test.realtime'`)).toBe(0);
      }
      const range = { metric: 'test.realtime', from: new Date(ts - 2 * DAY), to: new Date(ts + 2 * DAY), agg: 'max' as const };
      expect(await series.series(request({ ...range, bucket: '1 hour', source: 'hourly' }))).toEqual([{ ts: new Date(ts), value: 42 }]);
      const daily = await series.series(request({ ...range, bucket: '1 day', source: 'daily' }));
      expect(daily.map((r) => r.value)).toEqual([42]);
    });

    it('a revision of an already materialised value is picked up by the next refresh', async () => {
      const target = rawPoints[4]!; // 10 at 2025-05-02 00:00 local
      expect(await store([{ ...target, value: 110 }], 'series-2')).toEqual({ inserted: 0, revised: 1 });
      await runAllJobs();
      const rows = await series.series(
        request({ bucket: '1 day', agg: 'sum', source: 'daily', from: new Date(day1 + DAY), to: new Date(day1 + 2 * DAY) }),
      );
      expect(rows).toEqual([{ ts: new Date(day1 + DAY), value: 125 }]);
      const hourly = await series.series(
        request({ bucket: '1 hour', agg: 'max', source: 'hourly', from: new Date(target.ts), to: new Date(target.ts + HOUR) }),
      );
      expect(hourly).toEqual([{ ts: new Date(target.ts), value: 110 }]);
      await store([target], 'series-3'); // back to the original for the other tests
      await runAllJobs();
    });

    describe('several units', () => {
      const t0 = at('2025-06-28T00:00:00+07:00');
      const cutoff = at('2025-07-01T00:00:00+07:00');
      beforeAll(async () => {
        const points: NewObservation[] = [];
        for (let d = 0; d < 6; d += 1) {
          points.push({ metric: 'test.merge', unit: '79', ts: t0 + d * DAY, value: 100 + d });
          points.push({ metric: 'test.merge', unit: '74', ts: t0 + d * DAY, value: 10 * (d + 1) }); // still reported after the merger
        }
        points.push({ metric: 'test.merge', unit: '74', ts: cutoff - HOUR, value: 1 }); // the last hour before the cut-off
        await store(points, 'merge-1');
        await runAllJobs();
      });

      it('combines units with sum or avg at each time', async () => {
        const units = [
          { code: '79', until: null },
          { code: '74', until: null },
        ];
        const sum = await series.series(request({ metric: 'test.merge', units, combine: 'sum', to: new Date(t0 + 2 * DAY) }));
        expect(sum).toEqual([
          { ts: new Date(t0), value: 110 },
          { ts: new Date(t0 + DAY), value: 121 },
        ]);
        const avg = await series.series(request({ metric: 'test.merge', units, combine: 'avg', to: new Date(t0 + 2 * DAY) }));
        expect(avg).toEqual([
          { ts: new Date(t0), value: 55 },
          { ts: new Date(t0 + DAY), value: 60.5 },
        ]);
      });

      it('the until cut-off drops a predecessor from that instant on, in raw and aggregate sources alike', async () => {
        const units = [
          { code: '79', until: null },
          { code: '74', until: new Date(cutoff) },
        ];
        const raw = await series.series(request({ metric: 'test.merge', units, combine: 'sum' }));
        expect(raw).toEqual([
          { ts: new Date(t0), value: 100 + 10 },
          { ts: new Date(t0 + DAY), value: 101 + 20 },
          { ts: new Date(t0 + 2 * DAY), value: 102 + 30 },
          { ts: new Date(cutoff - HOUR), value: 1 },
          { ts: new Date(cutoff), value: 103 }, // 74's value at the cut-off instant is excluded
          { ts: new Date(t0 + 4 * DAY), value: 104 },
          { ts: new Date(t0 + 5 * DAY), value: 105 },
        ]);
        const expectedDaily = [
          { ts: new Date(t0), value: 110 },
          { ts: new Date(t0 + DAY), value: 121 },
          { ts: new Date(t0 + 2 * DAY), value: 133 },
          { ts: new Date(cutoff), value: 103 },
          { ts: new Date(t0 + 4 * DAY), value: 104 },
          { ts: new Date(t0 + 5 * DAY), value: 105 },
        ];
        for (const source of ['raw', 'hourly', 'daily'] as const) {
          const rows = await series.series(request({ metric: 'test.merge', units, combine: 'sum', bucket: '1 day', agg: 'sum', source }));
          expect({ source, rows }).toEqual({ source, rows: expectedDaily });
        }
      });

      it('returns limit + 1 rows when there are more than limit', async () => {
        const one = [{ code: '79', until: null }];
        expect(await series.series(request({ metric: 'test.merge', units: one, limit: 3 }))).toHaveLength(4);
        expect(await series.series(request({ metric: 'test.merge', units: one, limit: 6 }))).toHaveLength(6);
        const several = [
          { code: '79', until: null },
          { code: '74', until: null },
        ];
        const cut = await series.series(
          request({ metric: 'test.merge', units: several, limit: 2, bucket: '1 day', agg: 'sum', source: 'daily' }),
        );
        expect(cut.map((r) => r.ts)).toEqual([new Date(t0), new Date(t0 + DAY), new Date(t0 + 2 * DAY)]);
      });
    });

    it('latest returns the newest value at or before asOf for each unit', async () => {
      const t0 = at('2025-09-01T00:00:00+07:00');
      const received = new Date('2025-09-10T00:00:00Z');
      await store(
        [
          { metric: 'test.latest', unit: '79', ts: t0, value: 1 },
          { metric: 'test.latest', unit: '79', ts: t0 + DAY, value: 2 },
          { metric: 'test.latest', unit: '79', ts: t0 + 2 * DAY, value: 3 },
          { metric: 'test.latest', unit: '01', ts: t0, value: 10 },
          { metric: 'test.latest', unit: '48', ts: t0 + 2 * DAY, value: 30 },
        ],
        'latest-1',
        received,
      );
      const sortByUnit = <T extends { unit: string }>(rows: T[]) => [...rows].sort((a, b) => a.unit.localeCompare(b.unit));
      expect(sortByUnit(await series.latest('test.latest', new Date(t0 + DAY), null))).toEqual([
        { unit: '01', ts: new Date(t0), value: 10, receivedAt: received },
        { unit: '79', ts: new Date(t0 + DAY), value: 2, receivedAt: received }, // exactly at asOf counts
      ]);
      expect(sortByUnit(await series.latest('test.latest', new Date(t0 + 10 * DAY), null))).toEqual([
        { unit: '01', ts: new Date(t0), value: 10, receivedAt: received },
        { unit: '48', ts: new Date(t0 + 2 * DAY), value: 30, receivedAt: received },
        { unit: '79', ts: new Date(t0 + 2 * DAY), value: 3, receivedAt: received },
      ]);
      expect(await series.latest('test.latest', new Date(t0 + 10 * DAY), ['79', '99'])).toEqual([
        { unit: '79', ts: new Date(t0 + 2 * DAY), value: 3, receivedAt: received },
      ]);
      expect(await series.latest('test.latest', new Date(t0 - 1), null)).toEqual([]);
    });
  });

  describe('compressed chunks', () => {
    it('the compression job compresses old chunks, and storing into them still inserts and revises', async () => {
      const day1 = at('2025-05-01T00:00:00+07:00');
      try {
        await timescale.setCompressionPolicy('30 days');
        const job = (await timescale.listJobs()).find((j) => j.procName === 'policy_compression');
        expect(job).toBeDefined();
        await timescale.runJob(job!.jobId);
        const compressed = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM timescaledb_information.chunks
           WHERE hypertable_name = 'observation' AND is_compressed AND range_start <= $1 AND range_end > $1`,
          [new Date(day1).toISOString()],
        );
        expect(compressed.rows[0]!.n).toBe(1);

        const before = await series.series({
          metric: 'test.series',
          units: [{ code: '79', until: null }],
          from: null,
          to: new Date('2030-01-01T00:00:00Z'),
          bucket: null,
          agg: 'avg',
          combine: 'sum',
          source: 'raw',
          timezone: VN,
          limit: 1000,
        });
        expect(before).toHaveLength(8);

        const existing = { metric: 'test.series', unit: '79', ts: day1 + 5 * HOUR, value: 1 };
        expect(await store([existing], 'compressed-1')).toEqual({ inserted: 0, revised: 0 });
        expect(await store([{ ...existing, value: 99 }], 'compressed-2')).toEqual({ inserted: 0, revised: 1 });
        expect(await store([{ ...existing, ts: existing.ts + 60_000, value: 5 }], 'compressed-3')).toEqual({ inserted: 1, revised: 0 });
        const rows = await series.revisions('test.series', '79', new Date(existing.ts));
        expect(rows.map((r) => [r.revision, r.value])).toEqual([
          [2, 99],
          [1, 1],
        ]);
        expect(await count(`observation WHERE metric = 'test.series'`)).toBe(9);
      } finally {
        await timescale.setCompressionPolicy(null);
      }
    });
  });

  describe('Seeder', () => {
    let seeder: Seeder;
    beforeAll(() => {
      seeder = new Seeder(db, new CatalogRepository(db), new ObservationsRepository(db), { invalidate: () => undefined });
    });

    it('loads units, successions, metrics, targets and the historical figures', async () => {
      const report = await seeder.run();
      expect(report).toEqual({ units: 88, metrics: seedMetrics.length, targets: seedTargets.length, observations: seedHistory.length });
      expect(seedUnits).toHaveLength(88);

      const kinds = await db.query<{ kind: string; current: number; dissolved: number }>(
        `SELECT kind, count(*) FILTER (WHERE valid_until IS NULL)::int AS current, count(*) FILTER (WHERE valid_until IS NOT NULL)::int AS dissolved
         FROM unit GROUP BY kind ORDER BY kind`,
      );
      expect(kinds.rows).toEqual([
        { kind: 'ministry', current: 17, dissolved: 7 },
        { kind: 'nation', current: 1, dissolved: 0 },
        { kind: 'province', current: 34, dissolved: 29 },
      ]);

      expect(await count('unit_succession')).toBe(29 + 7);
      const succession = await db.query<{ predecessor: string; successor: string; effective_date: string }>(
        `SELECT predecessor, successor, effective_date::text FROM unit_succession WHERE predecessor IN ('74', 'BTTTT') ORDER BY predecessor`,
      );
      expect(succession.rows).toEqual([
        { predecessor: '74', successor: '79', effective_date: '2025-07-01' },
        { predecessor: 'BTTTT', successor: 'BKHCN', effective_date: '2025-03-01' },
      ]);

      const catalog = new CatalogRepository(db);
      const units = await catalog.listUnits();
      expect(units).toHaveLength(88);
      const hcmc = units.find((u) => u.code === '79')!;
      expect(hcmc.predecessors).toEqual(expect.arrayContaining(['74']));
      expect(units.find((u) => u.code === 'BKHDT')).toMatchObject({ symbol: 'BKHĐT', validUntil: '2025-03-01', successors: ['BTC'] });

      expect((await catalog.listMetrics()).map((m) => m.code).sort()).toEqual(seedMetrics.map((m) => m.code).sort());
      expect(await catalog.listTargets()).toHaveLength(seedTargets.length);

      expect(await count(`observation WHERE key_id = 'seed' AND batch_id LIKE 'seed:%'`)).toBe(seedHistory.length);
      expect(await count(`ingest_batch WHERE key_id = 'seed' AND batch_id LIKE 'seed:%'`)).toBe(
        new Set(seedHistory.map((h) => h.source)).size,
      );
      const first = seedHistory[0]!;
      const stored = await db.query<{ value: number }>(`SELECT value FROM observation WHERE metric = $1 AND unit = $2 AND ts = $3`, [
        first.metricCode,
        first.unitCode,
        new Date(first.ts).toISOString(),
      ]);
      expect(stored.rows).toEqual([{ value: first.value }]);
    });

    it('inserts nothing the second time', async () => {
      const before = await Promise.all(['unit', 'unit_succession', 'metric', 'target', 'observation', 'ingest_batch'].map((t) => count(t)));
      expect(await seeder.run()).toEqual({ units: 0, metrics: 0, targets: 0, observations: 0 });
      const after = await Promise.all(['unit', 'unit_succession', 'metric', 'target', 'observation', 'ingest_batch'].map((t) => count(t)));
      expect(after).toEqual(before);
    });

    it('keeps staff edits and only puts back what is missing', async () => {
      await db.query(`UPDATE unit SET name_en = 'Ho Chi Minh City (edited)' WHERE code = '79'`);
      await db.query(`UPDATE metric SET name_en = 'Edited metric' WHERE code = $1`, [seedMetrics[0]!.code]);
      const target = seedTargets[0]!;
      await db.query(`DELETE FROM target WHERE metric_code = $1 AND unit_code = $2 AND deadline = $3 AND value = $4`, [
        target.metricCode,
        target.unitCode,
        target.deadline,
        target.value,
      ]);
      expect(await seeder.run()).toEqual({ units: 0, metrics: 0, targets: 1, observations: 0 });
      const unit = await db.query<{ name_en: string }>(`SELECT name_en FROM unit WHERE code = '79'`);
      expect(unit.rows).toEqual([{ name_en: 'Ho Chi Minh City (edited)' }]);
      const metric = await db.query<{ name_en: string }>(`SELECT name_en FROM metric WHERE code = $1`, [seedMetrics[0]!.code]);
      expect(metric.rows).toEqual([{ name_en: 'Edited metric' }]);
      expect(await count('target')).toBe(seedTargets.length);
    });
  });
});

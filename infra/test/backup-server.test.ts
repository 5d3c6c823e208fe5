// backup.sh and restore.sh against a real TimescaleDB server (TEST_DATABASE_URL): a dxoc database is built the way
// production builds it (dxoc migrate and seed, values and revisions through the ingest API of a running dxoc serve),
// backed up, restored under a new name, and the two are compared table by table. backup.test.ts checks the order of
// the scripts' steps with stand-ins; only this file shows that the archive really restores on a server.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runBackendCli, startBackendProcess, type BackendProcess } from '@dxoc/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraDir } from '../src/files';

const run = promisify(execFile);
// tests choose their database: the server the backend's suites use too (README, "TimescaleDB in production")
const serverUrl = process.env.TEST_DATABASE_URL;
const scripts = { backup: path.join(infraDir, 'backup', 'backup.sh'), restore: path.join(infraDir, 'backup', 'restore.sh') };

/** A database URL on the same server and credentials as base. */
function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The client tools of the server's own PostgreSQL major (Debian's /usr/lib/postgresql/<major>/bin, PG_BIN to choose):
 * pg_dump refuses a newer server, and the psql on PATH may be another major's.
 */
async function clientTools(url: string): Promise<{ psql: string; pg_dump: string; pg_restore: string }> {
  const { stdout } = await run('psql', ['-X', '-At', '-d', url, '-c', 'SHOW server_version_num']);
  const major = Math.floor(Number(stdout.trim()) / 10000);
  // an explicit choice of tools, read once here like TEST_DATABASE_URL
  const dir = process.env.PG_BIN ?? `/usr/lib/postgresql/${major}/bin`;
  const tool = (name: string) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : name);
  return { psql: tool('psql'), pg_dump: tool('pg_dump'), pg_restore: tool('pg_restore') };
}

let tools: Awaited<ReturnType<typeof clientTools>>;

/** Rows of one query as tab-separated lines (psql -At): compared as text, so every column's exact value counts. */
async function sql(url: string, query: string): Promise<string[]> {
  // PGTZ: times print in UTC whatever the server's TimeZone, so expectations can name them
  const { stdout } = await run(tools.psql, ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PGTZ: 'UTC' },
  });
  return stdout.split('\n').filter((line) => line !== '');
}
const one = async (url: string, query: string) => (await sql(url, query))[0] ?? '';

async function cli(args: string[], url: string): Promise<string> {
  const result = await runBackendCli(args, { DATABASE_URL: url, DXOC_LOG_LEVEL: 'warn' }, 180_000);
  if (result.code !== 0) throw new Error(`dxoc ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return result.stdout.trim().split('\n').at(-1) ?? '';
}

async function post(server: BackendProcess, key: string, batchId: string, points: object[]) {
  const response = await fetch(`${server.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batchId, points }),
  });
  const body = (await response.json()) as { accepted?: number; revised?: number; duplicate?: boolean };
  if (response.status !== 202) throw new Error(`ingest ${batchId}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function read(server: BackendProcess, token: string, pathAndQuery: string): Promise<unknown> {
  const response = await fetch(`${server.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

// Fourteen Vietnamese days in August 2026 (after the 1 Jul 2025 merger, so units 79 and 01 are current), long
// enough ago that their chunks may be compressed, as the 90-day compression policy does in production.
const UNITS = ['01', '79', '48', '31'];
const DAYS = Array.from({ length: 14 }, (_, i) => `2026-08-${String(i + 1).padStart(2, '0')}T00:00:00+07:00`);
const HOURS = Array.from({ length: 6 }, (_, i) => `2026-08-03T${String(8 + i).padStart(2, '0')}:00:00+07:00`);
const applications = (unit: string, day: number) => 1000 + Number(unit) * 10 + day;

// What the API answered on the source before the backup: the restored database must answer the same.
const SERIES_READS = [
  '/api/v1/series?metric=onestop.applications_received&unit=79&from=2026-07-31T00:00:00%2B07:00&to=2026-08-16T00:00:00%2B07:00&bucket=1d',
  '/api/v1/series?metric=onestop.applications_received&unit=01&from=2026-08-03T00:00:00%2B07:00&to=2026-08-04T00:00:00%2B07:00&bucket=1h',
  '/api/v1/series?metric=dvc.level4_share&unit=48&from=2026-07-31T00:00:00%2B07:00&to=2026-08-16T00:00:00%2B07:00',
  `/api/v1/history?metric=onestop.applications_received&unit=79&ts=${encodeURIComponent(DAYS[2]!)}`,
];

describe.skipIf(!serverUrl)('backup.sh and restore.sh on the TimescaleDB server at TEST_DATABASE_URL (skipped without it)', () => {
  const suffix = randomBytes(5).toString('hex');
  const names = { source: `dxoc_backup_src_${suffix}`, restored: `dxoc_backup_restored_${suffix}` };
  let urls: { source: string; restored: string };
  let work: string;
  let dump: string;
  let token: string;
  let key: string;
  let timescaledbVersion: string;
  const apiBefore = new Map<string, unknown>();
  const backupLog = { stdout: '', stderr: '' };
  const restoreLog = { stdout: '', stderr: '' };

  beforeAll(async () => {
    urls = { source: databaseUrl(serverUrl!, names.source), restored: databaseUrl(serverUrl!, names.restored) };
    tools = await clientTools(serverUrl!);
    work = mkdtempSync(path.join(tmpdir(), 'dxoc-backup-server-'));
    dump = path.join(work, 'dxoc.dump');

    // The extension at the version of the database TEST_DATABASE_URL names: a server may have several installed
    // (its default can be newer), and a backup is restored onto the version it came from.
    timescaledbVersion =
      (await one(serverUrl!, `SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`)) ||
      (await one(serverUrl!, `SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'`));
    await sql(serverUrl!, `CREATE DATABASE ${names.source}`);
    await sql(urls.source, `CREATE EXTENSION timescaledb VERSION '${timescaledbVersion}'`);

    await cli(['migrate'], urls.source);
    await cli(['seed'], urls.source);
    key = await cli(['keys', 'create', '--all-units', '--name', 'backup drill'], urls.source);
    token = await cli(['viewer-tokens', 'create', '--name', 'backup drill'], urls.source);

    const server = await startBackendProcess({ DATABASE_URL: urls.source, DXOC_LOG_LEVEL: 'warn' });
    try {
      const daily = UNITS.flatMap((unit) =>
        DAYS.map((ts, day) => ({ metric: 'onestop.applications_received', unit, ts, value: applications(unit, day) })),
      );
      const hourly = HOURS.map((ts, hour) => ({ metric: 'onestop.applications_received', unit: '01', ts: ts, value: 10 + hour }));
      const shares = UNITS.flatMap((unit) => DAYS.map((ts, day) => ({ metric: 'dvc.level4_share', unit, ts, value: 40 + day })));
      expect((await post(server, key, 'drill-days', daily)).accepted).toBe(daily.length);
      expect((await post(server, key, 'drill-hours', hourly.slice(1))).accepted).toBe(hourly.length - 1);
      expect((await post(server, key, 'drill-shares', shares)).accepted).toBe(shares.length);
      // Revisions: the same (metric, unit, ts) sent again with a new value, twice for one of them, so that
      // observation_revision holds revisions 1 and 2 and observation revision 3.
      const revised = [
        { metric: 'onestop.applications_received', unit: '79', ts: DAYS[2]!, value: 5000 },
        { metric: 'onestop.applications_received', unit: '01', ts: DAYS[5]!, value: 6000 },
        { metric: 'dvc.level4_share', unit: '48', ts: DAYS[9]!, value: 99.5 },
      ];
      expect((await post(server, key, 'drill-revise-1', revised)).revised).toBe(3);
      expect((await post(server, key, 'drill-revise-2', [{ ...revised[0]!, value: 5100 }, hourly[0]!])).revised).toBe(1);
      for (const read_ of SERIES_READS) apiBefore.set(read_, await read(server, token, read_));
    } finally {
      await server.stop();
    }

    // Everything materialised and compressed before the backup: the archive must carry the aggregates'
    // materialisations and compressed chunks, not only raw rows the restored server would recompute.
    await sql(urls.source, `CALL refresh_continuous_aggregate('observation_hourly', NULL, NULL)`);
    await sql(urls.source, `CALL refresh_continuous_aggregate('observation_daily', NULL, NULL)`);
    await sql(
      urls.source,
      `SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('observation', older_than => INTERVAL '60 days') c`,
    );

    const env = { ...process.env, PSQL: tools.psql, PG_DUMP: tools.pg_dump, PG_RESTORE: tools.pg_restore };
    Object.assign(backupLog, await run('bash', [scripts.backup, dump], { env: { ...env, DATABASE_URL: urls.source }, cwd: work }));
    Object.assign(restoreLog, await run('bash', [scripts.restore, dump], { env: { ...env, DATABASE_URL: urls.restored }, cwd: work }));
  }, 600_000);

  afterAll(async () => {
    if (!urls) return;
    for (const name of [names.source, names.restored])
      await sql(serverUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => []);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  /** The same query on both databases: equal, and not empty (an empty comparison proves nothing). */
  async function same(query: string): Promise<string[]> {
    const [source, restored] = await Promise.all([sql(urls.source, query), sql(urls.restored, query)]);
    expect(source.length, query).toBeGreaterThan(0);
    expect(restored).toEqual(source);
    return source;
  }

  it('backup.sh wrote the archive and its .meta with the TimescaleDB version; restore.sh installed that version', async () => {
    expect(readFileSync(`${dump}.meta`, 'utf8')).toContain(`timescaledb_version=${timescaledbVersion}\n`);
    expect(restoreLog.stderr).toContain(`installing TimescaleDB ${timescaledbVersion}`);
    expect(await one(urls.restored, `SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`)).toBe(timescaledbVersion);
    // out of restoring mode: TimescaleDB's background jobs run again on the restored database
    expect(await one(urls.restored, `SHOW timescaledb.restoring`)).toBe('off');
  });

  it('keeps the count, sum and time range of every series, seeded history and ingested values alike', async () => {
    // summed as numeric: a float sum depends on the order rows are read in, which a restore may change
    const series = await same(
      `SELECT metric, unit, count(*), sum(value::numeric), min(ts), max(ts), sum(revision) FROM observation GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    // unit 79's days as sent, with day 3 revised twice (to 5100): 3 revisions on top of 14 values
    const sum79 = DAYS.reduce((sum, _, day) => sum + applications('79', day), 0) - applications('79', 2) + 5100;
    const first = '2026-07-31 17:00:00+00';
    const last = '2026-08-13 17:00:00+00';
    expect(series).toContain(['onestop.applications_received', '79', '14', String(sum79), first, last, '16'].join('\t'));
    expect(series.length).toBeGreaterThan(8); // the seeded historical figures are there too
  });

  it('keeps every revision and the provenance of every value (batch, key, received_at, revision, stream position)', async () => {
    const revisions = await same(`SELECT * FROM observation_revision ORDER BY metric, unit, ts, revision`);
    expect(revisions.map((row) => row.split('\t').slice(0, 2).concat(row.split('\t')[4]!).join(' '))).toEqual([
      'dvc.level4_share 48 1',
      'onestop.applications_received 01 1',
      'onestop.applications_received 79 1',
      'onestop.applications_received 79 2',
    ]);
    await same(
      `SELECT metric, unit, ts, value, revision, batch_id, key_id, received_at, stream_seq FROM observation ORDER BY metric, unit, ts`,
    );
    await same(`SELECT * FROM ingest_batch ORDER BY key_id, batch_id`);
    await same(`SELECT id, name, unit_codes, secret_hash, created_at, revoked_at FROM agent_key ORDER BY id`);
    // new values continue after the restored stream positions: a wall's cursor from before the restore stays valid
    await same(`SELECT last_value, is_called FROM observation_stream_seq`);
  });

  it('keeps the continuous aggregates: their answers and their materialised rows', async () => {
    await same(`SELECT * FROM observation_hourly ORDER BY metric, unit, bucket`);
    await same(`SELECT * FROM observation_daily ORDER BY metric, unit, bucket`);
    for (const view of ['observation_hourly', 'observation_daily']) {
      const materialised = await same(`
        SELECT format('SELECT count(*) FROM %I.%I', materialization_hypertable_schema, materialization_hypertable_name)
        FROM timescaledb_information.continuous_aggregates WHERE view_name = '${view}'`);
      const counted = await same(materialised[0]!);
      expect(Number(counted[0]), view).toBeGreaterThan(0);
    }
  });

  it('keeps compressed chunks compressed, with their values', async () => {
    const [compressed] = await same(
      `SELECT count(*) FILTER (WHERE is_compressed) FROM timescaledb_information.chunks WHERE hypertable_name = 'observation'`,
    );
    expect(Number(compressed)).toBeGreaterThan(0);
  });

  it('restores the TimescaleDB jobs (aggregate refreshes, compression), scheduled', async () => {
    const jobs = await same(`
      SELECT proc_name, hypertable_name, schedule_interval, config - 'mat_hypertable_id' - 'hypertable_id', scheduled
      FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY proc_name, hypertable_name`);
    const procs = jobs.map((row) => row.split('\t').slice(0, 2).join(' '));
    expect(procs).toEqual(
      expect.arrayContaining([
        'policy_refresh_continuous_aggregate observation_hourly',
        'policy_refresh_continuous_aggregate observation_daily',
        'policy_compression observation',
      ]),
    );
    expect(jobs.every((row) => row.endsWith('\tt'))).toBe(true);
  });

  it('serves the restored database: nothing to migrate, the same answers, the same viewer token, new revisions continue', async () => {
    await cli(['migrate'], urls.restored);
    const server = await startBackendProcess({ DATABASE_URL: urls.restored, DXOC_LOG_LEVEL: 'warn' });
    try {
      for (const [read_, before] of apiBefore) expect(await read(server, token, read_), read_).toEqual(before);
      // the history read lists the revisions (5000, then 5100)
      expect(JSON.stringify(apiBefore.get(SERIES_READS[3]!))).toContain('5100');
      // the agent key works on the restored database, and the next revision of a value is its fourth
      const again = await post(server, key, 'drill-after-restore', [
        { metric: 'onestop.applications_received', unit: '79', ts: DAYS[2]!, value: 5200 },
      ]);
      expect(again.revised).toBe(1);
      expect(
        await one(
          urls.restored,
          `SELECT revision FROM observation WHERE metric = 'onestop.applications_received' AND unit = '79' AND ts = '${DAYS[2]}'`,
        ),
      ).toBe('4');
    } finally {
      await server.stop();
    }
  });
});

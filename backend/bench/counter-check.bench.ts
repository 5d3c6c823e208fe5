/**
 * Counter check benchmark (issue 14 goal 2; not part of the test suite):
 *
 *   npm run bench:counter-check [-- --rounds=N --batch=N --series=N --step-minutes=N]
 *
 * Ingest refuses a counter value that goes backwards against its stored neighbours. Before latest_value the
 * neighbours were looked up with no bound on time (ObservationsRepository.counterNeighboursByScan, kept as the
 * fallback), so the lookup planned every chunk of a series' history; now (boundedCounterNeighbours) a new point's
 * previous neighbour is its latest_value row, and a backfill looks within a week of the batch.
 *
 * --series counter series (4) get 1 week of history (one point every --step-minutes, 60), are measured, then their
 * history is extended back to 1 year, measured, and to 3 years, measured. Each measurement is --rounds rounds (15)
 * of batches of --batch points (100, spread over the series) written through the repository the way
 * IngestService writes one (stream lock, neighbour lookup, insert, pipelined in one transaction), once with the old
 * lookup and once with the new, side by side:
 *   - "new points": points newer than each series' latest (the common case);
 *   - "backfill": points between two stored ones of the last week (a different gap for every batch);
 * and each lookup statement alone. Prints median and p90 milliseconds per batch. Figures only, no pass/fail.
 *
 * On the embedded database (DATABASE_URL unset, in process) or on a fresh database `dxoc_bench_counter_<random>`
 * of the TimescaleDB server DATABASE_URL names (dropped at the end).
 */
import 'reflect-metadata';
import os from 'node:os';
import type { Database } from '../src/db/database';
import { migrate } from '../src/db/migrator';
import { PgDatabase } from '../src/db/pg-database';
import { PGliteDatabase } from '../src/db/pglite-database';
import { ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import { createBenchDatabase } from './server-database';
import { onCleanup, out, parseBenchArgs, positive, runBenchmark } from './server-process';
import { percentile } from './support';

const MINUTE = 60_000;
const DAY = 86_400_000;
const KEY = 'counter-check-bench';
const GROUPS = [
  { name: '1 week', days: 7 },
  { name: '1 year', days: 365 },
  { name: '3 years', days: 3 * 365 },
] as const;

type Mode = 'old' | 'new';
type Probe = NewObservation & { index: number };

async function main(): Promise<number> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      rounds: { type: 'string' },
      batch: { type: 'string' },
      series: { type: 'string' },
      'step-minutes': { type: 'string' },
      help: { type: 'boolean' },
    },
    [
      'npm run bench:counter-check [-- --rounds=15 --batch=100 --series=4 --step-minutes=60]',
      'DATABASE_URL=postgresql://… for a TimescaleDB server',
    ],
  );
  const rounds = positive('rounds', args.rounds, 15);
  const batch = positive('batch', args.batch, 100);
  const seriesCount = positive('series', args.series, 4);
  const step = positive('step-minutes', args['step-minutes'], 60) * MINUTE;
  const perSeries = Math.ceil(batch / seriesCount);

  const url = process.env.DATABASE_URL || null;
  let db: Database;
  let where: string;
  if (url) {
    const bench = await createBenchDatabase(url, 'dxoc_bench_counter');
    db = PgDatabase.connect(bench.url, 2);
    where = `TimescaleDB server, PostgreSQL ${bench.postgresVersion}, TimescaleDB ${bench.timescaledbVersion} (${bench.versionSource})`;
  } else {
    db = await PGliteDatabase.open();
    where = 'embedded TimescaleDB (PGlite, in process)';
  }
  onCleanup(() => db.close());
  await migrate(db);
  const observations = new ObservationsRepository(db);
  out(`database: ${where}`);
  out(
    `machine: ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // The history grows phase by phase (1 week, then back to 1 year, then to 3 years) in one database, so the
  // hypertable holds only that much history when each phase is measured: the old lookup plans every chunk of it.
  const end = Math.floor((Date.now() - DAY) / MINUTE) * MINUTE;
  const metric = 'bench.counter';
  const timings = new Map<string, number[]>();
  const record = (key: string, ms: number) => {
    const list = timings.get(key);
    if (list) list.push(ms);
    else timings.set(key, [ms]);
  };
  let fallbacks = 0;
  let batchNo = 0;
  let backfills = 0;
  // new points advance a cursor (each batch is newer than everything stored)
  let cursor = end;
  let storedFrom = end + step;
  const chunksOf = new Map<string, number>();

  const write = async (mode: Mode, probes: Probe[]): Promise<number> => {
    batchNo += 1;
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      const [, , found] = await Promise.all([
        observations.joinStreamWriters(tx),
        observations.lockCounterSeries(tx, probes),
        mode === 'old' ? observations.counterNeighboursByScan(probes, tx) : observations.boundedCounterNeighbours(probes, tx),
        observations.store(tx, probes, `bench-${batchNo}`, KEY, new Date()),
      ]);
      if (found.some((n) => n === null)) fallbacks += 1;
    });
    return performance.now() - t0;
  };
  const lookup = async (mode: Mode, probes: Probe[]): Promise<number> => {
    const t0 = performance.now();
    if (mode === 'old') await observations.counterNeighboursByScan(probes);
    else await observations.boundedCounterNeighbours(probes);
    return performance.now() - t0;
  };
  const valueAt = (ts: number) => (ts - end) / MINUTE + 1e9;

  for (const group of GROUPS) {
    const started = Date.now();
    const points: NewObservation[] = [];
    const from = end - group.days * DAY;
    for (let s = 0; s < seriesCount; s += 1)
      for (let ts = storedFrom - step; ts >= from; ts -= step) points.push({ metric, unit: `u${s}`, ts, value: valueAt(ts) });
    for (let i = 0; i < points.length; i += 5000) {
      const chunk = points.slice(i, i + 5000);
      await db.transaction((tx) => observations.store(tx, chunk, `history-${group.days}-${i}`, KEY, new Date()));
    }
    storedFrom = Math.min(storedFrom, ...points.map((p) => p.ts));
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'observation'`,
    );
    chunksOf.set(group.name, rows[0]?.n ?? 0);
    out(
      `${group.name}: history extended by ${points.length} points in ${((Date.now() - started) / 1000).toFixed(1)} s; ${rows[0]?.n} chunks`,
    );

    for (let round = 0; round < rounds; round += 1) {
      const modes: Mode[] = round % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
      for (const mode of modes) {
        const fresh: Probe[] = [];
        for (let s = 0; s < seriesCount; s += 1)
          for (let k = 1; k <= perSeries; k += 1)
            fresh.push({ index: fresh.length, metric, unit: `u${s}`, ts: cursor + k * MINUTE, value: valueAt(cursor + k * MINUTE) });
        cursor += perSeries * MINUTE;
        const newMs = await write(mode, fresh);
        // backfill: between two stored points of the last week, in a gap between them no other batch uses (a
        // window shared by every batch would fill up, and the lookup would return more rows each round)
        backfills += 1;
        const gapStart = end - backfills * step;
        const back: Probe[] = [];
        for (let s = 0; s < seriesCount; s += 1)
          for (let k = 1; k <= perSeries; k += 1) {
            const ts = gapStart + Math.round((k * step) / (perSeries + 1));
            back.push({ index: back.length, metric, unit: `u${s}`, ts, value: valueAt(ts) });
          }
        const backMs = await write(mode, back);
        const lookupMs = await lookup(mode, fresh);
        const lookupBackMs = await lookup(mode, back);
        if (round === 0) continue;
        record(`${group.name}|${mode}|lookup backfill`, lookupBackMs);
        record(`${group.name}|${mode}|new points`, newMs);
        record(`${group.name}|${mode}|backfill`, backMs);
        record(`${group.name}|${mode}|lookup`, lookupMs);
      }
    }
  }
  out(
    `batches of ${seriesCount * perSeries} counter points (${seriesCount} series × ${perSeries}), ${rounds} rounds per history, old and new alternating`,
  );
  out();

  const fmt = (key: string) => {
    const sorted = [...(timings.get(key) ?? [])].sort((a, b) => a - b);
    return `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 90).toFixed(1)}`;
  };
  out('ms per batch, median / p90 (first round is warm-up, not counted)');
  out('| history (chunks) | batch kind | old lookup (every chunk) | new lookup (latest_value + window) |');
  out('|---|---|---|---|');
  for (const group of GROUPS)
    for (const kind of ['new points', 'backfill', 'lookup', 'lookup backfill']) {
      const label =
        kind === 'lookup'
          ? 'lookup statement alone (new points)'
          : kind === 'lookup backfill'
            ? 'lookup statement alone (backfill)'
            : `ingest transaction, ${kind}`;
      out(
        `| ${group.name} (${chunksOf.get(group.name)}) | ${label} | ${fmt(`${group.name}|old|${kind}`)} | ${fmt(`${group.name}|new|${kind}`)} |`,
      );
    }
  out();
  out(`bounded lookups that needed the exhaustive fallback: ${fallbacks}`);
  out(
    `machine load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  return 0;
}

runBenchmark('bench:counter-check', main);

/**
 * How the points of a batch travel to a `pg` database (issue 14 goal 1; not part of the test suite):
 *
 *   npm run bench:array-params [-- --rounds=N --points=N]
 *   DATABASE_URL=postgresql://…/<db> npm run bench:array-params [-- --rounds=N --points=N --clients=N --duration=SECONDS]
 *
 * The ingest statements take a batch as four arrays (metric, unit, ts as epoch ms, value): as text literals
 * ('{"a","b"}', '{1.5,2}'), or in PostgreSQL's binary array format (src/db/binary-arrays.ts), which ingest sends to
 * a server. Side by side in each round:
 *   - node: building the four arrays of a batch and `pg`'s Bind message around them, in nanoseconds per point;
 *   - with DATABASE_URL, the server: ObservationsRepository.storeNewBatch (the one-statement write of a new batch)
 *     from --clients connections for --duration seconds with each format, in a fresh database `dxoc_bench_arrays_*`
 *     (dropped at the end), migrated and seeded as `dxoc serve` does: postgres CPU (the database's backends) and this
 *     process's CPU per point (it also makes the points), and points/s.
 * Prints the median of the rounds and the ratios binary / text. Figures only, no pass/fail.
 */
import 'reflect-metadata';
import os from 'node:os';
import { serialize } from 'pg-protocol';
import { seedUnits } from '@dxoc/contracts/reference';
import { CatalogRepository } from '../src/catalog/catalog.repository';
import { binaryFloat8Array, binaryTextArray } from '../src/db/binary-arrays';
import { migrate } from '../src/db/migrator';
import { PgDatabase } from '../src/db/pg-database';
import { ObservationsRepository, type ObservationColumns } from '../src/ingest/observations.repository';
import { Seeder } from '../src/seed/seeder';
import { createBenchDatabase, postgresCpuDelta } from './server-database';
import { out, parseBenchArgs, positive, runBenchmark } from './server-process';
import { percentile, sleep } from './support';

const PROVINCES: readonly string[] = seedUnits.filter((u) => u.kind === 'province' && u.validUntil === null).map((u) => u.code);
const FORMATS = ['text', 'binary'] as const;
type Format = (typeof FORMATS)[number];

/** Points no batch has sent before: one metric over the provinces, a millisecond apart, from an hour ago. */
class Points {
  private next = 0;
  private readonly base = Date.now() - 3_600_000;
  columns(count: number): ObservationColumns {
    const c: ObservationColumns = { metric: [], unit: [], ts: [], value: [] };
    for (let k = 0; k < count; k += 1) {
      const i = this.next++;
      c.metric.push('einvoice.issued');
      c.unit.push(PROVINCES[i % PROVINCES.length] as string);
      c.ts.push(this.base + Math.floor(i / PROVINCES.length));
      c.value.push(((i * 7919) % 100_000) / 100);
    }
    return c;
  }
}

/** The four arrays as ingest sends them in each format (the text literals of observations.repository.ts). */
const encoders: Record<Format, (c: ObservationColumns) => unknown[]> = {
  text: (c) => [`{"${c.metric.join('","')}"}`, `{"${c.unit.join('","')}"}`, `{${c.ts.join(',')}}`, `{${c.value.join(',')}}`],
  binary: (c) => [binaryTextArray(c.metric), binaryTextArray(c.unit), binaryFloat8Array(c.ts), binaryFloat8Array(c.value)],
};

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

function nodeRounds(rounds: number, points: number): Record<Format, number[]> {
  const batches = Array.from({ length: 50 }, () => new Points().columns(points));
  const perPoint: Record<Format, number[]> = { text: [], binary: [] };
  for (let round = 0; round < rounds; round += 1)
    for (const format of FORMATS) {
      const started = process.hrtime.bigint();
      let bytes = 0;
      for (const batch of batches) bytes += serialize.bind({ values: encoders[format](batch) as never }).length;
      if (bytes === 0) throw new Error('nothing serialized');
      perPoint[format].push(Number(process.hrtime.bigint() - started) / (batches.length * points));
    }
  return perPoint;
}

interface ServerRound {
  rate: number;
  postgresUsPerPoint: number | null;
  nodeUsPerPoint: number;
}

async function serverRounds(url: string, options: { rounds: number; points: number; clients: number; durationS: number }) {
  const bench = await createBenchDatabase(url, 'dxoc_bench_arrays');
  out(`database ${bench.name}: PostgreSQL ${bench.postgresVersion}, TimescaleDB ${bench.timescaledbVersion} (${bench.versionSource})`);
  const db = PgDatabase.connect(bench.url, options.clients + 1);
  try {
    await migrate(db);
    await new Seeder(db, new CatalogRepository(db), new ObservationsRepository(db), { invalidate: () => undefined }).run();
    await db.query(`INSERT INTO agent_key (id, name) VALUES ('bench-arrays', 'bench:array-params')`);
    const repositories: Record<Format, ObservationsRepository> = {
      text: new ObservationsRepository(db, 'text'),
      binary: new ObservationsRepository(db, 'binary'),
    };
    const source = new Points();
    let sequence = 0;
    const results: Record<Format, ServerRound[]> = { text: [], binary: [] };
    for (let round = 0; round <= options.rounds; round += 1)
      for (const format of FORMATS) {
        let stop = false;
        let counting = false;
        let stored = 0;
        const client = async () => {
          while (!stop) {
            const columns = source.columns(options.points);
            const outcome = await repositories[format].storeNewBatch(
              {
                keyId: 'bench-arrays',
                batchId: `${format}-${(sequence += 1)}`,
                contentHash: 'bench',
                pointCount: options.points,
                receivedAt: new Date(),
                source: null,
                units: [...new Set(columns.unit)],
              },
              columns,
            );
            if (!outcome?.isNew) throw new Error('a batch was not stored');
            if (counting) stored += options.points;
          }
        };
        const clients = Array.from({ length: options.clients }, client);
        await sleep(1000);
        const postgresStart = await bench.cpu.sample();
        const nodeStart = process.cpuUsage();
        const started = performance.now();
        counting = true;
        await sleep(options.durationS * 1000);
        counting = false;
        const seconds = (performance.now() - started) / 1000;
        const node = process.cpuUsage(nodeStart);
        const postgres = postgresCpuDelta(postgresStart, await bench.cpu.sample()).database;
        stop = true;
        await Promise.all(clients);
        // round 0 warms both formats up (the prepared statement, the first chunk): not counted
        if (round === 0) continue;
        results[format].push({
          rate: stored / seconds,
          postgresUsPerPoint: postgres === null ? null : (postgres * 1e6) / stored,
          nodeUsPerPoint: (node.user + node.system) / stored,
        });
        out(
          `round ${round}, ${format}: ${Math.round(stored / seconds).toLocaleString('en-US')} points/s, postgres ${postgres === null ? 'n/a' : ((postgres * 1e6) / stored).toFixed(2)} µs, this process ${((node.user + node.system) / stored).toFixed(2)} µs per point`,
        );
      }
    return results;
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    {
      rounds: { type: 'string' },
      points: { type: 'string' },
      clients: { type: 'string' },
      duration: { type: 'string' },
      help: { type: 'boolean' },
    },
    ['npm run bench:array-params [-- --rounds=5 --points=1000 --clients=4 --duration=4]  (DATABASE_URL: also on that server)'],
  );
  const options = {
    rounds: positive('rounds', args.rounds, 5),
    points: positive('points', args.points, 1000),
    clients: positive('clients', args.clients, 4),
    durationS: positive('duration', args.duration, 4),
  };
  out(
    `node ${process.version}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; batches of ${options.points} points`,
  );
  const node = nodeRounds(Math.max(options.rounds, 9), options.points);
  const [textNs, binaryNs] = [median(node.text), median(node.binary)];
  out(
    `node, the four arrays and pg's Bind message: text ${textNs.toFixed(0)} ns, binary ${binaryNs.toFixed(0)} ns per point (median); binary / text ${(binaryNs / textNs).toFixed(2)}`,
  );
  const url = process.env.DATABASE_URL;
  if (!url) {
    out('DATABASE_URL unset: the server side is not measured');
    return 0;
  }
  const server = await serverRounds(url, options);
  const summary = (format: Format) => {
    const rounds = server[format];
    const postgres = rounds.map((r) => r.postgresUsPerPoint).filter((v): v is number => v !== null);
    return {
      rate: median(rounds.map((r) => r.rate)),
      postgres: postgres.length ? median(postgres) : Number.NaN,
      node: median(rounds.map((r) => r.nodeUsPerPoint)),
    };
  };
  const [text, binary] = [summary('text'), summary('binary')];
  for (const [name, s] of [
    ['text', text],
    ['binary', binary],
  ] as const)
    out(
      `server, storeNewBatch, ${name}: ${Math.round(s.rate).toLocaleString('en-US')} points/s, postgres ${s.postgres.toFixed(2)} µs, this process ${s.node.toFixed(2)} µs per point (medians)`,
    );
  out(
    `binary / text: points/s ${(binary.rate / text.rate).toFixed(2)}, postgres CPU per point ${(binary.postgres / text.postgres).toFixed(2)}, this process ${(binary.node / text.node).toFixed(2)}`,
  );
  return 0;
}

runBenchmark('array-params', main);

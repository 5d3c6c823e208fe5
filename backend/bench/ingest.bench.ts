/**
 * Ingest benchmark (not part of the test suite):
 *
 *   npm run bench:ingest [-- --duration=SECONDS --warmup=SECONDS --points=N --clients=N --batch=N --rounds=N --profile=DIR]
 *
 * On the embedded database (DATABASE_URL unset), --rounds rounds (3) of, one after the other:
 * 1. points/s through the HTTP API of the real server (`dxoc serve` in a separate process), with
 *    concurrent clients posting batches of 1,000 points for --duration seconds after a warm-up;
 * 2. raw insert rate: ObservationsRepository.store into the hypertable of a fresh embedded database in this process
 *    (seeded as the server's), transactions of 5,000 points, as many points as the API's database grew by in the
 *    round (both rates fall as a database outgrows PGlite's shared buffers: the two stay the same size; --points=0
 *    skips it);
 * then a table with both rates and their ratio (over all rounds, and the median of the rounds' ratios: the machine's
 * speed drifts over a minute, and alike for the two figures of one round), batch latencies, errors, the server's RSS.
 *
 * On the TimescaleDB server DATABASE_URL names: a fresh database `dxoc_bench_<random>` on it (the TimescaleDB
 * version of the named database, dropped at the end) that `dxoc serve` migrates and seeds, then --rounds rounds
 * (3) of, side by side: the server's raw rate — `INSERT … SELECT FROM unnest(…)` into the observation hypertable
 * over 2 `pg` connections, 5,000 rows per statement, the rows the API stores — for --duration seconds (10), and
 * the API for as long; their ratio; the CPU seconds of the node server and of the postgres processes in each
 * window, and points per (node + postgres) CPU-second.
 *
 * Missed goals are printed, not failed: the exit code is non-zero only when the benchmark itself cannot
 * run (server does not start, key creation fails, nothing accepted). --profile writes a V8 CPU profile of
 * the server (--cpu-prof) and prints where its main thread spent the measurement window.
 */
import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { seedUnits } from '@dxoc/contracts/reference';
import { CatalogRepository } from '../src/catalog/catalog.repository';
import { Seeder } from '../src/seed/seeder';
import { migrate } from '../src/db/migrator';
import { PGliteDatabase } from '../src/db/pglite-database';
import { ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import pg from 'pg';
import { printProfileSummary, profileFileFor, summariseProfile } from './cpuprofile';
import { createBenchDatabase, type PostgresCpu, postgresCpuDelta } from './server-database';
import {
  parseBenchArgs,
  createKey,
  onCleanup,
  out,
  positive,
  runBenchmark,
  startServer,
  tempDir,
  UsageError,
  type ServerProcess,
} from './server-process';
import { cpuSeconds, formatBytes, formatMs, formatRate, peakRssBytes, percentile, request, rssBytes, sleep } from './support';

/** A gauge reported for provinces (backend/src/catalog/seed/metrics.ts): any non-negative value is valid. */
const METRIC = 'einvoice.issued';
/** The 34 provincial units in force since 1 Jul 2025. */
const PROVINCES: readonly string[] = seedUnits.filter((u) => u.kind === 'province' && u.validUntil === null).map((u) => u.code);
const RAW_TX_POINTS = 5000;
const GOAL_API_POINTS_PER_SEC = 50_000;
const GOAL_RATIO = 0.5;
/** On a server (issue 10 §4, issue 14): the API at ≥ 0.7× the server's own insert rate, ≥ 100k points per CPU-second. */
const GOAL_SERVER_RATIO = 0.7;
const GOAL_POINTS_PER_CPU_S = 100_000;
const RAW_CONNECTIONS = 2;

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

interface Options {
  durationS: number;
  warmupS: number;
  rawPoints: number;
  clients: number;
  batchSize: number;
  /** rounds of (raw window, API window) */
  rounds: number;
  /** directory for the server's CPU profile, or null */
  profileDir: string | null;
  /** the TimescaleDB server to measure on (DATABASE_URL), or null for the embedded database */
  databaseUrl: string | null;
  /** the API's points are 30 days old (a backfill: their hours' aggregates are refreshed), not of the present */
  late: boolean;
  /** NODE_OPTIONS of the server process only (V8 flags such as the heap cap the deployment sets) */
  serverNodeOptions: string | null;
}

const OPTION_SPEC = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  points: { type: 'string' },
  clients: { type: 'string' },
  batch: { type: 'string' },
  rounds: { type: 'string' },
  profile: { type: 'string' },
  late: { type: 'boolean' },
  'server-node-options': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(argv: string[]): Options {
  const values = parseBenchArgs(argv, OPTION_SPEC, [
    'usage: npm run bench:ingest -- [--duration=SECONDS (20, or BENCH_DURATION)] [--warmup=SECONDS (3)] [--points=0 (no raw rate)]',
    '                               [--clients=N (2)] [--batch=N points per batch (1000)] [--profile=DIR (CPU profile of the server)]',
    '                               [--rounds=N (3)] [--late (the API sends 30-day-old values, not current ones)]',
    '                               [--server-node-options="--max-old-space-size=256" (V8 flags of the server process only)]',
    'DATABASE_URL=postgresql://…: measure on that TimescaleDB server (a fresh database on it) instead of the embedded database;',
    '  --duration is then the length of each raw and each API window (10).',
  ]);
  const env = process.env;
  const databaseUrl = env.DATABASE_URL || null;
  const batchSize = Math.floor(positive('batch', values.batch, 1000));
  if (batchSize > 5000) throw new UsageError('--batch may be at most 5000 (the API limit)');
  return {
    durationS: positive('duration', values.duration ?? env.BENCH_DURATION, databaseUrl ? 10 : 20),
    warmupS: positive('warmup', values.warmup, 3, true),
    rawPoints: Math.floor(positive('points', values.points, 300_000, true)),
    clients: Math.floor(positive('clients', values.clients, 2)),
    batchSize,
    rounds: Math.floor(positive('rounds', values.rounds, 3)),
    late: values.late === true,
    serverNodeOptions: values['server-node-options'] ?? null,
    databaseUrl,
    profileDir:
      values.profile === undefined ? null : path.resolve(values.profile || path.join(os.tmpdir(), `dxoc-bench-profile-${Date.now()}`)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Points: distinct (metric, unit, ts), never repeated within a run
// ---------------------------------------------------------------------------------------------------------

/**
 * Point i is for province i mod 34 at base + floor(i / 34) steps: every series advances one step per 34 points.
 * With the default base and step (30 days ago, 1 s) a million points span ~8 hours (one or two 7-day chunks), in
 * the past and well inside the 90-day compression horizon; PointSource.current() gives values of the present.
 */
class PointSource {
  private next = 0;
  readonly base: number;

  /** stepMs: how far apart a series' values are (1 s; the `current` source's are 1 ms apart, to stay in the present) */
  constructor(
    base?: number,
    private readonly stepMs = 1000,
  ) {
    this.base = base ?? Math.floor((Date.now() - 30 * 86_400_000) / 1000) * 1000;
  }

  /**
   * Values of the present, as agents send what they just measured: from the start of the current hour (or 10 minutes
   * ago, whichever is later), 1 ms apart per series, so five million points end 2.5 minutes later, inside the 5 minutes
   * the API allows ahead. Values dated before the current hour (late ones, a backfill) also make the aggregates of
   * their hours be refreshed after the batch commits (AggregateRefresher): --late measures that.
   */
  static current(): PointSource {
    const now = Date.now();
    return new PointSource(Math.max(Math.floor(now / 3_600_000) * 3_600_000, now - 600_000), 1);
  }

  get issued(): number {
    return this.next;
  }

  point(i: number): NewObservation {
    return {
      metric: METRIC,
      unit: PROVINCES[i % PROVINCES.length] as string,
      ts: this.base + Math.floor(i / PROVINCES.length) * this.stepMs,
      value: (i * 7919) % 100_000,
    };
  }

  take(count: number): NewObservation[] {
    const points = new Array<NewObservation>(count);
    for (let k = 0; k < count; k += 1) points[k] = this.point(this.next + k);
    this.next += count;
    return points;
  }

  /** The next count points as the columns the server's unnest takes (times as epoch ms, as the API sends them). */
  columns(count: number): [string[], string[], number[], number[]] {
    const metrics = new Array<string>(count);
    const units = new Array<string>(count);
    const ms = new Array<number>(count);
    const values = new Array<number>(count);
    for (let k = 0; k < count; k += 1) {
      const p = this.point(this.next + k);
      metrics[k] = p.metric;
      units[k] = p.unit;
      ms[k] = p.ts;
      values[k] = p.value;
    }
    this.next += count;
    return [metrics, units, ms, values];
  }

  /** The JSON body of one batch, built as text (cheap for the client, same bytes as JSON.stringify). */
  batchBody(batchId: string, count: number): string {
    const parts = new Array<string>(count);
    for (let k = 0; k < count; k += 1) {
      const p = this.point(this.next + k);
      parts[k] = `{"metric":"${p.metric}","unit":"${p.unit}","ts":"${new Date(p.ts).toISOString()}","value":${p.value}}`;
    }
    this.next += count;
    return `{"batchId":"${batchId}","points":[${parts.join(',')}]}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// 1. Raw insert rate
// ---------------------------------------------------------------------------------------------------------

interface RawResult {
  points: number;
  seconds: number;
  rate: number;
  /** rows per CPU-second of this process: comparable across runs on a busy machine */
  ratePerCpu: number;
  setupSeconds: number;
}

interface RawDatabase {
  repository: ObservationsRepository;
  db: PGliteDatabase;
  /** the raw points, continued round after round (never the same point twice: each is a new row) */
  source: PointSource;
  setupSeconds: number;
  close(): Promise<void>;
}

/** A fresh embedded database in this process, migrated and seeded as the server's is. */
async function openRawDatabase(): Promise<RawDatabase> {
  const dir = tempDir('dxoc-bench-raw-');
  const setupStart = performance.now();
  const db = await PGliteDatabase.open(path.join(dir, 'data'));
  try {
    await migrate(db);
    await new Seeder(db, new CatalogRepository(db), new ObservationsRepository(db), { invalidate: () => undefined }).run();
  } catch (error) {
    await db.close();
    throw error;
  }
  const setupSeconds = (performance.now() - setupStart) / 1000;
  return { db, repository: new ObservationsRepository(db), source: new PointSource(), setupSeconds, close: () => db.close() };
}

/** One round of the raw rate: count points through ObservationsRepository.store, in transactions of RAW_TX_POINTS. */
async function rawInsertRate(raw: RawDatabase, count: number, round: number): Promise<RawResult> {
  const all = raw.source.take(count);
  const receivedAt = new Date();
  out(`raw: inserting ${count.toLocaleString('en-US')} points in transactions of ${RAW_TX_POINTS.toLocaleString('en-US')} ...`);
  let inserted = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < all.length; start += RAW_TX_POINTS) {
    const chunk = all.slice(start, start + RAW_TX_POINTS);
    const id = `bench-raw-${round}-${start / RAW_TX_POINTS}`;
    const result = await raw.db.transaction((tx) => raw.repository.store(tx, chunk, id, 'bench', receivedAt));
    inserted += result.inserted;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (inserted !== count) throw new Error(`raw insert stored ${inserted} of ${count} points`);
  return {
    points: count,
    seconds,
    rate: count / seconds,
    ratePerCpu: count / ((cpu.user + cpu.system) / 1e6),
    setupSeconds: raw.setupSeconds,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 2. Through the HTTP API of a separate server process
// ---------------------------------------------------------------------------------------------------------

interface ApiResult {
  seconds: number;
  accepted: number;
  /** every point accepted, warm-up and stragglers included: what the server's database grew by */
  acceptedInAll: number;
  batches: number;
  rate: number;
  latenciesMs: number[];
  errorsInWindow: number;
  errorsTotal: number;
  firstError: string | null;
  windowUs: [number, number];
  rss: number | null;
  peakRss: number | null;
  /** CPU cores the server process used during the window (1.0 = one core busy all the time) */
  serverCores: number | null;
  /** CPU cores this process (the clients) used during the window */
  clientCores: number;
  /** CPU seconds of the postgres processes during the window (server only) */
  postgres: { cluster: number | null; database: number | null } | null;
}

async function apiRate(
  server: ServerProcess,
  key: string,
  options: Options,
  source: PointSource,
  postgres: PostgresCpu | null = null,
): Promise<ApiResult> {
  const runTag = `bench-${Date.now().toString(36)}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const ingestUrl = new URL('/api/v1/ingest', server.url);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };

  let measuring = false;
  let stop = false;
  let windowStart = 0;
  let windowEnd = Number.POSITIVE_INFINITY;
  let accepted = 0;
  let acceptedInAll = 0;
  let batches = 0;
  let errorsInWindow = 0;
  let errorsTotal = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  let batchNo = 0;

  const recordError = (text: string, at: number) => {
    errorsTotal += 1;
    if (measuring && at <= windowEnd) errorsInWindow += 1;
    firstError ??= text;
  };

  const client = async () => {
    while (!stop) {
      const body = source.batchBody(`${runTag}-${batchNo++}`, options.batchSize);
      const sent = performance.now();
      let response;
      try {
        response = await request(agent, ingestUrl, 'POST', headers, body);
      } catch (error) {
        recordError(`request failed: ${error instanceof Error ? error.message : String(error)}`, performance.now());
        if (server.child.exitCode !== null) throw new Error(`the server exited during the benchmark:\n${server.output}`, { cause: error });
        await sleep(100);
        continue;
      }
      const done = performance.now();
      if (response.status !== 202) {
        recordError(`HTTP ${response.status}: ${response.body.slice(0, 2000)}`, done);
        continue;
      }
      const parsed = JSON.parse(response.body) as { accepted?: number };
      acceptedInAll += parsed.accepted ?? 0;
      if (measuring && done >= windowStart && done <= windowEnd) {
        accepted += parsed.accepted ?? 0;
        batches += 1;
        latencies.push(done - sent);
      }
    }
  };

  out(
    `api: ${options.clients} clients × batches of ${options.batchSize} points${options.serverNodeOptions ? `, server NODE_OPTIONS ${options.serverNodeOptions}` : ''}, warm-up ${options.warmupS} s, measuring ${options.durationS} s ...`,
  );
  const clients = Array.from({ length: options.clients }, () => client());
  const clientsDone = Promise.all(clients);
  // a client that throws (server gone) ends the run at once
  const failure = clientsDone.then(
    () => null,
    (error: unknown) => error,
  );
  const waitOrFail = async (ms: number) => {
    const result = await Promise.race([sleep(ms).then(() => null), failure]);
    if (result) throw result;
  };
  await waitOrFail(options.warmupS * 1000);
  const hrStart = process.hrtime.bigint();
  const pidAtStart = server.serverPid();
  const serverCpuStart = pidAtStart === null ? null : cpuSeconds(pidAtStart);
  const postgresStart = postgres ? await postgres.sample() : null;
  const clientCpuStart = process.cpuUsage();
  windowStart = performance.now();
  windowEnd = windowStart + options.durationS * 1000;
  measuring = true;
  await waitOrFail(options.durationS * 1000);
  const hrEnd = process.hrtime.bigint();
  const pid = server.serverPid();
  const rss = pid === null ? null : rssBytes(pid);
  const peakRss = pid === null ? null : peakRssBytes(pid);
  const serverCpuEnd = pid === null ? null : cpuSeconds(pid);
  const clientCpu = process.cpuUsage(clientCpuStart);
  const postgresEnd = postgres ? await postgres.sample() : null;
  stop = true;
  const error = await failure;
  agent.destroy();
  if (error) throw error;
  latencies.sort((a, b) => a - b);
  const seconds = options.durationS;
  return {
    seconds,
    accepted,
    acceptedInAll,
    batches,
    rate: accepted / seconds,
    latenciesMs: latencies,
    errorsInWindow,
    errorsTotal,
    firstError,
    windowUs: [Number(hrStart / 1000n), Number(hrEnd / 1000n)],
    rss,
    peakRss,
    serverCores: serverCpuStart === null || serverCpuEnd === null ? null : (serverCpuEnd - serverCpuStart) / options.durationS,
    clientCores: (clientCpu.user + clientCpu.system) / 1e6 / options.durationS,
    postgres: postgresStart && postgresEnd ? postgresCpuDelta(postgresStart, postgresEnd) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 3. Report
// ---------------------------------------------------------------------------------------------------------

function printTable(raw: RawResult | null, api: ApiResult, options: Options, rounds: [number, number][]): void {
  const ratio = raw ? api.rate / raw.rate : Number.NaN;
  const apiPerCpu = api.serverCores ? api.rate / api.serverCores : Number.NaN;
  const ratioPerCpu = raw ? apiPerCpu / raw.ratePerCpu : Number.NaN;
  const rows: [string, string][] = [
    [
      'rounds (API, then raw)',
      rounds.map(([r, a], i) => `${i + 1}: raw ${formatRate(r)}, API ${formatRate(a)}, ratio ${(a / r).toFixed(2)}`).join(' · ') || 'n/a',
    ],
    [
      'raw rows/s (store, 5,000/tx)',
      raw ? `${formatRate(raw.rate)}  (${raw.points.toLocaleString('en-US')} rows in ${raw.seconds.toFixed(2)} s)` : 'skipped (--points=0)',
    ],
    [
      'API points/s',
      `${formatRate(api.rate)}  (${api.accepted.toLocaleString('en-US')} points, ${api.batches} batches of ${options.batchSize} in ${api.seconds} s, ${options.clients} clients)`,
    ],
    [
      'ratio API/raw',
      Number.isFinite(ratio)
        ? `${ratio.toFixed(2)} over all rounds, median of the rounds ${median(rounds.map(([r, a]) => a / r)).toFixed(2)}`
        : 'n/a',
    ],
    [
      'per CPU-second (busy machine)',
      `raw ${raw ? formatRate(raw.ratePerCpu) : 'n/a'} rows, API ${formatRate(apiPerCpu)} points per server CPU-s, ratio ${Number.isFinite(ratioPerCpu) ? ratioPerCpu.toFixed(2) : 'n/a'}`,
    ],
    ['batch latency p50 (ms)', formatMs(percentile(api.latenciesMs, 50))],
    ['batch latency p95 (ms)', formatMs(percentile(api.latenciesMs, 95))],
    ['batch latency p99 (ms)', formatMs(percentile(api.latenciesMs, 99))],
    ['errors (non-202)', `${api.errorsInWindow} in the window, ${api.errorsTotal} in all`],
    ['server RSS at end', `${formatBytes(api.rss)}  (peak ${formatBytes(api.peakRss)})`],
    [
      'CPU during the window',
      `server ${api.serverCores === null ? 'n/a' : api.serverCores.toFixed(2)} cores, clients ${api.clientCores.toFixed(2)} cores (load average ${os.loadavg()[0]?.toFixed(1)}, ${os.cpus().length} CPUs)`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  out();
  out('ingest benchmark (embedded TimescaleDB / PGlite)');
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  for (const [name, value] of rows) out(`${name.padEnd(width)}  ${value}`);
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  if (api.firstError) out(`first error: ${api.firstError}`);
  out(`goal: ≥ ${GOAL_API_POINTS_PER_SEC.toLocaleString('en-US')} points/s through the API, ratio ≥ ${GOAL_RATIO}`);
  out(
    `  API ≥ ${GOAL_API_POINTS_PER_SEC.toLocaleString('en-US')} points/s: ${api.rate >= GOAL_API_POINTS_PER_SEC ? 'met' : 'NOT met'} (${formatRate(api.rate)})`,
  );
  out(
    `  ratio ≥ ${GOAL_RATIO}: ${Number.isFinite(ratio) ? (ratio >= GOAL_RATIO ? 'met' : 'NOT met') : 'n/a'} (${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'})`,
  );
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.databaseUrl) return serverMain(options, options.databaseUrl);
  out(`dxoc ingest benchmark — node ${process.version}, ${os.cpus().length} CPU(s), metric ${METRIC} × ${PROVINCES.length} provinces`);
  const rawDatabase = options.rawPoints > 0 ? await openRawDatabase() : null;
  if (rawDatabase) onCleanup(() => rawDatabase.close());
  if (rawDatabase) out(`raw: embedded database in this process ready after ${rawDatabase.setupSeconds.toFixed(1)} s`);
  const server = await startServer({ profileDir: options.profileDir, nodeOptions: options.serverNodeOptions ?? undefined });
  const key = await createKey(server);
  out('api: agent key for all units created');
  // Round after round, the raw rate (this process's database, the server idle) and then the API's (this process
  // idle but for its clients): a machine whose speed drifts over a minute moves both figures of a round alike.
  const source = options.late ? new PointSource() : PointSource.current();
  const raws: RawResult[] = [];
  const apis: ApiResult[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    out(`round ${round} of ${options.rounds}:`);
    const api = await apiRate(server, key, options, source);
    apis.push(api);
    // as many raw points as the API's database just grew by: both databases stay the same size round after round
    // (PGlite's 128 MB of shared buffers: both rates fall as a database outgrows them), while the server idles (its
    // timers: live ticks, the alert sweep, jobs)
    const serverPid = server.serverPid();
    const idleCpuStart = serverPid === null ? null : cpuSeconds(serverPid);
    const raw = rawDatabase ? await rawInsertRate(rawDatabase, Math.max(RAW_TX_POINTS, api.acceptedInAll), round) : null;
    const idleCpuEnd = serverPid === null ? null : cpuSeconds(serverPid);
    if (raw) raws.push(raw);
    const idle =
      raw && idleCpuStart !== null && idleCpuEnd !== null
        ? `; the idle server took ${((idleCpuEnd - idleCpuStart) / raw.seconds).toFixed(2)} cores meanwhile`
        : '';
    out(
      `round ${round}: API ${formatRate(api.rate)} points/s${raw ? `, raw ${formatRate(raw.rate)} rows/s, ratio ${(api.rate / raw.rate).toFixed(2)}${idle}` : ''}`,
    );
  }
  const pid = server.serverPid();
  await server.stop();
  const api = combinedApi(apis);
  const raw = raws.length > 0 ? combinedRaw(raws) : null;
  printTable(raw, api, options, raws.length > 0 ? raws.map((r, i) => [r.rate, (apis[i] as ApiResult).rate]) : []);
  const noisy = server.output
    .toString()
    .split('\n')
    .filter((line) => !line.startsWith('npm warn') && /timescaledb job|error|warn/i.test(line));
  if (noisy.length > 0) out(`server log (errors/jobs):\n  ${noisy.slice(-10).join('\n  ')}`);

  if (options.profileDir) {
    const file = profileFileFor(options.profileDir, pid);
    if (!file) {
      out(`profile: no CPU profile of pid ${pid ?? '?'} in ${options.profileDir}`);
    } else {
      const last = apis[apis.length - 1] as ApiResult;
      out();
      out(`CPU profile of the server, the last round's measurement window only (${file}):`);
      printProfileSummary(summariseProfile(file, { windowUs: last.windowUs, top: 25 }), out);
    }
  }
  if (api.accepted === 0) {
    process.stderr.write('no batch was accepted during the measurement window: the benchmark measured nothing\n');
    return 1;
  }
  return 0;
}

/** The rounds' raw rates as one: all their points over all their seconds. */
function combinedRaw(raws: RawResult[]): RawResult {
  const points = raws.reduce((sum, r) => sum + r.points, 0);
  const seconds = raws.reduce((sum, r) => sum + r.seconds, 0);
  const cpuSeconds = raws.reduce((sum, r) => sum + r.points / r.ratePerCpu, 0);
  return { points, seconds, rate: points / seconds, ratePerCpu: points / cpuSeconds, setupSeconds: (raws[0] as RawResult).setupSeconds };
}

/** The rounds' API windows as one: all their points over all their seconds, every latency, the last RSS. */
function combinedApi(apis: ApiResult[]): ApiResult {
  const last = apis[apis.length - 1] as ApiResult;
  const seconds = apis.reduce((sum, a) => sum + a.seconds, 0);
  const accepted = apis.reduce((sum, a) => sum + a.accepted, 0);
  const cores = apis.every((a) => a.serverCores !== null)
    ? apis.reduce((sum, a) => sum + (a.serverCores as number) * a.seconds, 0) / seconds
    : null;
  return {
    ...last,
    seconds,
    accepted,
    batches: apis.reduce((sum, a) => sum + a.batches, 0),
    rate: accepted / seconds,
    latenciesMs: apis.flatMap((a) => a.latenciesMs).sort((a, b) => a - b),
    errorsInWindow: apis.reduce((sum, a) => sum + a.errorsInWindow, 0),
    errorsTotal: last.errorsTotal,
    firstError: apis.find((a) => a.firstError)?.firstError ?? null,
    peakRss: Math.max(...apis.map((a) => a.peakRss ?? 0)) || null,
    serverCores: cores,
    clientCores: apis.reduce((sum, a) => sum + a.clientCores * a.seconds, 0) / seconds,
  };
}

// ---------------------------------------------------------------------------------------------------------
// On a TimescaleDB server (DATABASE_URL): the server's raw rate and the API, round after round
// ---------------------------------------------------------------------------------------------------------

/** The statement the API's store() issues for new points, without the API around it: the server's own limit. */
const RAW_INSERT = `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
  SELECT r.metric, r.unit, 'epoch'::timestamptz + r.ms * INTERVAL '1 millisecond', r.value, $5, $6, $7
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS r(metric, unit, ms, value)`;

interface RawServerRound {
  rows: number;
  seconds: number;
  rate: number;
  statementMs: number[];
  postgres: { cluster: number | null; database: number | null } | null;
  /** CPU seconds of this process (building the arrays, the pg client) during the window */
  clientCpuS: number;
}

/** Statements of RAW_TX_POINTS rows on every connection, each its own transaction; counts those that end inside the window. */
async function rawServerRound(
  connections: pg.Client[],
  source: PointSource,
  options: Options,
  postgres: PostgresCpu,
): Promise<RawServerRound> {
  const runTag = `bench-raw-${Date.now().toString(36)}`;
  const receivedAt = new Date();
  let stop = false;
  let measuring = false;
  let windowStart = 0;
  let windowEnd = Number.POSITIVE_INFINITY;
  let rows = 0;
  const statementMs: number[] = [];
  const loop = async (client: pg.Client, c: number) => {
    for (let n = 0; !stop; n += 1) {
      const started = performance.now();
      const result = await client.query(RAW_INSERT, [...source.columns(RAW_TX_POINTS), `${runTag}-${c}-${n}`, 'bench', receivedAt]);
      const done = performance.now();
      if (measuring && done >= windowStart && done <= windowEnd) {
        rows += result.rowCount ?? 0;
        statementMs.push(done - started);
      }
    }
  };
  const failure = Promise.all(connections.map((client, c) => loop(client, c))).then(
    () => null,
    (error: unknown) => error,
  );
  const waitOrFail = async (ms: number) => {
    const result = await Promise.race([sleep(ms).then(() => null), failure]);
    if (result) throw result;
  };
  await waitOrFail(options.warmupS * 1000);
  const postgresStart = await postgres.sample();
  const clientCpuStart = process.cpuUsage();
  windowStart = performance.now();
  windowEnd = windowStart + options.durationS * 1000;
  measuring = true;
  await waitOrFail(options.durationS * 1000);
  const clientCpu = process.cpuUsage(clientCpuStart);
  const postgresEnd = await postgres.sample();
  stop = true;
  const error = await failure;
  if (error) throw error;
  statementMs.sort((a, b) => a - b);
  return {
    rows,
    seconds: options.durationS,
    rate: rows / options.durationS,
    statementMs,
    postgres: postgresCpuDelta(postgresStart, postgresEnd),
    clientCpuS: (clientCpu.user + clientCpu.system) / 1e6,
  };
}

const sumOf = (values: number[]) => values.reduce((n, v) => n + v, 0);
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
/** Sum of CPU seconds over rounds, null when any round could not be measured. */
const cpuSum = (values: (number | null | undefined)[]) =>
  values.some((v) => v === null || v === undefined) ? null : sumOf(values as number[]);
const fixed = (value: number | null, digits = 1) => (value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));

function printServerTable(
  database: { name: string; postgresVersion: string; timescaledbVersion: string; versionSource: string; cpuHow: string },
  raws: RawServerRound[],
  apis: ApiResult[],
  options: Options,
  loadBefore: number[],
): void {
  const rawRows = sumOf(raws.map((r) => r.rows));
  const rawSeconds = sumOf(raws.map((r) => r.seconds));
  const rawRate = rawRows / rawSeconds;
  const apiPoints = sumOf(apis.map((a) => a.accepted));
  const apiSeconds = sumOf(apis.map((a) => a.seconds));
  const apiRate = apiPoints / apiSeconds;
  const ratio = apiRate / rawRate;
  const rawPg = cpuSum(raws.map((r) => r.postgres?.cluster));
  const rawPgDb = cpuSum(raws.map((r) => r.postgres?.database));
  const rawClient = sumOf(raws.map((r) => r.clientCpuS));
  const apiNode = cpuSum(apis.map((a) => (a.serverCores === null ? null : a.serverCores * a.seconds)));
  const apiPg = cpuSum(apis.map((a) => a.postgres?.cluster));
  const apiPgDb = cpuSum(apis.map((a) => a.postgres?.database));
  const apiClient = sumOf(apis.map((a) => a.clientCores * a.seconds));
  const perCpu = apiNode === null || apiPg === null ? Number.NaN : apiPoints / (apiNode + apiPg);
  const perCpuDb = apiNode === null || apiPgDb === null ? Number.NaN : apiPoints / (apiNode + apiPgDb);
  const latencies = apis.flatMap((a) => a.latenciesMs).sort((a, b) => a - b);
  const statements = raws.flatMap((r) => r.statementMs).sort((a, b) => a - b);
  const rounds = raws.map((raw, i) => {
    const api = apis[i] as ApiResult;
    return `${i + 1}: raw ${formatRate(raw.rate)}, API ${formatRate(api.rate)}, ratio ${(api.rate / raw.rate).toFixed(2)}`;
  });
  const rows: [string, string][] = [
    ['rounds (raw, then API)', rounds.join(' · ')],
    [
      'raw rows/s (server)',
      `${formatRate(rawRate)}  (${rawRows.toLocaleString('en-US')} rows in ${rawSeconds} s, ${RAW_CONNECTIONS} connections × INSERT … unnest of ${RAW_TX_POINTS.toLocaleString('en-US')} rows; statement p50 / p95 ${formatMs(percentile(statements, 50))} / ${formatMs(percentile(statements, 95))} ms)`,
    ],
    [
      'API points/s',
      `${formatRate(apiRate)}  (${apiPoints.toLocaleString('en-US')} points, ${sumOf(apis.map((a) => a.batches))} batches of ${options.batchSize} in ${apiSeconds} s, ${options.clients} clients)`,
    ],
    [
      'ratio API/raw',
      `${ratio.toFixed(2)} over all rounds, median of the rounds ${median(raws.map((raw, i) => (apis[i] as ApiResult).rate / raw.rate)).toFixed(2)}`,
    ],
    [
      'CPU s in the raw windows',
      `postgres ${fixed(rawPg)} (the bench database's backends ${fixed(rawPgDb)}), bench client ${fixed(rawClient)}; ${formatRate(rawPg ? rawRows / rawPg : Number.NaN)} rows per postgres CPU-s, ${formatRate(rawPg === null ? Number.NaN : rawRows / (rawPg + rawClient))} per (postgres + client) CPU-s`,
    ],
    [
      'CPU s in the API windows',
      `node server ${fixed(apiNode)}, postgres ${fixed(apiPg)} (the bench database's backends ${fixed(apiPgDb)}), bench clients ${fixed(apiClient)}`,
    ],
    [
      'points per (node + postgres) CPU-s',
      `${formatRate(perCpu)}  (with only the bench database's backends as postgres: ${formatRate(perCpuDb)})`,
    ],
    [
      'batch latency p50 / p95 / p99 (ms)',
      `${formatMs(percentile(latencies, 50))} / ${formatMs(percentile(latencies, 95))} / ${formatMs(percentile(latencies, 99))}`,
    ],
    ['errors (non-202)', `${sumOf(apis.map((a) => a.errorsInWindow))} in the windows, ${sumOf(apis.map((a) => a.errorsTotal))} in all`],
    ['server RSS at end', `${formatBytes(apis.at(-1)?.rss ?? null)}  (peak ${formatBytes(apis.at(-1)?.peakRss ?? null)})`],
    [
      'load average (1/5/15 min)',
      `${loadBefore.map((v) => v.toFixed(2)).join(' / ')} before, ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' / ')} after (${os.cpus().length} CPUs)`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  out();
  out(
    `ingest benchmark (TimescaleDB server: PostgreSQL ${database.postgresVersion}, TimescaleDB ${database.timescaledbVersion} ${database.versionSource}, database ${database.name})`,
  );
  out(`postgres CPU: every process of the cluster (${database.cpuHow}), other databases' work included`);
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  for (const [name, value] of rows) out(`${name.padEnd(width)}  ${value}`);
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  const firstError = apis.find((a) => a.firstError)?.firstError;
  if (firstError) out(`first error: ${firstError}`);
  out(
    `goals: API ≥ ${GOAL_SERVER_RATIO}× the server's raw rate, ≥ ${GOAL_POINTS_PER_CPU_S.toLocaleString('en-US')} points per (node + postgres) CPU-second`,
  );
  out(`  ratio ≥ ${GOAL_SERVER_RATIO}: ${ratio >= GOAL_SERVER_RATIO ? 'met' : 'NOT met'} (${ratio.toFixed(2)})`);
  out(
    `  ≥ ${GOAL_POINTS_PER_CPU_S.toLocaleString('en-US')} points per CPU-second: ${Number.isFinite(perCpu) ? (perCpu >= GOAL_POINTS_PER_CPU_S ? 'met' : 'NOT met') : 'n/a'} (${formatRate(perCpu)})`,
  );
}

async function serverMain(options: Options, url: string): Promise<number> {
  const loadBefore = os.loadavg();
  out(
    `dxoc ingest benchmark on a TimescaleDB server — node ${process.version}, ${os.cpus().length} CPU(s), load average ${loadBefore.map((v) => v.toFixed(2)).join(' / ')}, metric ${METRIC} × ${PROVINCES.length} provinces`,
  );
  const database = await createBenchDatabase(url);
  out(
    `database ${database.name}: PostgreSQL ${database.postgresVersion}, TimescaleDB ${database.timescaledbVersion} (${database.versionSource}); postgres processes from ${database.cpu.how}`,
  );
  const server = await startServer({
    profileDir: options.profileDir,
    databaseUrl: database.url,
    instanceId: 'bench-ingest',
    nodeOptions: options.serverNodeOptions ?? undefined,
  });
  const key = await createKey(server);
  out('api: agent key for all units created');
  const connections: pg.Client[] = [];
  for (let c = 0; c < RAW_CONNECTIONS; c += 1) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    connections.push(client);
    onCleanup(() => client.end());
  }
  // ranges of time that never meet (60 days ago onwards; the present, or 30 days ago with --late): every row is new
  const rawSource = new PointSource(Math.floor((Date.now() - 60 * 86_400_000) / 1000) * 1000);
  const apiSource = options.late ? new PointSource() : PointSource.current();
  const raws: RawServerRound[] = [];
  const apis: ApiResult[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    out(
      `round ${round} of ${options.rounds}: raw, ${RAW_CONNECTIONS} connections × ${RAW_TX_POINTS} rows per statement, warm-up ${options.warmupS} s, measuring ${options.durationS} s ...`,
    );
    const raw = await rawServerRound(connections, rawSource, options, database.cpu);
    raws.push(raw);
    out(`round ${round}: raw ${formatRate(raw.rate)} rows/s, postgres ${fixed(raw.postgres?.cluster ?? null)} CPU-s`);
    const api = await apiRate(server, key, options, apiSource, database.cpu);
    apis.push(api);
    out(
      `round ${round}: API ${formatRate(api.rate)} points/s, node ${fixed(api.serverCores === null ? null : api.serverCores * api.seconds)} + postgres ${fixed(api.postgres?.cluster ?? null)} CPU-s`,
    );
  }
  const pid = server.serverPid();
  await server.stop();
  printServerTable({ ...database, cpuHow: database.cpu.how }, raws, apis, options, loadBefore);
  const noisy = server.output
    .toString()
    .split('\n')
    .filter((line) => !line.startsWith('npm warn') && /timescaledb job|error|warn/i.test(line));
  if (noisy.length > 0) out(`server log (errors/jobs):\n  ${noisy.slice(-10).join('\n  ')}`);
  const last = apis.at(-1);
  if (options.profileDir && last) {
    const file = profileFileFor(options.profileDir, pid);
    if (!file) out(`profile: no CPU profile of pid ${pid ?? '?'} in ${options.profileDir}`);
    else {
      out();
      out(`CPU profile of the server, last API window only (${file}):`);
      printProfileSummary(summariseProfile(file, { windowUs: last.windowUs, top: 25 }), out);
    }
  }
  if (sumOf(apis.map((a) => a.accepted)) === 0) {
    process.stderr.write('no batch was accepted during the measurement windows: the benchmark measured nothing\n');
    return 1;
  }
  return 0;
}

runBenchmark('bench:ingest', main);

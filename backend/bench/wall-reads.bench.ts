/**
 * Wall reads benchmark (issue 14 goal 5; not part of the test suite):
 *
 *   npm run bench:wall-reads [-- --days=N --rounds=N --requests=N]
 *
 * A year (--days, 365) of values at each metric's cadence for every province and ministry in force and every
 * metric they carry, stored the way ingest stores them (ObservationsRepository.store, which keeps latest_value),
 * then the endpoints the wall reads for its latest values and its reporting board, over real HTTP, one request at
 * a time: `/api/v1/latest`, `/api/v1/reporting/compliance` and `/api/v1/reporting/compliance/overview`.
 * Each is timed before (the DISTINCT ON scan of observation, SeriesRepository.latestByScan, swapped in) and after
 * (latest_value), alternating in --rounds rounds (4) of --requests requests (25) each, so both see the same load;
 * their answers are compared as well. The wall's time series (`/api/v1/series`, by day, week and month) are timed
 * as stored, before any refresh of the continuous aggregates (their real-time part then computes every bucket from
 * the raw values), and again after the refresh the aggregates' policies run: the state the wall reads in, since
 * ingest refreshes the buckets a batch of past values touched as it stores it (AggregateRefresher). Their answers
 * before and after must be the same. p50 and p95 per endpoint are printed side by side.
 *
 * The server runs in this process (the old query is swapped into its SeriesRepository), on the embedded database in
 * a worker thread as `dxoc serve` runs it, or on a fresh database of the TimescaleDB server DATABASE_URL names
 * (dropped at the end). Goals are printed, never failed: exit 1 when the benchmark cannot run or answers differ.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { seedMetrics, seedUnits } from '@dxoc/contracts/reference';
import { ObservationsRepository, type NewObservation } from '../src/ingest/observations.repository';
import { SeriesRepository } from '../src/query/series.repository';
import { TimescaleRepository } from '../src/db/timescale.repository';
import { withoutStatementDeadline } from '../src/db/statement-deadline';
import { startTestServer } from '../test/support/app';
import { inWorker, serverDriver } from '../test/support/databases';
import { onCleanup, out, parseBenchArgs, positive, REPO_ROOT, runBenchmark } from './server-process';
import { formatMs, percentile, request } from './support';

const DAY = 86_400_000;
const STORE_POINTS = 5000;
/** issue 14 goal 5: p95 of every wall read */
const GOAL_EMBEDDED_P95_MS = 50;
const GOAL_SERVER_P95_MS = 20;

const OPTION_SPEC = {
  days: { type: 'string' },
  rounds: { type: 'string' },
  requests: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Options {
  days: number;
  rounds: number;
  requests: number;
  databaseUrl: string | null;
}

function parseOptions(argv: string[]): Options {
  const values = parseBenchArgs(argv, OPTION_SPEC, [
    'usage: npm run bench:wall-reads -- [--days=N of history (365)] [--rounds=N (4)] [--requests=N per endpoint, variant and round (25)]',
    'DATABASE_URL=postgresql://…: measure on a fresh database of that TimescaleDB server instead of the embedded database.',
  ]);
  return {
    days: Math.floor(positive('days', values.days, 365)),
    rounds: Math.floor(positive('rounds', values.rounds, 4)),
    requests: Math.floor(positive('requests', values.requests, 25)),
    databaseUrl: process.env.DATABASE_URL || null,
  };
}

const STEP_DAYS: Record<string, number> = { daily: 1, weekly: 7, monthly: 30, quarterly: 91, yearly: 365 };

/** Every metric a province or ministry carries, at its cadence, for every unit of those kinds in force, up to now. */
function* history(days: number, now: number): Generator<NewObservation> {
  const units = seedUnits.filter((u) => (u.kind === 'province' || u.kind === 'ministry') && u.validUntil === null);
  const today = Math.floor(now / DAY) * DAY - 7 * 3_600_000; // 00:00 in Viet Nam
  for (const metric of seedMetrics) {
    const step = STEP_DAYS[metric.cadence];
    if (step === undefined) continue;
    for (const unit of units) {
      if (!metric.unitKinds.includes(unit.kind)) continue;
      for (let d = days - 1; d >= 0; d -= step) {
        const ts = today - d * DAY;
        if (ts <= now) yield { metric: metric.code, unit: unit.code, ts, value: (d * 7 + unit.code.length) % 1000 };
      }
    }
  }
}

interface Endpoint {
  name: string;
  path: (now: number) => string;
  /**
   * latest: timed before (the DISTINCT ON scan) and after (latest_value), alternating; aggregate: a read neither
   * changes, timed once for reference; series: timed as stored (the continuous aggregates not yet refreshed: their
   * real-time part computes every bucket from the raw values) and after the refresh their policies and ingest's
   * AggregateRefresher do (the state the wall reads in)
   */
  kind: 'latest' | 'aggregate' | 'series';
}

const iso = (ms: number) => new Date(ms).toISOString();
/** the reporting board's panels (dashboards/pages/reporting-compliance.yaml) */
const BOARD_PROVINCES =
  'dvc.services_online,dvc.level4_share,dvc.end_to_end_dossier_share,onestop.applications_received,einvoice.issued,vneid.accounts_activated';
const BOARD_MINISTRIES =
  'dvc.services_online,dvc.level4_share,dvc.end_to_end_dossier_share,onestop.applications_received,edoc.electronic_share';

/** What the wall asks (frontend/src/wall/data.ts, panels/CompliancePanel.tsx, frontend/src/app/provenance-data.ts). */
const ENDPOINTS: Endpoint[] = [
  {
    name: 'latest, provinces (map, ranking)',
    path: () => '/api/v1/latest?metric=onestop.applications_received&unitKind=province',
    kind: 'latest',
  },
  { name: 'latest, ministries', path: () => '/api/v1/latest?metric=dvc.services_online&unitKind=ministry', kind: 'latest' },
  // a KPI tile of a level compares with the value at the same time a day or a month before (frontend/src/wall/reference.ts)
  {
    name: 'latest, provinces, as of a day ago (KPI)',
    path: (now) => `/api/v1/latest?metric=onestop.applications_received&unitKind=province&asOf=${iso(now - DAY)}`,
    kind: 'latest',
  },
  {
    name: 'latest, ministries, as of a month ago (KPI)',
    path: (now) => `/api/v1/latest?metric=dvc.services_online&unitKind=ministry&asOf=${iso(now - 30 * DAY)}`,
    kind: 'latest',
  },
  {
    name: 'compliance, provinces (provenance)',
    path: () => '/api/v1/reporting/compliance?metric=onestop.applications_received&unitKind=province',
    kind: 'latest',
  },
  {
    name: 'compliance overview, provinces',
    path: () => `/api/v1/reporting/compliance/overview?unitKind=province&metrics=${BOARD_PROVINCES}`,
    kind: 'latest',
  },
  {
    name: 'compliance overview, ministries',
    path: () => `/api/v1/reporting/compliance/overview?unitKind=ministry&metrics=${BOARD_MINISTRIES}`,
    kind: 'latest',
  },
  {
    name: 'aggregate, provinces, 30 days',
    path: (now) =>
      `/api/v1/aggregate?metric=onestop.applications_received&unitKind=province&agg=sum&from=${iso(now - 30 * DAY)}&to=${iso(now)}`,
    kind: 'aggregate',
  },
  // the wall's time series and KPI tiles: one request per unit over the panel's range (frontend/src/wall/data.ts)
  {
    name: 'series, one province, 1 year by day',
    path: (now) => `/api/v1/series?metric=onestop.applications_received&unit=79&bucket=1d&agg=sum&from=${iso(now - 365 * DAY)}`,
    kind: 'series',
  },
  {
    name: 'series, one province, 30 days by day',
    path: (now) => `/api/v1/series?metric=onestop.applications_received&unit=79&bucket=1d&agg=sum&from=${iso(now - 30 * DAY)}`,
    kind: 'series',
  },
  {
    name: 'series, one province, 12 months by month',
    path: (now) => `/api/v1/series?metric=einvoice.issued&unit=01&bucket=1mo&agg=sum&from=${iso(now - 365 * DAY)}`,
    kind: 'series',
  },
  {
    name: 'series, one ministry, 12 months by week',
    path: (now) => `/api/v1/series?metric=dvc.services_online&unit=BCA&bucket=1w&agg=last&from=${iso(now - 365 * DAY)}`,
    kind: 'series',
  },
];

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const load = os.loadavg().map((l) => l.toFixed(2));
  out(`wall reads benchmark · commit ${commit()} · node ${process.version} · ${os.cpus().length} CPUs · load ${load.join(' ')}`);
  const server = await startTestServer({ driver: options.databaseUrl ? serverDriver(options.databaseUrl) : inWorker });
  onCleanup(() => server.close());
  const { rows: versions } = await server.db.query<{ pg: string; ts: string }>(
    `SELECT current_setting('server_version') AS pg, (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS ts`,
  );
  out(
    `database: ${options.databaseUrl ? 'TimescaleDB server (fresh database, dropped at the end)' : 'embedded, in a worker thread'} · PostgreSQL ${versions[0]?.pg} · TimescaleDB ${versions[0]?.ts}`,
  );

  const started = performance.now();
  const repository = new ObservationsRepository(server.db);
  let batch: NewObservation[] = [];
  let stored = 0;
  const flush = async () => {
    const points = batch;
    batch = [];
    await server.db.transaction((tx) => repository.store(tx, points, `wall-bench-${stored}`, 'seed', new Date()));
    stored += points.length;
  };
  for (const point of history(options.days, Date.now())) {
    batch.push(point);
    if (batch.length === STORE_POINTS) await flush();
  }
  if (batch.length > 0) await flush();
  await server.db.query('ANALYZE');
  const { rows: chunks } = await server.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'observation'`,
  );
  out(
    `history: ${stored.toLocaleString('en')} values over ${options.days} days, ${chunks[0]?.n} chunks, stored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const series = server.app.get(SeriesRepository);
  const table = series.latest.bind(series);
  const scan = series.latestByScan.bind(series);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  onCleanup(() => agent.destroy());
  const headers = { authorization: `Bearer ${server.viewerToken}` };
  const timings = new Map<string, { before: number[]; after: number[] }>(ENDPOINTS.map((e) => [e.name, { before: [], after: [] }]));
  let differing = 0;

  const read = async (endpoint: Endpoint) => {
    const t0 = performance.now();
    const path = endpoint.path(Date.now());
    const response = await request(agent, new URL(server.url + path), 'GET', headers);
    const ms = performance.now() - t0;
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body.slice(0, 200)}`);
    return { ms, body: response.body };
  };
  // warm-up: plans, caches and the catalog snapshot, both ways
  for (const endpoint of ENDPOINTS)
    for (const latest of [scan, table]) {
      series.latest = latest;
      for (let i = 0; i < 5; i++) await read(endpoint);
    }
  const seriesBodies = new Map<string, string>();
  for (let round = 0; round < options.rounds; round++) {
    for (const endpoint of ENDPOINTS) {
      const slot = timings.get(endpoint.name) as { before: number[]; after: number[] };
      const bodies: string[] = [];
      // series: "before" here (aggregates as stored), "after" once they are refreshed (below)
      const variants =
        endpoint.kind === 'latest'
          ? ([
              ['before', scan],
              ['after', table],
            ] as const)
          : ([[endpoint.kind === 'series' ? 'before' : 'after', table]] as const);
      for (const [which, latest] of variants) {
        series.latest = latest;
        for (let i = 0; i < options.requests; i++) {
          const { ms, body } = await read(endpoint);
          slot[which].push(ms);
          if (i === 0) bodies.push(body);
        }
      }
      if (endpoint.kind === 'series' && round === 0) seriesBodies.set(endpoint.name, bodies[0] as string);
      // the overview and compliance carry asOf = now: compare without the instants that differ by the request time
      const [a, b] = bodies.map((body) => body.replace(/"asOf":"[^"]*"|"lateBySeconds":\d+/g, ''));
      if (endpoint.kind === 'latest' && a !== b) differing++;
    }
  }
  series.latest = table;

  // the query alone, without HTTP, auth and the service: where the time of a latest read goes
  const provinces = seedUnits.filter((u) => u.kind === 'province' && u.validUntil === null).map((u) => u.code);
  const queryTimes = { before: [] as number[], after: [] as number[] };
  for (let round = 0; round < options.rounds; round++)
    for (const [which, latest] of [
      ['before', scan],
      ['after', table],
    ] as const)
      for (let i = 0; i < options.requests; i++) {
        const t0 = performance.now();
        await latest('onestop.applications_received', new Date(), provinces);
        queryTimes[which].push(performance.now() - t0);
      }

  // the refresh the aggregates' policies do (ingest's AggregateRefresher refreshes the hours and days a batch of
  // past values touched right after it commits; the bench stored the history beside the API, so nothing did yet)
  const timescale = server.app.get(TimescaleRepository);
  const refreshStarted = performance.now();
  for (const job of await timescale.listJobs()) {
    if (job.procName !== 'policy_refresh_continuous_aggregate') continue;
    await withoutStatementDeadline(() => timescale.runJob(job.jobId));
  }
  const refreshMs = performance.now() - refreshStarted;
  let seriesDiffering = 0;
  for (const endpoint of ENDPOINTS) if (endpoint.kind === 'series') for (let i = 0; i < 5; i++) await read(endpoint);
  for (let round = 0; round < options.rounds; round++)
    for (const endpoint of ENDPOINTS) {
      if (endpoint.kind !== 'series') continue;
      const slot = timings.get(endpoint.name) as { before: number[]; after: number[] };
      for (let i = 0; i < options.requests; i++) {
        const { ms, body } = await read(endpoint);
        slot.after.push(ms);
        if (round === 0 && i === 0 && body !== seriesBodies.get(endpoint.name)) seriesDiffering++;
      }
    }

  const goal = options.databaseUrl ? GOAL_SERVER_P95_MS : GOAL_EMBEDDED_P95_MS;
  out();
  out(`${options.rounds} rounds × ${options.requests} requests per endpoint and variant, one at a time over HTTP (keep-alive)`);
  out(`latest: before = DISTINCT ON scan of observation, after = latest_value · goal p95 ≤ ${goal} ms`);
  out('aggregate: no before and after, timed for reference in the after columns');
  out(
    `series: before = the continuous aggregates as stored (not refreshed: every bucket from the raw values), after = refreshed (the policies' runs took ${(refreshMs / 1000).toFixed(1)} s)`,
  );
  out();
  const name = (s: string) => s.padEnd(42);
  const cell = (s: string) => s.padStart(11);
  out(`${name('endpoint')}${cell('before p50')}${cell('before p95')}${cell('after p50')}${cell('after p95')}${cell('p95 ×')}  goal`);
  for (const endpoint of ENDPOINTS) {
    const slot = timings.get(endpoint.name) as { before: number[]; after: number[] };
    const before = [...slot.before].sort((x, y) => x - y);
    const after = [...slot.after].sort((x, y) => x - y);
    const [b50, b95, a50, a95] = [percentile(before, 50), percentile(before, 95), percentile(after, 50), percentile(after, 95)];
    const ratio = endpoint.kind === 'aggregate' ? 'n/a' : (b95 / a95).toFixed(1);
    out(
      `${name(endpoint.name)}${cell(formatMs(b50))}${cell(formatMs(b95))}${cell(formatMs(a50))}${cell(formatMs(a95))}${cell(ratio)}  ${a95 <= goal ? 'met' : 'MISSED'}`,
    );
  }
  const [qb, qa] = [[...queryTimes.before].sort((x, y) => x - y), [...queryTimes.after].sort((x, y) => x - y)];
  out(
    `${name('  the latest query alone, 34 provinces')}${cell(formatMs(percentile(qb, 50)))}${cell(formatMs(percentile(qb, 95)))}${cell(formatMs(percentile(qa, 50)))}${cell(formatMs(percentile(qa, 95)))}${cell((percentile(qb, 95) / percentile(qa, 95)).toFixed(1))}`,
  );
  out();
  const latestReads = options.rounds * ENDPOINTS.filter((e) => e.kind === 'latest').length;
  out(`latest answers before and after: ${differing === 0 ? 'identical' : `${differing} of ${latestReads} differ`}`);
  out(`series answers before and after the refresh: ${seriesDiffering === 0 ? 'identical' : `${seriesDiffering} differ`}`);
  out(
    `load at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  return differing === 0 && seriesDiffering === 0 ? 0 : 1;
}

runBenchmark('bench:wall-reads', main);

/**
 * Live-stream benchmark (not part of the test suite), on the embedded database or, with DATABASE_URL, on that
 * TimescaleDB server:
 *
 *   npm run bench:live [-- --duration=SECONDS --warmup=SECONDS --clients=N --rate=BATCHES_PER_S --batch=N
 *                          --alert-iterations=N --client-procs=N --instances=N --profile=DIR]
 *
 * With DATABASE_URL: a fresh database `dxoc_bench_<random>` on that server (the TimescaleDB version of the named
 * database, dropped at the end), --instances `dxoc serve` processes on it (2, each its own DXOC_INSTANCE_ID), the
 * clients spread over them (1,000 by default, one client process or more per instance), every batch and breach
 * posted to the first instance (A): clients of the others get values and alerts only through the database. The
 * figures are also given per instance, and breach→alert for the clients of the other instances.
 *
 * Against the real server (`dxoc serve` in a separate process, fresh data dir):
 * 1. ingest→client latency: N socket.io wall clients (websocket transport, a viewer token in auth.token, forked
 *    into --client-procs processes) subscribe to one metric for 'provinces' with alerts, while batches are posted
 *    at an even pace (default 20 batches/s × 100 points = 2,000 points/s). Every point of a batch carries the
 *    batch's send time (ms on CLOCK_MONOTONIC since this process started) as its value, so each client computes
 *    receive time − send time for the first point of each batch it sees. Measured for batches sent within a fixed
 *    window after a warm-up, with a grace period for late deliveries; also messages per client per second
 *    (coalescing), deliveries missing after the grace, stream:reset and disconnects.
 * 2. breach→alert latency: a staff user (created with the CLI, logged in over REST) creates an 'above' rule for
 *    unit 79; then, with the load still running, a breaching value is posted and the time until every client has a
 *    live:tick with that rule's 'firing' transition is measured, then a normal value until 'resolved'.
 *    Skipped, with a line saying so, when POST /api/v1/alert-rules does not exist.
 * 3. the server's RSS (/proc/<pid>/status) and CPU during the window, the load average, and the goals.
 *
 * Missed goals are printed, not failed: the exit code is non-zero only when the benchmark cannot run (server does
 * not start, no client connects, nothing accepted or delivered).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedUnits } from '@dxoc/contracts/reference';
import type { Alert, AlertRule, AlertRuleInput } from '@dxoc/contracts';
import type { LoginResponse } from '@dxoc/contracts';
import type { SubscribeRequest } from '@dxoc/contracts';
import { printProfileSummary, profileFileFor, summariseProfile } from './cpuprofile';
import type { AlertReceipt, ClientsReport, FromClients, ToClients } from './live-clients';
import { createBenchDatabase, postgresCpuDelta, type BenchDatabase } from './server-database';
import {
  parseBenchArgs,
  createKey,
  createUser,
  createViewerToken,
  onCleanup,
  out,
  positive,
  runBenchmark,
  startServer,
  UsageError,
  type ServerProcess,
} from './server-process';
import { LatencyHistogram } from './histogram';
import { cpuSeconds, formatBytes, formatMs, peakRssBytes, percentile, request, rssBytes, sleep } from './support';

/** The metric the wall clients watch: a gauge reported for provinces, any non-negative value is valid. */
const LIVE_METRIC = 'einvoice.issued';
/**
 * With --watched-share below 1, the rest of each batch goes to this gauge for provinces: the wall clients do not
 * watch it (they subscribe to it for the nation only), so the hub reads and filters it but sends none of it.
 */
const UNWATCHED_METRIC = 'einvoice.businesses';
/**
 * --wall: what the e-invoices wall page (dashboards/pages/e-invoices.yaml) subscribes to: one channel per distinct
 * panel query, with alerts and directives, as the wall's live client does (frontend/src/lib/live.ts).
 */
const WALL_SUBSCRIPTION: SubscribeRequest = {
  channels: [
    { metric: LIVE_METRIC, units: ['VN'] },
    { metric: UNWATCHED_METRIC, units: ['VN'] },
    { metric: LIVE_METRIC, units: 'provinces' },
    { metric: LIVE_METRIC, units: ['01', '79', '31', '48'] },
  ],
  alerts: true,
  directives: true,
};
const WALL_FEW_UNITS = new Set(['01', '79', '31', '48']);
/** The alert rule's metric: another gauge for provinces, so the load does not touch the rule. */
const ALERT_METRIC = 'digitech.new_enterprises';
const ALERT_UNIT = '79';
const ALERT_THRESHOLD = 1000;
const BREACH_VALUE = 5000;
const NORMAL_VALUE = 10;
const PROVINCES: readonly string[] = seedUnits.filter((u) => u.kind === 'province' && u.validUntil === null).map((u) => u.code);
/** In-window batches may still arrive this long after the window (their latency counts, whatever it is). */
const GRACE_MS = 5_000;
/** How long one breach (or recovery) may take to reach every client before it counts as missed. */
const ALERT_TIMEOUT_MS = 15_000;
/** The alert phase stops after this long (the iterations done so far are reported). */
const ALERT_BUDGET_MS = 180_000;
/**
 * Batches in flight at once (1.6 s of load at 20/s): when the server falls further behind, the sender skips
 * slots (counted) instead of queueing without bound, so a slow server shows as a missed rate, not as an ever
 * growing backlog that every later measurement (and the alert phase) would wait behind.
 */
const MAX_IN_FLIGHT = 32;
const GOAL_P99_INGEST_MS = 200;
const GOAL_P99_ALERT_MS = 1000;
/** On a server with several instances (issue 10 §4): both within 250 ms, the alert across instances. */
const GOAL_SERVER_P99_INGEST_MS = 250;
const GOAL_SERVER_P99_ALERT_MS = 250;
/** Issue 14 §4: the server's RSS with 5,000 wall clients. */
const GOAL_RSS_MB = 512;

/** Times are ms on CLOCK_MONOTONIC since this epoch; the client processes get the same epoch. */
const EPOCH = process.hrtime.bigint();
const nowMs = () => Number(process.hrtime.bigint() - EPOCH) / 1e6;

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

interface Options {
  durationS: number;
  warmupS: number;
  clients: number;
  /** batches per second */
  rate: number;
  batchSize: number;
  alertIterations: number;
  clientProcs: number;
  /** `dxoc serve` processes on the server database (1 on the embedded database) */
  instances: number;
  profileDir: string | null;
  /** subscribe like the e-invoices wall page (4 channels, alerts, directives) instead of one channel with alerts */
  wall: boolean;
  /** share of each batch's points on the watched metric (the rest on UNWATCHED_METRIC) */
  watchedShare: number;
  /** the server's DXOC_LIVE_FANOUT (grouped or per-client) */
  fanout: string;
  /** NODE_OPTIONS of the server processes only */
  serverNodeOptions: string | null;
  /** the TimescaleDB server to measure on (DATABASE_URL), or null for the embedded database */
  databaseUrl: string | null;
}

const OPTION_SPEC = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  clients: { type: 'string' },
  rate: { type: 'string' },
  batch: { type: 'string' },
  'alert-iterations': { type: 'string' },
  'client-procs': { type: 'string' },
  instances: { type: 'string' },
  profile: { type: 'string' },
  wall: { type: 'boolean' },
  'watched-share': { type: 'string' },
  fanout: { type: 'string' },
  'server-node-options': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(argv: string[]): Options {
  const values = parseBenchArgs(argv, OPTION_SPEC, [
    'usage: npm run bench:live -- [--duration=SECONDS (20, or BENCH_DURATION)] [--warmup=SECONDS (5)] [--clients=N (500)]',
    '                             [--rate=BATCHES_PER_S (20)] [--batch=N points per batch (100)] [--alert-iterations=N (20; 0 skips)]',
    '                             [--client-procs=N processes for the clients (2)] [--profile=DIR (CPU profile of the server)]',
    '                             [--instances=N dxoc serve processes (2; DATABASE_URL only)]',
    '                             [--wall (subscribe like the e-invoices wall page)] [--watched-share=F (1: share of the points on the watched metric)]',
    "                             [--fanout=grouped|per-client (the server's DXOC_LIVE_FANOUT; grouped)]",
    '                             [--server-node-options="--max-old-space-size=256" (V8 flags of the server processes only)]',
    'DATABASE_URL=postgresql://…: measure on that TimescaleDB server (a fresh database on it), 1,000 clients by default.',
  ]);
  const databaseUrl = process.env.DATABASE_URL || null;
  const batchSize = Math.floor(positive('batch', values.batch, 100));
  if (batchSize > 5000) throw new UsageError('--batch may be at most 5000 (the API limit)');
  const clients = Math.floor(positive('clients', values.clients, databaseUrl ? 1000 : 500));
  // one embedded data dir belongs to one server process
  const instances = databaseUrl ? Math.floor(positive('instances', values.instances, 2)) : 1;
  if (!databaseUrl && values.instances !== undefined && values.instances !== '1')
    throw new UsageError('--instances needs DATABASE_URL: an embedded data dir has one server');
  const watchedShare = positive('watched-share', values['watched-share'], 1);
  if (watchedShare > 1) throw new UsageError('--watched-share is a share of each batch: at most 1');
  const fanout = values.fanout ?? 'grouped';
  if (fanout !== 'grouped' && fanout !== 'per-client') throw new UsageError('--fanout is grouped or per-client');
  // the server processes inherit this process's environment (serverEnv)
  process.env.DXOC_LIVE_FANOUT = fanout;
  return {
    databaseUrl,
    instances,
    wall: values.wall === true,
    serverNodeOptions: values['server-node-options'] ?? null,
    watchedShare,
    fanout,
    durationS: positive('duration', values.duration ?? process.env.BENCH_DURATION, 20),
    warmupS: positive('warmup', values.warmup, 5, true),
    clients,
    rate: positive('rate', values.rate, 20),
    batchSize,
    alertIterations: Math.floor(positive('alert-iterations', values['alert-iterations'], 20, true)),
    // every instance gets client processes of its own
    clientProcs: Math.min(clients, Math.max(instances, Math.floor(positive('client-procs', values['client-procs'], 2)))),
    profileDir:
      values.profile === undefined ? null : path.resolve(values.profile || path.join(os.tmpdir(), `dxoc-bench-profile-${Date.now()}`)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The wall clients, in forked processes (backend/bench/live-clients.ts)
// ---------------------------------------------------------------------------------------------------------

class ClientGroup {
  private readonly replies = new Map<string, (message: FromClients) => void>();
  private exited = false;

  private constructor(
    readonly child: ChildProcess,
    readonly size: number,
    onAlerts: (receipts: AlertReceipt[]) => void,
  ) {
    child.on('message', (message: FromClients) => {
      if (message.type === 'alerts') onAlerts(message.receipts);
      else this.replies.get(message.type)?.(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const reply of this.replies.values()) reply({ type: 'closed' });
      if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`a client process exited with ${code ?? signal}\n`);
    });
  }

  static start(size: number, onAlerts: (receipts: AlertReceipt[]) => void): ClientGroup {
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'live-clients.ts');
    // fork keeps process.execArgv: the child runs under the same tsx loader as this process
    const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const group = new ClientGroup(child, size, onAlerts);
    onCleanup(async () => {
      if (group.exited || child.pid === undefined) return;
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    return group;
  }

  /** Sends a command and resolves with the reply of the given type (or 'closed' if the process ends). */
  ask<T extends FromClients['type']>(command: ToClients, replyType: T, timeoutMs: number): Promise<Extract<FromClients, { type: T }>> {
    if (this.exited) return Promise.reject(new Error('a client process has exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(replyType);
        reject(new Error(`a client process did not answer "${command.type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.replies.set(replyType, (message) => {
        clearTimeout(timer);
        this.replies.delete(replyType);
        if (message.type !== replyType) reject(new Error(`a client process exited while answering "${command.type}"`));
        else resolve(message as Extract<FromClients, { type: T }>);
      });
      this.child.send(command);
    });
  }

  cpuSeconds(): number | null {
    return this.child.pid === undefined ? null : cpuSeconds(this.child.pid);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.ask({ type: 'close' }, 'closed', 10_000).catch(() => undefined);
  }
}

/** Alert events the clients received, by alert and transition: client → receive time (first receipt only). */
class AlertReceipts {
  private readonly byKey = new Map<string, Map<number, number>>();
  ruleId = -1;

  add(receipts: AlertReceipt[]): void {
    for (const receipt of receipts) {
      if (receipt.ruleId !== this.ruleId) continue;
      const key = `${receipt.alertId}:${receipt.transition}`;
      let clients = this.byKey.get(key);
      if (!clients) this.byKey.set(key, (clients = new Map()));
      if (!clients.has(receipt.client)) clients.set(receipt.client, receipt.atMs);
    }
  }

  /** Alert ids that have a receipt of this transition. */
  alertIds(transition: string): number[] {
    return [...this.byKey.keys()].filter((key) => key.endsWith(`:${transition}`)).map((key) => Number(key.split(':')[0]));
  }

  get(alertId: number, transition: string): Map<number, number> {
    return this.byKey.get(`${alertId}:${transition}`) ?? new Map();
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------

/** The load's connections (kept alive, as an agent would). */
const api = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** Login, rules, alert queries: a fresh connection each. */
const single = new http.Agent({ keepAlive: false });
/**
 * The alert phase's values: one kept-alive connection of their own, as an agent would have, never queued behind
 * the load's requests on the client side (a reset kept-alive socket is retried: ingest is idempotent by batchId).
 */
const alertAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
onCleanup(() => {
  api.destroy();
  single.destroy();
  alertAgent.destroy();
});

async function postJson(
  server: ServerProcess,
  route: string,
  bearer: string,
  body: unknown,
  requestId?: string,
  agent: http.Agent = single,
): Promise<{ status: number; body: string; retryAfterS: number | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (requestId) headers['x-request-id'] = requestId;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await request(agent, new URL(route, server.url), 'POST', headers, JSON.stringify(body));
  const retryAfter = Number(response.headers['retry-after']);
  return { ...response, retryAfterS: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
}

async function getJson<T>(server: ServerProcess, route: string, bearer: string): Promise<T> {
  const response = await request(single, new URL(route, server.url), 'GET', { authorization: `Bearer ${bearer}` });
  if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}: ${response.body.slice(0, 500)}`);
  return JSON.parse(response.body) as T;
}

/** Prometheus text → sum of the samples of one metric name (over all label sets), or null when absent. */
function metricSum(text: string | null, name: string): number | null {
  if (text === null) return null;
  let sum: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

async function scrape(server: ServerProcess): Promise<string | null> {
  try {
    const response = await request(new http.Agent({ keepAlive: false }), server.metricsUrl, 'GET', {});
    return response.status === 200 ? response.body : null;
  } catch {
    return null;
  }
}

/**
 * The server's own time for requests this benchmark tagged with X-Request-Id (its "http.request" log line: from
 * the moment express starts on the request to the answer), to tell time spent inside a request from time spent
 * before the server's busy event loop got to it.
 */
class ServerRequestLog {
  private readonly durations = new Map<string, number>();
  private partial = '';

  constructor(
    server: ServerProcess,
    private readonly prefix: string,
  ) {
    server.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes(this.prefix) || !line.includes('http.request')) continue;
        try {
          const entry = JSON.parse(line) as { event?: string; requestId?: string; durationMs?: number };
          if (entry.event === 'http.request' && entry.requestId && typeof entry.durationMs === 'number')
            this.durations.set(entry.requestId, entry.durationMs);
        } catch {
          // not a log line
        }
      }
    });
  }

  durationMs(requestId: string): number | undefined {
    return this.durations.get(requestId);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The load: batches at an even pace, every point's value is the batch's send time
// ---------------------------------------------------------------------------------------------------------

interface BatchRecord {
  sendMs: number;
  /** HTTP status, or null while in flight / on a network error */
  status: number | null;
  latencyMs: number;
  /** points of this batch each client should receive (a point in two subscribed channels counts twice) */
  deliverable: number;
}

class Producer {
  readonly batches: BatchRecord[] = [];
  firstError: string | null = null;
  /** when requests failed or answered other than 202 */
  readonly errorsAt: number[] = [];
  /** how late batches left compared with their schedule (this process being busy), ms */
  readonly scheduleLagMs: number[] = [];
  /** send times of slots skipped because MAX_IN_FLIGHT batches were in flight */
  readonly skippedAt: number[] = [];
  private next = 0;
  private readonly base = Math.floor((Date.now() - 30 * 86_400_000) / 1000) * 1000;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly server: ServerProcess,
    private readonly key: string,
    private readonly options: Options,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const periodMs = 1000 / this.options.rate;
    const start = nowMs();
    for (let k = 0; !this.stopped; k += 1) {
      const due = start + k * periodMs;
      const wait = due - nowMs();
      if (wait > 0) await sleep(wait);
      if (this.stopped) break;
      this.scheduleLagMs.push(Math.max(0, nowMs() - due));
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        this.skippedAt.push(nowMs());
        continue;
      }
      const sending = this.send();
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    }
  }

  /**
   * Point i is for province i mod 34 at base + floor(i / 34) s (30 days ago onwards): distinct (metric, unit, ts)
   * within a run. The value of every point is the send time, which names the batch at the clients.
   */
  private async send(): Promise<void> {
    const sendMs = Math.round(nowMs() * 1000) / 1000;
    const parts = new Array<string>(this.options.batchSize);
    // the first `watched` points of each batch are on the watched metric (at least one: it names the batch)
    const watched = Math.max(1, Math.round(this.options.batchSize * this.options.watchedShare));
    let deliverable = 0;
    for (let k = 0; k < this.options.batchSize; k += 1) {
      const i = this.next + k;
      const unit = PROVINCES[i % PROVINCES.length] as string;
      const metric = k < watched ? LIVE_METRIC : UNWATCHED_METRIC;
      if (k < watched) deliverable += this.options.wall && WALL_FEW_UNITS.has(unit) ? 2 : 1;
      parts[k] =
        `{"metric":"${metric}","unit":"${unit}","ts":"${new Date(this.base + Math.floor(i / PROVINCES.length) * 1000).toISOString()}","value":${sendMs}}`;
    }
    const batchId = `live-bench-${this.next / this.options.batchSize}`;
    this.next += this.options.batchSize;
    const record: BatchRecord = { sendMs, status: null, latencyMs: Number.NaN, deliverable };
    this.batches.push(record);
    try {
      const response = await request(
        api,
        new URL('/api/v1/ingest', this.server.url),
        'POST',
        { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
        `{"batchId":"${batchId}","points":[${parts.join(',')}]}`,
      );
      record.status = response.status;
      record.latencyMs = nowMs() - sendMs;
      if (response.status !== 202) {
        this.errorsAt.push(nowMs());
        this.firstError ??= `HTTP ${response.status}: ${response.body.slice(0, 500)}`;
      }
    } catch (error) {
      this.errorsAt.push(nowMs());
      this.firstError ??= `request failed after ${formatMs(nowMs() - sendMs)} ms: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------------------

type AlertSetup = { available: true; ruleId: number; session: string } | { available: false; reason: string };

interface AlertResult {
  iterations: number;
  /** receive − breach send time at every client, all iterations */
  firingMs: number[];
  /** the same, for the clients of instances other than the one the breach was posted to */
  remoteFiringMs: number[];
  /** the first client to get it, per iteration */
  firstFiringMs: number[];
  resolvedMs: number[];
  /** breach → 202 of its ingest request */
  ingestMs: number[];
  /** the server's own handling time of each breach request (its log), NaN when not logged */
  serverMs: number[];
  /** 202 of the breach → receive, at every client: evaluation after the commit, the tick, the fan-out */
  after202Ms: number[];
  /** when the alert phase ran (ms since the epoch), to compare with the load's requests meanwhile */
  startedMs: number;
  endedMs: number;
  /** (client, iteration) pairs that did not get the transition within ALERT_TIMEOUT_MS */
  missedFiring: number;
  missedResolved: number;
  /** breaches and recoveries re-sent after a 429 or 503 with Retry-After */
  retries: number;
  errors: string[];
}

class AlertPusher {
  private lastTs = 0;
  private batch = 0;
  /** the X-Request-Id of the last push */
  lastRequestId = '';
  /** pushes re-sent after a 429 or 503 (the wait is part of the measured latency) */
  retries = 0;

  constructor(
    private readonly server: ServerProcess,
    private readonly key: string,
  ) {}

  /** Posts one value for the alert unit at a ts later than every earlier one; returns the 202 time (ms) */
  async push(value: number): Promise<number> {
    this.lastRequestId = `live-bench-alert-${this.batch + 1}`;
    const started = nowMs();
    this.lastTs = Math.max(this.lastTs + 1, Date.now());
    const body = {
      batchId: `live-bench-alert-${process.pid}-${(this.batch += 1)}`,
      points: [{ metric: ALERT_METRIC, unit: ALERT_UNIT, ts: new Date(this.lastTs).toISOString(), value }],
    };
    let response: { status: number; body: string; retryAfterS: number | null } | null = null;
    for (let attempt = 1; response === null; attempt += 1) {
      try {
        response = await postJson(this.server, '/api/v1/ingest', this.key, body, this.lastRequestId, alertAgent);
      } catch (error) {
        // a batch is idempotent by batchId: re-sending it is safe
        if (attempt >= 3) throw error;
        continue;
      }
      // a busy server sheds the batch with Retry-After; an agent waits and re-sends it, and the breach is that much later
      if ((response.status === 429 || response.status === 503) && attempt < 10) {
        this.retries += 1;
        await sleep((response.retryAfterS ?? 1) * 1000);
        response = null;
      }
    }
    if (response.status !== 202 && response.status !== 200)
      throw new Error(`posting ${value} for ${ALERT_UNIT} answered ${response.status}: ${response.body.slice(0, 500)}`);
    return nowMs() - started;
  }
}

async function setUpAlerts(server: ServerProcess, pusher: AlertPusher): Promise<AlertSetup> {
  const password = `bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  await createUser(server, 'bench.staff', 'staff', password);
  const login = await postJson(server, '/api/v1/auth/login', '', { username: 'bench.staff', password });
  if (login.status !== 200) throw new Error(`POST /api/v1/auth/login answered ${login.status}: ${login.body.slice(0, 500)}`);
  const session = (JSON.parse(login.body) as LoginResponse).token;
  const rule: AlertRuleInput = {
    name: `bench: ${ALERT_METRIC} above ${ALERT_THRESHOLD} in ${ALERT_UNIT}`,
    metric: ALERT_METRIC,
    scope: { kind: 'units', units: [ALERT_UNIT] },
    condition: { type: 'above', value: ALERT_THRESHOLD },
    for: '0s',
    keepFiringFor: '0s',
    severity: 'critical',
    messageVi: 'Số doanh nghiệp công nghệ số mới của {unitName} là {value}, vượt ngưỡng {threshold}',
    messageEn: 'New digital technology enterprises in {unitName}: {value}, above {threshold}',
    enabled: true,
  };
  const created = await postJson(server, '/api/v1/alert-rules', session, rule);
  if (created.status === 404 || created.status === 405) return { available: false, reason: 'POST /api/v1/alert-rules not available' };
  if (created.status !== 201 && created.status !== 200) {
    return { available: false, reason: `POST /api/v1/alert-rules answered ${created.status}: ${created.body.slice(0, 300)}` };
  }
  const ruleId = (JSON.parse(created.body) as AlertRule).id;
  // start from a normal value: a seeded value above the threshold may have fired the rule at creation
  await pusher.push(NORMAL_VALUE);
  const deadline = Date.now() + ALERT_TIMEOUT_MS;
  for (;;) {
    const { alerts } = await getJson<{ alerts: Alert[] }>(
      server,
      `/api/v1/alerts?state=open&metric=${ALERT_METRIC}&unit=${ALERT_UNIT}`,
      session,
    );
    if (!alerts.some((alert) => alert.ruleId === ruleId)) break;
    if (Date.now() > deadline)
      return { available: false, reason: `the rule's alert did not resolve after a normal value within ${ALERT_TIMEOUT_MS / 1000} s` };
    await sleep(100);
  }
  return { available: true, ruleId, session };
}

async function measureAlerts(
  pusher: AlertPusher,
  receipts: AlertReceipts,
  serverLog: ServerRequestLog,
  clients: number,
  iterations: number,
  isRemote: (client: number) => boolean,
): Promise<AlertResult> {
  const result: AlertResult = {
    startedMs: nowMs(),
    endedMs: Number.NaN,
    iterations: 0,
    firingMs: [],
    remoteFiringMs: [],
    firstFiringMs: [],
    resolvedMs: [],
    ingestMs: [],
    serverMs: [],
    after202Ms: [],
    missedFiring: 0,
    missedResolved: 0,
    retries: 0,
    errors: [],
  };
  const seen = new Set(receipts.alertIds('firing'));
  /** Waits until every client has the transition (or the timeout); returns the alert id, or null if none came. */
  const waitFor = async (transition: string, alertId: number | null, since: number): Promise<number | null> => {
    const deadline = nowMs() + ALERT_TIMEOUT_MS;
    for (;;) {
      const id = alertId ?? receipts.alertIds(transition).find((candidate) => !seen.has(candidate)) ?? null;
      if (id !== null && receipts.get(id, transition).size >= clients) return id;
      if (nowMs() > deadline) return id;
      await sleep(Math.min(10, Math.max(1, nowMs() - since)));
    }
  };
  const budgetEnd = nowMs() + ALERT_BUDGET_MS;
  const requestIds: string[] = [];
  for (let i = 0; i < iterations; i += 1) {
    if (nowMs() > budgetEnd) {
      result.errors.push(`stopped after ${i} of ${iterations} breaches: the alert phase ran out of its ${ALERT_BUDGET_MS / 1000} s budget`);
      break;
    }
    const breachAt = nowMs();
    const ingestMs = await pusher.push(BREACH_VALUE);
    requestIds.push(pusher.lastRequestId);
    result.ingestMs.push(ingestMs);
    const alertId = await waitFor('firing', null, breachAt);
    result.iterations += 1;
    if (alertId === null) {
      result.missedFiring += clients;
      result.errors.push(`breach ${i + 1}: no client got 'firing' within ${ALERT_TIMEOUT_MS / 1000} s`);
    } else {
      seen.add(alertId);
      const receivedAt = [...receipts.get(alertId, 'firing')];
      const times = receivedAt.map(([, at]) => at - breachAt);
      result.firingMs.push(...times);
      result.remoteFiringMs.push(...receivedAt.filter(([client]) => isRemote(client)).map(([, at]) => at - breachAt));
      result.after202Ms.push(...times.map((t) => t - ingestMs));
      result.firstFiringMs.push(Math.min(...times));
      result.missedFiring += clients - times.length;
    }
    const recoverAt = nowMs();
    await pusher.push(NORMAL_VALUE);
    if (alertId !== null) {
      await waitFor('resolved', alertId, recoverAt);
      const times = [...receipts.get(alertId, 'resolved').values()].map((at) => at - recoverAt);
      result.resolvedMs.push(...times);
      result.missedResolved += clients - times.length;
    } else {
      await sleep(1000);
    }
  }
  result.endedMs = nowMs();
  result.retries = pusher.retries;
  await sleep(500); // the log lines of the last requests
  result.serverMs = requestIds.map((id) => serverLog.durationMs(id) ?? Number.NaN);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------

interface WindowStats {
  seconds: number;
  serverCores: number | null;
  clientCores: (number | null)[];
  benchCores: number;
  rssStart: number | null;
  rssEnd: number | null;
  rssMax: number | null;
  peakRss: number | null;
  metricsStart: string | null;
  metricsEnd: string | null;
  /** seconds between the two scrape answers: the server's counters cover this, not exactly the window */
  metricsSeconds: number;
  loadStart: number[];
  loadEnd: number[];
  windowUs: [number, number];
  /** on a server: each instance, and the postgres processes */
  server: ServerWindow | null;
}

interface ServerWindow {
  database: string;
  instances: {
    label: string;
    clients: number;
    cores: number | null;
    rssEnd: number | null;
    peakRss: number | null;
    /** event-loop lag mean / p99 / max (ms) from its /metrics */
    lag: string;
    /** ingest→client latencies of its clients */
    latency: LatencyHistogram;
  }[];
  postgres: { cluster: number | null; database: number | null } | null;
}

/** The groups' reports as one, their latency histograms added up. */
interface MergedReport extends Omit<ClientsReport, 'latency' | 'after202'> {
  latency: LatencyHistogram;
  after202: LatencyHistogram;
}

function merge(reports: ClientsReport[]): MergedReport {
  const latency = new LatencyHistogram();
  const after202 = new LatencyHistogram();
  for (const r of reports) {
    latency.addEntries(r.latency);
    after202.addEntries(r.after202);
  }
  return {
    latency,
    after202,
    messages: reports.flatMap((r) => r.messages),
    pointsInMessages: reports.flatMap((r) => r.pointsInMessages),
    batchesSeen: reports.flatMap((r) => r.batchesSeen),
    pointsSeen: reports.flatMap((r) => r.pointsSeen),
    bytes: sum(reports.map((r) => r.bytes)),
    resets: reports.reduce((n, r) => n + r.resets, 0),
    resetReasons: [...new Set(reports.flatMap((r) => r.resetReasons))],
    disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
    disconnectReasons: [...new Set(reports.flatMap((r) => r.disconnectReasons))],
  };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : 'n/a');
const num = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');

function printReport(
  options: Options,
  connected: number,
  producer: Producer,
  window: { startMs: number; endMs: number },
  clients: MergedReport,
  stats: WindowStats,
  alerts: AlertResult | null,
  alertSkip: string | null,
): void {
  const inWindow = producer.batches.filter((b) => b.sendMs >= window.startMs && b.sendMs <= window.endMs);
  const skipped = producer.skippedAt.filter((at) => at >= window.startMs && at <= window.endMs).length;
  const accepted = inWindow.filter((b) => b.status === 202);
  const httpMs = sorted(accepted.map((b) => b.latencyMs));
  const lag = sorted(producer.scheduleLagMs);
  const { latency, after202 } = clients;
  const errors = producer.errorsAt.filter((at) => at >= window.startMs && at <= window.endMs + GRACE_MS).length;
  const expectedPairs = connected * accepted.length;
  const seenPairs = sum(clients.batchesSeen);
  const perClientRate = sorted(clients.messages.map((m) => m / stats.seconds));
  const pointsPerMessage = sum(clients.pointsInMessages) / Math.max(1, sum(clients.messages));
  const deliveredPoints = sum(clients.pointsInMessages);
  const m0 = stats.metricsStart;
  const m1 = stats.metricsEnd;
  const delta = (name: string) => {
    const a = metricSum(m0, name);
    const b = metricSum(m1, name);
    return a === null || b === null ? Number.NaN : b - a;
  };
  const serverMessagesPerClientS = delta('dxoc_live_messages_total') / Math.max(1, connected) / stats.metricsSeconds;
  const lagP99 = (metricSum(m1, 'dxoc_nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000;
  const lagMax = (metricSum(m1, 'dxoc_nodejs_eventloop_lag_max_seconds') ?? Number.NaN) * 1000;
  const lagMean = (metricSum(m1, 'dxoc_nodejs_eventloop_lag_mean_seconds') ?? Number.NaN) * 1000;
  const gcS = delta('dxoc_nodejs_gc_duration_seconds_sum');
  const batchS = delta('dxoc_ingest_batch_duration_seconds_sum') / delta('dxoc_ingest_batch_duration_seconds_count');
  const tickMs = (phase: 'read' | 'write') =>
    (1000 * delta(`dxoc_live_tick_duration_seconds_sum{phase="${phase}"}`)) /
    delta(`dxoc_live_tick_duration_seconds_count{phase="${phase}"}`);
  const dbQueries = delta('dxoc_db_query_duration_seconds_count');
  const dbSeconds = delta('dxoc_db_query_duration_seconds_sum');
  const lagging = metricSum(m1, 'dxoc_live_lagging_clients');
  const p = (values: number[], q: number) => formatMs(percentile(values, q));
  const h = (histogram: LatencyHistogram, q: number) => formatMs(histogram.percentile(q));
  const rows: [string, string][] = [
    [
      'clients',
      `${connected} of ${options.clients} connected (websocket, viewer token, ${options.clientProcs} client processes), each subscribed to ${options.wall ? `the e-invoices wall page's ${WALL_SUBSCRIPTION.channels.length} channels with alerts and directives` : `${LIVE_METRIC} × provinces with alerts`}; server fan-out ${options.fanout}${options.serverNodeOptions ? `, server NODE_OPTIONS ${options.serverNodeOptions}` : ''}`,
    ],
    [
      'load',
      `${options.rate} batches/s × ${options.batchSize} points = ${Math.round(options.rate * options.batchSize).toLocaleString('en-US')} points/s target${options.watchedShare < 1 ? ` (${Math.round(options.watchedShare * 100)}% on the watched ${LIVE_METRIC}, the rest on ${UNWATCHED_METRIC})` : ''}; in the window ${inWindow.length} sent, ${accepted.length} accepted (${Math.round((accepted.length * options.batchSize) / stats.seconds).toLocaleString('en-US')} points/s)${skipped > 0 ? `, ${skipped} not sent (${MAX_IN_FLIGHT} batches in flight: the server is behind)` : ''}`,
    ],
    [
      'ingest POST → 202 p50 / p99 (ms)',
      `${p(httpMs, 50)} / ${p(httpMs, 99)}  (errors ${errors} in the window, ${producer.errorsAt.length} in all; sender behind schedule p99 ${p(lag, 99)} ms, max ${formatMs(lag.at(-1) ?? Number.NaN)} ms)`,
    ],
    ['ingest→client p50 (ms)', h(latency, 50)],
    ['ingest→client p95 (ms)', h(latency, 95)],
    [
      'ingest→client p99 (ms)',
      `${h(latency, 99)}  (max ${formatMs(latency.max())}; ${latency.count.toLocaleString('en-US')} samples = first point of each batch at each client)`,
    ],
    [
      '  of which 202 → client (ms)',
      `p50 ${h(after202, 50)}, p95 ${h(after202, 95)}, p99 ${h(after202, 99)}  (the rest is the ingest request itself: POST → 202)`,
    ],
    [
      'delivered',
      `${pct(seenPairs, expectedPairs)} of (client, batch) pairs, ${pct(sum(clients.pointsSeen), connected * sum(accepted.map((b) => b.deliverable)))} of points, within ${GRACE_MS / 1000} s after the window`,
    ],
    [
      'per delivered point',
      `${num(deliveredPoints / stats.seconds, 0)} points/s delivered in all (${num(deliveredPoints / stats.seconds / Math.max(1, connected), 0)} per client); ${num(clients.bytes / Math.max(1, deliveredPoints), 1)} bytes of socket.io payload each (${num(clients.bytes / Math.max(1, sum(clients.messages)), 0)} per message); server ${stats.serverCores === null ? 'n/a' : `${num((stats.serverCores * stats.seconds * 1e9) / Math.max(1, deliveredPoints), 0)} ns CPU each, ${num((stats.serverCores * 1e6) / Math.max(1, connected), 0)} µs CPU per client per s`}`,
    ],
    [
      'messages per client per s',
      `p50 ${num(percentile(perClientRate, 50))} (min ${num(perClientRate[0] ?? Number.NaN)}, max ${num(perClientRate.at(-1) ?? Number.NaN)}), ${num(pointsPerMessage)} points per message; server counted ${num(serverMessagesPerClientS)} live:tick per client per s, ${num(delta('dxoc_live_messages_total') / delta('dxoc_live_ticks_built_total'))} sockets per built payload`,
    ],
    [
      'stream:reset / disconnects',
      `${clients.resets}${clients.resetReasons.length ? ` (${clients.resetReasons.join('; ')})` : ''} / ${clients.disconnects}${clients.disconnectReasons.length ? ` (${clients.disconnectReasons.join('; ')})` : ''}; lagging clients at end of window ${lagging ?? 'n/a'}`,
    ],
  ];
  if (alerts) {
    const firing = sorted(alerts.firingMs);
    const first = sorted(alerts.firstFiringMs);
    const resolved = sorted(alerts.resolvedMs);
    const ingest = sorted(alerts.ingestMs);
    const after202 = sorted(alerts.after202Ms);
    rows.push(
      ['breach→alert p50 (ms)', p(firing, 50)],
      [
        'breach→alert p99 (ms)',
        `${p(firing, 99)}  (max ${formatMs(firing.at(-1) ?? Number.NaN)}; ${alerts.iterations} breaches × ${connected} clients; first client p50 ${p(first, 50)})`,
      ],
      [
        '  of which ingest / after 202',
        `breach POST → 202 p50 ${p(ingest, 50)}, p99 ${p(ingest, 99)}; 202 → client p50 ${p(after202, 50)}, p99 ${p(after202, 99)}`,
      ],
      [
        '  breach POST → 202 each (ms)',
        `${alerts.ingestMs.map((ms) => ms.toFixed(0)).join(' ')}${alerts.retries > 0 ? `  (${alerts.retries} pushes re-sent after 429/503 Retry-After)` : ''}`,
      ],
      [
        '    of which in the server (ms)',
        `${alerts.serverMs.map((ms) => (Number.isFinite(ms) ? ms.toFixed(0) : '?')).join(' ')}  (its http.request log; the rest waited before express got to it)`,
      ],
      [
        '  load meanwhile',
        (() => {
          const during = producer.batches.filter((b) => b.sendMs >= alerts.startedMs && b.sendMs <= alerts.endedMs);
          const ok = sorted(during.filter((b) => b.status === 202).map((b) => b.latencyMs));
          return `${during.length} batches sent during the alert phase (${num(during.length / ((alerts.endedMs - alerts.startedMs) / 1000))}/s), POST → 202 p50 ${p(ok, 50)}, p99 ${p(ok, 99)}`;
        })(),
      ],
      ['recovery→resolved p50 / p99 (ms)', `${p(resolved, 50)} / ${p(resolved, 99)}`],
      [
        'alert deliveries missed',
        `firing ${alerts.missedFiring}, resolved ${alerts.missedResolved} (not received within ${ALERT_TIMEOUT_MS / 1000} s)`,
      ],
    );
  }
  rows.push(
    [
      'server RSS',
      `${formatBytes(stats.rssStart)} at window start, ${formatBytes(stats.rssEnd)} at end, max sampled ${formatBytes(stats.rssMax)}; peak since start (VmHWM) ${formatBytes(stats.peakRss)}`,
    ],
    stats.server
      ? [
          'server CPU during the window',
          `${stats.serverCores === null ? 'n/a' : stats.serverCores.toFixed(2)} cores of node in all (1.00 = one core busy): ${stats.server.instances.map((i) => `${i.label} ${i.cores === null ? 'n/a' : i.cores.toFixed(2)} (event-loop lag mean / p99 / max ${i.lag} ms)`).join(', ')}; GC ${num(gcS, 2)} s; postgres ${stats.server.postgres?.cluster === null || !stats.server.postgres ? 'n/a' : (stats.server.postgres.cluster / stats.seconds).toFixed(2)} cores (the bench database's backends ${stats.server.postgres?.database === null || !stats.server.postgres ? 'n/a' : (stats.server.postgres.database / stats.seconds).toFixed(2)})`,
        ]
      : [
          'server CPU during the window',
          `${stats.serverCores === null ? 'n/a' : stats.serverCores.toFixed(2)} cores (1.00 = one core busy); event-loop lag mean ${num(lagMean)} / p99 ${num(lagP99)} / max ${num(lagMax)} ms; GC ${num(gcS, 2)} s`,
        ],
    [
      'server work during the window',
      `${num(dbQueries / stats.metricsSeconds, 0)} DB queries/s (${num(dbSeconds / stats.metricsSeconds, 2)} s in queries per s, waits included); ingest batch handling mean ${num(batchS * 1000)} ms; live tick mean read ${num(tickMs('read'))} ms, write to the sockets ${num(tickMs('write'))} ms (metrics over ${num(stats.metricsSeconds)} s between scrapes)`,
    ],
    [
      'bench CPU during the window',
      `clients ${stats.clientCores.map((c) => (c === null ? 'n/a' : c.toFixed(2))).join(' + ')} cores, sender ${stats.benchCores.toFixed(2)} cores`,
    ],
    ['load average (1/5/15 min)', `${load(stats.loadStart)} at window start, ${load(stats.loadEnd)} at end (${os.cpus().length} CPUs)`],
  );
  if (stats.server) {
    // after the overall latencies: which instance a client was on (A takes the ingest; the others learn from the database)
    const at = rows.findIndex(([name]) => name === 'ingest→client p99 (ms)') + 1;
    rows.splice(
      at,
      0,
      ...stats.server.instances.map((i): [string, string] => [
        `  clients on ${i.label} p50 / p99 (ms)`,
        `${h(i.latency, 50)} / ${h(i.latency, 99)}  (${i.clients} clients)`,
      ]),
    );
    if (alerts) {
      const remote = sorted(alerts.remoteFiringMs);
      const after = rows.findIndex(([name]) => name === 'breach→alert p99 (ms)') + 1;
      rows.splice(after, 0, [
        `  clients on other instances`,
        `p50 ${p(remote, 50)}, p99 ${p(remote, 99)}  (${remote.length} deliveries: breach posted to ${stats.server.instances[0]?.label}, delivered through the database)`,
      ]);
    }
    rows.splice(
      rows.findIndex(([name]) => name === 'server RSS'),
      1,
      [
        'server RSS',
        `${stats.server.instances.map((i) => `${i.label} ${formatBytes(i.rssEnd)} at end (peak ${formatBytes(i.peakRss)})`).join(', ')}; ${stats.server.instances[0]?.label} ${formatBytes(stats.rssStart)} at window start, max sampled in the window ${formatBytes(stats.rssMax)} (the peak may be the connecting clients' handshakes)`,
      ],
    );
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  out();
  out(
    `live benchmark (${stats.server ? `${stats.server.database}, ${options.instances} dxoc serve instances` : 'embedded TimescaleDB / PGlite'}, DXOC_LIVE_TICK_MS default 100, warm-up ${options.warmupS} s, window ${stats.seconds} s)`,
  );
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  for (const [name, value] of rows) out(`${name.padEnd(width)}  ${value}`);
  out(`${'-'.repeat(width)}  ${'-'.repeat(40)}`);
  if (producer.firstError) out(`first ingest error: ${producer.firstError}`);
  if (alertSkip) out(`alert latency: skipped (${alertSkip})`);
  for (const error of alerts?.errors.slice(0, 5) ?? []) out(`alert: ${error}`);
  const busyClients = stats.clientCores.filter((c) => c !== null && c > 0.9).length;
  if (busyClients > 0)
    out(`note: ${busyClients} client process(es) used > 0.9 cores: measured latency includes queueing in the clients (try --client-procs)`);
  const p99 = latency.percentile(99);
  const multi = stats.server !== null && options.instances > 1;
  const goalIngest = stats.server ? GOAL_SERVER_P99_INGEST_MS : GOAL_P99_INGEST_MS;
  const goalAlert = stats.server ? GOAL_SERVER_P99_ALERT_MS : GOAL_P99_ALERT_MS;
  // across instances the goal is about the clients that hear of the breach only through the database
  const alertP99 = alerts ? percentile(sorted(multi ? alerts.remoteFiringMs : alerts.firingMs), 99) : Number.NaN;
  const alertGoal = `p99 breach→alert${multi ? ' across instances' : ''} ≤ ${goalAlert >= 1000 ? `${goalAlert / 1000} s` : `${goalAlert} ms`}`;
  out(`goals: p99 ingest→client ≤ ${goalIngest} ms, ${alertGoal}`);
  out(`  p99 ingest→client ≤ ${goalIngest} ms: ${Number.isFinite(p99) && p99 <= goalIngest ? 'met' : 'NOT met'} (${formatMs(p99)} ms)`);
  const alertMissed = (alerts?.missedFiring ?? 0) > 0;
  out(
    `  ${alertGoal}: ${
      alerts
        ? `${Number.isFinite(alertP99) && alertP99 <= goalAlert && !alertMissed ? 'met' : 'NOT met'} (${formatMs(alertP99)} ms${alertMissed ? `, ${alerts.missedFiring} missed` : ''})`
        : 'not measured (skipped)'
    }`,
  );
  if (options.wall) {
    // issue 14 §4: 5,000 wall clients per 2-core instance within 512 MB (the embedded engine alone takes more)
    const rss = stats.server ? Math.max(...stats.server.instances.map((i) => i.peakRss ?? Number.NaN)) : (stats.peakRss ?? Number.NaN);
    out(
      `  server RSS ≤ ${GOAL_RSS_MB} MB with ${connected} wall clients: ${Number.isFinite(rss) ? `${rss <= GOAL_RSS_MB * 1e6 ? 'met' : 'NOT met'} (peak ${formatBytes(rss)})` : 'not measured'}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  out(`dxoc live benchmark — node ${process.version}, ${os.cpus().length} CPU(s), load average ${load(os.loadavg())}`);
  let database: BenchDatabase | null = null;
  if (options.databaseUrl) {
    database = await createBenchDatabase(options.databaseUrl);
    out(
      `live: database ${database.name}: PostgreSQL ${database.postgresVersion}, TimescaleDB ${database.timescaledbVersion} (${database.versionSource}); postgres processes from ${database.cpu.how}`,
    );
  }
  // one after the other: the first migrates and seeds, the others find it done
  const servers: ServerProcess[] = [];
  for (let n = 0; n < options.instances; n += 1) {
    const name = String.fromCharCode(65 + n);
    servers.push(
      await startServer({
        profileDir: n === 0 ? options.profileDir : null,
        label: options.instances > 1 ? `live ${name}` : 'live',
        databaseUrl: database?.url ?? null,
        instanceId: database ? `bench-live-${name.toLowerCase()}` : undefined,
        nodeOptions: options.serverNodeOptions ?? undefined,
      }),
    );
  }
  const labels = servers.map((_, n) => String.fromCharCode(65 + n));
  /** Every batch and breach goes to this instance; the others' clients hear of them through the database. */
  const server = servers[0] as ServerProcess;
  // on the embedded database the CLI shares its one session: one command at a time
  const key = await createKey(server, 'live benchmark');
  const token = await createViewerToken(server, 'live benchmark wall');
  out('live: agent key for all units and viewer token created');

  const pusher = new AlertPusher(server, key);
  const serverLog = new ServerRequestLog(server, 'live-bench-alert-');
  let alertSetup: AlertSetup = { available: false, reason: '--alert-iterations=0' };
  if (options.alertIterations > 0) {
    alertSetup = await setUpAlerts(server, pusher);
    out(
      alertSetup.available
        ? `live: staff user bench.staff logged in, alert rule ${alertSetup.ruleId} created (${ALERT_METRIC} > ${ALERT_THRESHOLD} in ${ALERT_UNIT})`
        : `live: alert latency will be skipped (${alertSetup.reason})`,
    );
  }

  const receipts = new AlertReceipts();
  if (alertSetup.available) receipts.ruleId = alertSetup.ruleId;
  const subscribe: SubscribeRequest = options.wall
    ? WALL_SUBSCRIPTION
    : { channels: [{ metric: LIVE_METRIC, units: 'provinces' }], alerts: true };
  const groups: ClientGroup[] = [];
  /** group g's clients are on instance g mod instances */
  const instanceOf = (g: number) => g % servers.length;
  const connectStarted = nowMs();
  for (let g = 0; g < options.clientProcs; g += 1) {
    const size = Math.floor(options.clients / options.clientProcs) + (g < options.clients % options.clientProcs ? 1 : 0);
    groups.push(ClientGroup.start(size, (r) => receipts.add(r)));
  }
  let firstIndex = 0;
  /** [first client index, instance] of each group, to tell which instance a client's receipt came through */
  const groupStarts: [number, number][] = [];
  const connecting = groups.map((group, g) => {
    const command: ToClients = {
      type: 'connect',
      url: (servers[instanceOf(g)] as ServerProcess).url.origin,
      token,
      count: group.size,
      firstIndex,
      request: subscribe,
      epochNs: EPOCH.toString(),
      concurrency: 20,
    };
    groupStarts.push([firstIndex, instanceOf(g)]);
    firstIndex += group.size;
    return group.ask(command, 'connected', 180_000);
  });
  const clientInstance = (client: number) => {
    let instance = 0;
    for (const [start, n] of groupStarts) if (client >= start) instance = n;
    return instance;
  };
  const connectedReplies = await Promise.all(connecting);
  const connected = sum(connectedReplies.map((r) => r.connected));
  const failures = [...new Set(connectedReplies.flatMap((r) => r.failures))];
  out(
    `live: ${connected} of ${options.clients} clients connected and subscribed in ${((nowMs() - connectStarted) / 1000).toFixed(1)} s${servers.length > 1 ? ` (${labels.map((label, n) => `${sum(connectedReplies.filter((_, g) => instanceOf(g) === n).map((r) => r.connected))} on ${label}`).join(', ')})` : ''}${failures.length ? `; failures: ${failures.join('; ')}` : ''}`,
  );
  if (connected === 0) throw new Error(`no client could connect and subscribe:\n${failures.join('\n')}\n${server.output}`);

  const producer = new Producer(server, key, options);
  producer.start();
  out(
    `live: ${options.rate} batches/s × ${options.batchSize} points${servers.length > 1 ? ` to ${labels[0]}` : ''}, warm-up ${options.warmupS} s, measuring ${options.durationS} s (+${GRACE_MS / 1000} s for late deliveries) ...`,
  );
  await sleep(options.warmupS * 1000);
  for (const s of servers) if (s.child.exitCode !== null) throw new Error(`a server exited during the warm-up:\n${s.output}`);

  const pids = servers.map((s) => s.serverPid());
  const pid = pids[0] ?? null;
  const scrapesStart = await Promise.all(servers.map((s) => scrape(s))); // also resets the servers' event-loop-lag histograms
  const metricsStartAt = nowMs();
  const loadStart = os.loadavg();
  const rssStart = pid === null ? null : rssBytes(pid);
  const serverCpuStart = pids.map((p) => (p === null ? null : cpuSeconds(p)));
  const postgresStart = database ? await database.cpu.sample() : null;
  const clientCpuStart = groups.map((g) => g.cpuSeconds());
  const benchCpuStart = process.cpuUsage();
  const hrStart = process.hrtime.bigint();
  const window = { startMs: nowMs(), endMs: Number.POSITIVE_INFINITY };
  let rssMax = rssStart;
  const sampler = setInterval(() => {
    const rss = pid === null ? null : rssBytes(pid);
    if (rss !== null) rssMax = Math.max(rssMax ?? 0, rss);
  }, 500);
  await sleep(options.durationS * 1000);
  window.endMs = nowMs();
  clearInterval(sampler);
  const hrEnd = process.hrtime.bigint();
  const serverCpuEnd = pids.map((p) => (p === null ? null : cpuSeconds(p)));
  const postgresEnd = database ? await database.cpu.sample() : null;
  const clientCpuEnd = groups.map((g) => g.cpuSeconds());
  const benchCpu = process.cpuUsage(benchCpuStart);
  const rssEnd = pid === null ? null : rssBytes(pid);
  const peakRss = pid === null ? null : peakRssBytes(pid);
  const loadEnd = os.loadavg();
  const scrapesEnd = await Promise.all(servers.map((s) => scrape(s)));
  const metricsEndAt = nowMs();
  const seconds = (window.endMs - window.startMs) / 1000;
  const instanceCores = servers.map((_, n) => {
    const a = serverCpuStart[n];
    const b = serverCpuEnd[n];
    return a === null || a === undefined || b === null || b === undefined ? null : (b - a) / seconds;
  });
  // counters add up over instances when their texts are read as one; gauges are read per instance
  const joined = (texts: (string | null)[]) => (texts.some((t) => t === null) ? null : texts.join('\n'));
  const stats: WindowStats = {
    seconds: Math.round(seconds * 10) / 10,
    serverCores: instanceCores.some((c) => c === null) ? null : sum(instanceCores as number[]),
    clientCores: groups.map((_, i) => {
      const a = clientCpuStart[i];
      const b = clientCpuEnd[i];
      return a === null || a === undefined || b === null || b === undefined ? null : (b - a) / seconds;
    }),
    benchCores: (benchCpu.user + benchCpu.system) / 1e6 / seconds,
    rssStart,
    rssEnd,
    rssMax: rssMax === null || rssEnd === null ? rssMax : Math.max(rssMax, rssEnd),
    peakRss,
    metricsStart: joined(scrapesStart),
    metricsEnd: joined(scrapesEnd),
    metricsSeconds: (metricsEndAt - metricsStartAt) / 1000,
    loadStart,
    loadEnd,
    windowUs: [Number(hrStart / 1000n), Number(hrEnd / 1000n)],
    server: null,
  };
  await sleep(GRACE_MS);
  // the POST → 202 time of each batch answered so far, for the clients' 202 → client share
  const http202 = producer.batches
    .filter((b) => b.status === 202 && b.sendMs >= window.startMs && b.sendMs <= window.endMs && Number.isFinite(b.latencyMs))
    .map((b): [number, number] => [b.sendMs, b.latencyMs]);
  const reports = await Promise.all(
    groups.map((g) => g.ask({ type: 'report', startMs: window.startMs, endMs: window.endMs, http202 }, 'report', 60_000)),
  );
  const clientsReport = merge(reports.map((r) => r.report));
  out(`live: window done (${clientsReport.latency.count.toLocaleString('en-US')} latency samples)`);
  if (database) {
    stats.server = {
      database: `TimescaleDB server: PostgreSQL ${database.postgresVersion}, TimescaleDB ${database.timescaledbVersion}, database ${database.name}`,
      instances: servers.map((_, n) => {
        const mine = reports.filter((_, g) => instanceOf(g) === n).map((r) => r.report);
        const end = scrapesEnd[n] ?? null;
        const lag = (name: string) => num((metricSum(end, name) ?? Number.NaN) * 1000);
        return {
          label: labels[n] as string,
          clients: sum(connectedReplies.filter((_, g) => instanceOf(g) === n).map((r) => r.connected)),
          cores: instanceCores[n] ?? null,
          rssEnd: pids[n] === null || pids[n] === undefined ? null : rssBytes(pids[n] as number),
          peakRss: pids[n] === null || pids[n] === undefined ? null : peakRssBytes(pids[n] as number),
          lag: `${lag('dxoc_nodejs_eventloop_lag_mean_seconds')} / ${lag('dxoc_nodejs_eventloop_lag_p99_seconds')} / ${lag('dxoc_nodejs_eventloop_lag_max_seconds')}`,
          latency: merge(mine).latency,
        };
      }),
      postgres: postgresStart && postgresEnd ? postgresCpuDelta(postgresStart, postgresEnd) : null,
    };
  }

  let alerts: AlertResult | null = null;
  let alertSkip: string | null = alertSetup.available ? null : alertSetup.reason;
  if (alertSetup.available) {
    out(`live: ${options.alertIterations} breaches of the alert rule, with the load still running ...`);
    try {
      alerts = await measureAlerts(
        pusher,
        receipts,
        serverLog,
        connected,
        options.alertIterations,
        (client) => clientInstance(client) !== 0,
      );
    } catch (error) {
      alertSkip = `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  await producer.stop();
  await Promise.all(groups.map((g) => g.close()));
  for (const s of servers) await s.stop();

  printReport(options, connected, producer, window, clientsReport, stats, alerts, alertSkip);
  for (const [n, s] of servers.entries()) {
    const noisy = s.output
      .toString()
      .split('\n')
      .filter((line) => !line.startsWith('npm warn') && /"level":"(warn|error)"|error/i.test(line));
    if (noisy.length > 0)
      out(`server ${servers.length > 1 ? `${labels[n]} ` : ''}log (warnings/errors, last 10):\n  ${noisy.slice(-10).join('\n  ')}`);
  }

  if (options.profileDir) {
    const file = profileFileFor(options.profileDir, pid);
    if (!file) {
      out(
        `profile: no CPU profile of pid ${pid ?? '?'} in ${options.profileDir}; the server's last output:\n${server.output.toString().split('\n').slice(-8).join('\n')}`,
      );
    } else {
      out();
      out(`CPU profile of the server${servers.length > 1 ? ` ${labels[0]}` : ''}, measurement window only (${file}):`);
      printProfileSummary(summariseProfile(file, { windowUs: stats.windowUs, top: 25 }), out);
    }
  }

  const accepted = producer.batches.filter((b) => b.sendMs >= window.startMs && b.sendMs <= window.endMs && b.status === 202).length;
  if (accepted === 0) {
    process.stderr.write(
      `no batch was accepted during the measurement window: the benchmark measured nothing${producer.firstError ? ` (${producer.firstError})` : ''}\n`,
    );
    return 1;
  }
  if (clientsReport.latency.count === 0) {
    process.stderr.write('no client received any value of the measurement window: the benchmark measured nothing\n');
    return 1;
  }
  return 0;
}

runBenchmark('bench:live', main);

/**
 * Bounded replay work per client and across clients (issue 12, "any viewer token can slow the whole server"):
 * - a subscription whose `since` is further behind than MAX_REPLAY_POINTS is told stream:reset at once, measured from
 *   stream positions before anything is replayed (no replay query runs);
 * - clients within the limit are replayed exactly, but at most REPLAY_CONCURRENCY chunks are read at once across
 *   all of them, each over at most REPLAY_CHUNK stream positions (the work of one read: it holds the embedded
 *   database briefly), so ingest waits for a chunk or two, not for every client's backlog;
 * - health's statements take the embedded database's priority lane: they go ahead of the replay chunks waiting for it.
 * Real sockets, real SQL; health latency is printed as a benchmark figure, not asserted.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  livePoints,
  type ClientToServerEvents,
  type LiveTick,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { LiveHub, MAX_REPLAY_POINTS, REPLAY_CHUNK, SLOW_CLIENT_PACKETS, type LiveClient } from '../src/live/live-hub';
import type { Queryable } from '../src/db/database';
import { LiveRepository } from '../src/live/live.repository';
import { ObservationsRepository } from '../src/ingest/observations.repository';
import { REPLAY_CONCURRENCY } from '../src/live/replay-budget';
import { startTestServer, type TestServer } from './support/app';
import { defaultDriver, inWorker } from './support/databases';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const METRICS = ['dvc.services_online', 'einvoice.issued'];
const CLIENTS = 20;
/** provinces and ministries of the seed catalogue the bulk rows are spread over */
const UNITS = ['01', '79', '48', '92', '96'];

class Client {
  readonly resets: string[] = [];
  readonly socket: ClientSocket;
  /** values received, counted as they arrive: the test runs in the server's process, and recounting every tick of
   * 20 clients on each poll kept its event loop busy for seconds, which health's figures then showed */
  private received = 0;

  constructor(url: string, token: string) {
    this.socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    this.socket.on('live:tick', (tick) => (this.received += tick.deltas.reduce((n, delta) => n + livePoints(delta).length, 0)));
    this.socket.on('stream:reset', ({ reason }) => this.resets.push(reason));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  subscribe(request: SubscribeRequest): Promise<SubscribeAck> {
    return new Promise((resolve) => this.socket.emit('subscribe', request, resolve));
  }

  values(): number {
    return this.received;
  }
}

async function until(predicate: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Stores `count` values per metric straight in SQL (the stream positions come from the same sequence ingest uses), as
 * the stream's writers do: each statement in a transaction that joins them (STREAM_ORDER_LOCK, shared), so that the
 * hub's committed position never passes positions still to commit. A bare INSERT did not: a tick that read the
 * sequence while one ran moved past some of its rows, which no client then got (on a server, under load: the
 * resubscribed client below received 4 of its 5 values).
 */
async function storeValues(server: TestServer, count: number, firstMinute: number): Promise<void> {
  const observations = server.app.get(ObservationsRepository);
  for (const metric of METRICS)
    await server.db.transaction(async (tx) => {
      await observations.joinStreamWriters(tx);
      await tx.query(
        `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at)
         SELECT $1, ($2::text[])[1 + i % $3], timestamptz '2025-01-01T00:00:00Z' + make_interval(mins => $4 + i / $3), i, 'bulk', 'bulk', now()
         FROM generate_series(0, $5 - 1) AS i`,
        [metric, UNITS, UNITS.length, firstMinute, count],
      );
    });
}

/**
 * Counts the replay reads (pointsAfter of some metrics: the live tick reads every metric, up to the committed
 * position; alertEventsAfter with an upper bound: the tick passes none), how many
 * overlap and how many stream positions the widest read covered; `running` holds the reads sent and not yet answered.
 */
function watchReplays(server: TestServer) {
  const repository = server.app.get(LiveRepository);
  const originalPoints = repository.pointsAfter.bind(repository);
  const originalAlerts = repository.alertEventsAfter.bind(repository);
  const seen = { reads: 0, answered: 0, running: new Set<number>(), maxRunning: 0, widest: 0 };
  const track = async <T>(after: number, upTo: number, read: () => Promise<T>): Promise<T> => {
    const id = (seen.reads += 1);
    seen.running.add(id);
    seen.maxRunning = Math.max(seen.maxRunning, seen.running.size);
    seen.widest = Math.max(seen.widest, upTo - after);
    try {
      return await read();
    } finally {
      seen.running.delete(id);
      seen.answered += 1;
    }
  };
  repository.pointsAfter = (after, upTo, metrics, limit) =>
    metrics === null || upTo === null
      ? originalPoints(after, upTo, metrics, limit)
      : track(after, upTo, () => originalPoints(after, upTo, metrics, limit));
  repository.alertEventsAfter = (after, upTo, limit) =>
    upTo === null ? originalAlerts(after, upTo, limit) : track(after, upTo, () => originalAlerts(after, upTo, limit));
  return {
    seen,
    restore() {
      repository.pointsAfter = originalPoints;
      repository.alertEventsAfter = originalAlerts;
    },
  };
}

/** health's statements: the TimescaleDB version (reachability) and the job checks */
const HEALTH_SQL = /extversion|timescaledb_information|timescaledb_job_run/;

/**
 * Watches health's statements on the database: which lane each took (the priority lane or the ordinary queue), and
 * for each, the replay chunks it went ahead of (sent before it, answered after it) and those answered while it waited.
 */
function watchHealthStatements(server: TestServer, replays: ReturnType<typeof watchReplays>) {
  const seen = { priority: 0, ordinary: 0, overtaken: 0, answeredWhileWaiting: [] as number[] };
  const wrap = (session: Queryable, lane: 'priority' | 'ordinary') => {
    const original = session.query.bind(session);
    session.query = (async (sql: string, params?: readonly unknown[]) => {
      if (!HEALTH_SQL.test(sql)) return original(sql, params);
      seen[lane] += 1;
      const ahead = [...replays.seen.running];
      const answeredAtSend = replays.seen.answered;
      try {
        return await original(sql, params);
      } finally {
        seen.overtaken += ahead.filter((id) => replays.seen.running.has(id)).length;
        seen.answeredWhileWaiting.push(replays.seen.answered - answeredAtSend);
      }
    }) as Queryable['query'];
    return () => {
      session.query = original;
    };
  };
  // a database without a queue to jump (a pg pool) answers its own session as the priority lane: wrap it once
  const lane = (server.db as Partial<typeof server.db>).priority;
  const restores = [wrap(server.db, 'ordinary'), ...(lane && lane !== server.db ? [wrap(lane, 'priority')] : [])];
  return {
    seen,
    restore() {
      for (const restore of restores) restore();
    },
  };
}

/** Probes /api/v1/health every 50 ms until stopped; answers every latency (ms) and status seen. */
function probeHealth(url: string) {
  const samples: { ms: number; status: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/health`);
      await response.arrayBuffer();
      samples.push({ ms: performance.now() - started, status: response.status });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stopAfter(ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return this.stop();
    },
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

function report(label: string, samples: { ms: number; status: number }[]): void {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(1);
  const statuses = [...new Set(samples.map((s) => s.status))].join(',');
  console.log(`[bench] ${label}: health n=${sorted.length} p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms statuses=${statuses}`);
}

describe('replay work is bounded per client and across clients', () => {
  let server: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    // the embedded database in its own thread, as `dxoc serve` runs it (in-process PGlite blocks the event loop for
    // each statement, which hides how many reads the hub has in flight); on a server in the "server" project
    const driver = process.env.DXOC_TEST_DRIVER === 'server' ? defaultDriver() : inWorker;
    server = await startTestServer({ driver, env: { DXOC_LIVE_TICK_MS: '50' } });
    report('idle', await probeHealth(server.url).stopAfter(1000));
    // more values behind position 0 than the replay limit, as on a server with months of data
    const started = performance.now();
    await storeValues(server, Math.ceil(MAX_REPLAY_POINTS / METRICS.length) + 5_000, 0);
    console.log(
      `[bench] stored ${2 * (Math.ceil(MAX_REPLAY_POINTS / METRICS.length) + 5_000)} values in ${Math.round(performance.now() - started)} ms`,
    );
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.socket.close();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function connectAll(): Promise<Client[]> {
    const fresh = Array.from({ length: CLIENTS }, () => new Client(server.url, server.viewerToken));
    clients.push(...fresh);
    await Promise.all(fresh.map((c) => c.connected()));
    return fresh;
  }

  it(`answers ${CLIENTS} clients resuming from "0.0" with stream:reset at once, without a replay query`, async () => {
    const replays = watchReplays(server);
    const health = probeHealth(server.url);
    try {
      const all = await connectAll();
      const channels = METRICS.map((metric) => ({ metric, units: 'all' as const }));
      const acks = await Promise.all(all.map((c) => c.subscribe({ channels, alerts: true, since: '0.0' })));
      for (const ack of acks) expect(ack.ok).toBe(true);
      // the reset is emitted before the ack is answered: it has arrived by now on every client
      await until(() => all.every((c) => c.resets.length === 1), 'every reset');
      for (const client of all) expect(client.resets[0]).toMatch(/^too_far_behind/);
      expect(replays.seen.reads).toBe(0);
      // and nothing was replayed to them
      for (const client of all) expect(client.values()).toBe(0);
    } finally {
      report(`${CLIENTS} clients since 0.0 (${MAX_REPLAY_POINTS}+ behind)`, await health.stop());
      replays.restore();
    }
  });

  it(`replays ${CLIENTS} clients within the limit exactly, at most ${REPLAY_CONCURRENCY} chunks of ${REPLAY_CHUNK} positions at a time, health going ahead of them`, async () => {
    const first = new Client(server.url, server.viewerToken);
    clients.push(first);
    await first.connected();
    const channels = METRICS.map((metric) => ({ metric, units: 'all' as const }));
    const start = await first.subscribe({ channels });
    if (!start.ok) throw new Error(start.message);
    first.socket.close();

    // missed while away: three replay chunks per client and metric set
    const missedPerMetric = 7_500;
    await storeValues(server, missedPerMetric, 1_000_000);
    const replays = watchReplays(server);
    const statements = watchHealthStatements(server, replays);
    const health = probeHealth(server.url);
    try {
      const all = await connectAll();
      const acks = await Promise.all(all.map((c) => c.subscribe({ channels, since: start.cursor })));
      for (const ack of acks) expect(ack.ok).toBe(true);
      await until(() => all.every((c) => c.values() >= missedPerMetric * METRICS.length), 'every replay');
      for (const client of all) {
        expect(client.resets).toEqual([]);
        expect(client.values()).toBe(missedPerMetric * METRICS.length);
      }
      expect(replays.seen.reads).toBeGreaterThanOrEqual(CLIENTS * 3);
      expect(replays.seen.maxRunning).toBeLessThanOrEqual(REPLAY_CONCURRENCY);
      // each read covers a bounded range of positions, not everything up to the hub's position
      expect(replays.seen.widest).toBeLessThanOrEqual(REPLAY_CHUNK);
      expect(statements.seen.priority + statements.seen.ordinary).toBeGreaterThan(0);
      if (server.db.driver === 'pglite') {
        // one session, statements in turn: health's go ahead of the chunks waiting (answered after them, sent before)
        expect(statements.seen.ordinary).toBe(0);
        expect(statements.seen.overtaken).toBeGreaterThan(0);
      }
    } finally {
      report(`${CLIENTS} clients replaying ${missedPerMetric * METRICS.length} values each`, await health.stop());
      const waited = statements.seen.answeredWhileWaiting.sort((a, b) => a - b);
      console.log(
        `[bench] health statements: ${statements.seen.priority} in the priority lane, ${statements.seen.ordinary} in the ordinary queue; ` +
          `replay chunks answered while one waited: p50=${waited[Math.floor(waited.length / 2)]} max=${waited.at(-1)}; ` +
          `chunks gone ahead of: ${statements.seen.overtaken}; replay reads ${replays.seen.reads}, widest ${replays.seen.widest} positions`,
      );
      statements.restore();
      replays.restore();
    }
  });

  it('resets a slow client once it drains if it fell too far behind, without replaying and without resetting it again', async () => {
    const hub = server.app.get(LiveHub);
    let buffered = SLOW_CLIENT_PACKETS + 1;
    const resets: string[] = [];
    const ticks: LiveTick[] = [];
    const slow: LiveClient = {
      id: 'slow-and-far-behind',
      emitTick: (tick) => ticks.push(tick),
      emitReset: (reason) => resets.push(reason),
      bufferedPackets: () => buffered,
    };
    hub.attach(slow);
    const replays = watchReplays(server);
    try {
      expect((await hub.subscribe(slow.id, { channels: [{ metric: METRICS[0] as string, units: 'all' }] })).ok).toBe(true);
      // the stream moves on by more than the limit while the client is backed up (positions left unused by
      // revisions and rolled-back batches count as they do in a replay; a jump of the sequence stands for them)
      await server.db.query(`SELECT setval('observation_stream_seq', nextval('observation_stream_seq') + $1)`, [MAX_REPLAY_POINTS]);
      await storeValues(server, 10, 2_000_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resets).toEqual([]);
      buffered = 0;
      await until(() => resets.length === 1, 'the reset');
      // several more ticks, and values after the reset: no second reset, nothing replayed, nothing sent unsubscribed
      await storeValues(server, 10, 3_000_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(resets).toHaveLength(1);
      expect(replays.seen.reads).toBe(0);
      expect(ticks).toEqual([]);
      // subscribing again (without since, after reloading over REST) delivers what comes next
      expect((await hub.subscribe(slow.id, { channels: [{ metric: METRICS[0] as string, units: 'all' }] })).ok).toBe(true);
      await storeValues(server, 5, 4_000_000);
      await until(() => ticks.flatMap((tick) => tick.deltas.flatMap(livePoints)).length === 5, 'the values after the resubscription');
    } finally {
      hub.detach(slow.id);
      replays.restore();
    }
  });
});

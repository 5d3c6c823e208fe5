/**
 * On a TimescaleDB server, batches are written side by side (issue 14 goal 1): writers hold the stream order lock
 * shared, and the live stream reads only up to the position below which everything has committed. Runs in the
 * "server" project (TEST_DATABASE_URL set; see vitest.config.ts): the embedded database has one session, where
 * transactions never overlap.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePoints, type ClientToServerEvents, type LiveTick, type ServerToClientEvents, type SubscribeAck } from '@dxoc/contracts';
import { ObservationsRepository } from '../src/ingest/observations.repository';
import { LiveRepository } from '../src/live/live.repository';
import { push, startTestServer, type TestServer } from './support/app';
import { serverDriver } from './support/databases';

const url = process.env.TEST_DATABASE_URL;
const onServer = process.env.DXOC_TEST_DRIVER === 'server' && Boolean(url);
const METRIC = 'dvc.services_online';
const PROVINCES = ['01', '79', '48', '31', '92', '22', '38', '46'];
const T0 = Date.UTC(2026, 3, 1);

describe.runIf(onServer)('batches written side by side on a TimescaleDB server', () => {
  let server: TestServer;
  let key: string;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const ticks: LiveTick[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      driver: serverDriver(url as string),
      env: { DXOC_LIVE_TICK_MS: '50', DXOC_INGEST_MAX_IN_FLIGHT: '32' },
    });
    key = await server.createKey(null);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  const received = () => ticks.flatMap((tick) => tick.deltas.flatMap(livePoints));
  const until = async (predicate: () => boolean) => {
    for (const deadline = Date.now() + 15_000; !predicate(); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(received())}`);
  };

  // No socket client yet: the live stream does not read (nothing waits for the stream's lock but this test).
  it('the stream position stops below a writer that has taken a position and not committed, and passes it once it has', async () => {
    const observations = server.app.get(ObservationsRepository);
    const live = server.app.get(LiveRepository);
    // the chunk of these times exists already: a writer creating a chunk holds it until it commits (TimescaleDB)
    await server.db.transaction((tx) =>
      observations.store(tx, [{ metric: METRIC, unit: '48', ts: T0, value: 0 }], 'chunk', 'test', new Date()),
    );
    const before = await live.positions();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const stored = new Promise<void>((resolve) => (inside = resolve));
    // a writer that has taken its stream position and not committed yet
    const first = server.db.transaction(async (tx) => {
      await observations.store(tx, [{ metric: METRIC, unit: '01', ts: T0, value: 1 }], 'held-open', 'test', new Date());
      inside();
      await held;
    });
    try {
      await stored;
      // a later batch is not held up by it (writers share the lock), takes a later position and commits first
      const later = await push(server.url, key, {
        batchId: 'side-1',
        points: [{ metric: METRIC, unit: '79', ts: new Date(T0).toISOString(), value: 2 }],
      });
      expect(later.status).toBe(202);
      // the reader's position waits for the open writer: the largest committed position (79's) would skip 01 for ever
      let position: { obs: number } | null = null;
      const reading = live.positions().then((p) => (position = p));
      await new Promise((r) => setTimeout(r, 500));
      expect(position).toBeNull();
      release();
      await first;
      await reading;
      const points = await live.pointsAfter(before.obs, (position as unknown as { obs: number }).obs, [METRIC], 100);
      expect(points.unit).toEqual(['01', '79']); // in position order: 01 took its position first
      expect(points.value).toEqual([1, 2]);
    } finally {
      release();
      await first;
    }
  });

  it('stores every one of many batches sent at once over the same series, in opposite orders and with repeats', async () => {
    socket = io(server.url, { transports: ['websocket'], auth: { token: server.viewerToken }, reconnection: false, forceNew: true });
    socket.on('live:tick', (tick) => void ticks.push(tick));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = await new Promise<SubscribeAck>((resolve) =>
      socket.emit('subscribe', { channels: [{ metric: METRIC, units: 'provinces' }] }, resolve),
    );
    expect(ack.ok).toBe(true);
    const batches = Array.from({ length: 16 }, (_, b) => {
      const units = b % 2 === 0 ? PROVINCES : [...PROVINCES].reverse();
      // batches 2k and 2k+1 share their points (the same values, opposite order): one inserts, the other repeats them
      const slot = Math.floor(b / 2);
      return {
        batchId: `many-${b}`,
        points: units.flatMap((unit) =>
          [0, 1, 2].map((k) => ({
            metric: METRIC,
            unit,
            ts: new Date(T0 + 3_600_000 * (1 + slot * 3 + k)).toISOString(),
            value: slot * 10 + k,
          })),
        ),
      };
    });
    const answers = await Promise.all(batches.map((batch) => push(server.url, key, batch)));
    expect(answers.map((a) => a.status)).toEqual(batches.map(() => 202));
    const { rows } = await server.db.query<{ n: number; series: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT unit)::int AS series FROM observation WHERE metric = $1 AND ts > $2`,
      [METRIC, new Date(T0)],
    );
    expect(rows[0]).toEqual({ n: 8 * 3 * PROVINCES.length, series: PROVINCES.length });
    // every stored value is streamed once
    await until(() => received().length >= 8 * 3 * PROVINCES.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(received()).toHaveLength(8 * 3 * PROVINCES.length);
    const latest = await server.db.query<{ unit: string; value: number }>(
      `SELECT unit, value FROM latest_value WHERE metric = $1 ORDER BY unit`,
      [METRIC],
    );
    expect(latest.rows.filter((r) => PROVINCES.includes(r.unit)).map((r) => r.value)).toEqual(PROVINCES.map(() => 7 * 10 + 2));
  });
});

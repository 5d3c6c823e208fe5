import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  livePoints,
  type ClientToServerEvents,
  type LiveTick,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { LiveHub, SLOW_CLIENT_PACKETS, type LiveClient } from '../src/live/live-hub';
import { push, startTestServer, type TestServer } from './support/app';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const METRIC = 'dvc.services_online';
let tsCounter = 0;
/** Distinct, past times so every point is a new value. */
function point(unit: string, value: number) {
  tsCounter += 1;
  return { metric: METRIC, unit, ts: new Date(Date.UTC(2026, 2, 1) + tsCounter * 60_000).toISOString(), value };
}

/** A socket client that records every tick it receives. */
class Recorder {
  readonly ticks: LiveTick[] = [];
  readonly socket: ClientSocket;
  private waiters: (() => void)[] = [];

  constructor(url: string, token: string | undefined) {
    this.socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: token ? { token } : {},
      reconnection: false,
      forceNew: true,
    });
    this.socket.on('live:tick', (tick) => {
      this.ticks.push(tick);
      for (const wake of this.waiters.splice(0)) wake();
    });
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

  points(channel?: string) {
    return this.ticks.flatMap((tick) => tick.deltas.filter((d) => !channel || d.channel === channel).flatMap(livePoints));
  }

  lastCursor(): string | undefined {
    return this.ticks.at(-1)?.cursor;
  }

  /** Waits (bounded) until the predicate holds; the bound only keeps a broken test from hanging. */
  async until(predicate: () => boolean, limitMs = 15_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(this.ticks).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

describe('live stream over socket.io', () => {
  let server: TestServer;
  let key: string;
  const clients: Recorder[] = [];
  const connect = async (token: string | undefined = server.viewerToken) => {
    const client = new Recorder(server.url, token);
    clients.push(client);
    await client.connected();
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_LIVE_TICK_MS: '50' } });
    key = await server.createKey(null);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  it('refuses a handshake without a valid session or viewer token', async () => {
    for (const token of [undefined, 'dxv_not-a-real-token', key]) {
      const client = new Recorder(server.url, token);
      clients.push(client);
      await expect(client.connected()).rejects.toThrow(/unauthorized/);
    }
  });

  it('pushes accepted values as one coalesced message per tick, one delta per channel', async () => {
    const client = await connect();
    const ack = await client.subscribe({
      channels: [
        { metric: METRIC, units: ['79'] },
        { metric: METRIC, units: 'provinces' },
      ],
    });
    expect(ack).toMatchObject({ ok: true, channels: [`series:${METRIC}:79`, `series:${METRIC}:provinces`] });

    const batch = [point('79', 100), point('01', 200), point('VN', 300)];
    expect((await push(server.url, key, { batchId: 'live-1', points: batch })).status).toBe(202);
    await client.until(() => client.points(`series:${METRIC}:provinces`).length === 2);

    expect(client.ticks).toHaveLength(1);
    const [tick] = client.ticks;
    expect(tick?.deltas.map((d) => d.channel).sort()).toEqual([`series:${METRIC}:79`, `series:${METRIC}:provinces`]);
    // columns: units, epoch-ms times and values; no text times on the wire
    const ms = batch.map((p) => Date.parse(p.ts));
    expect(tick?.deltas.find((d) => d.channel === `series:${METRIC}:79`)).toEqual({
      channel: `series:${METRIC}:79`,
      metric: METRIC,
      units: ['79'],
      ts: [ms[0]],
      values: [100],
    });
    expect(tick?.deltas.find((d) => d.channel === `series:${METRIC}:provinces`)).toEqual({
      channel: `series:${METRIC}:provinces`,
      metric: METRIC,
      units: ['79', '01'],
      ts: [ms[0], ms[1]],
      values: [100, 200],
    });
    expect(
      client
        .points(`series:${METRIC}:provinces`)
        .map((p) => p.unit)
        .sort(),
    ).toEqual(['01', '79']);
    // the nation is neither unit 79 nor a province
    expect(client.points().some((p) => p.unit === 'VN')).toBe(false);
  });

  it('sends a revision as the same unit and time with its new value', async () => {
    const client = await connect();
    await client.subscribe({ channels: [{ metric: METRIC, units: ['01'] }] });
    const first = point('01', 10);
    await push(server.url, key, { batchId: 'revise-0', points: [first, point('01', 11)] });
    await client.until(() => client.points().length === 2);
    await push(server.url, key, { batchId: 'revise-1', points: [{ ...first, value: 12 }] });
    await client.until(() => client.points().length === 3);
    const revision = client.ticks.at(-1)?.deltas[0];
    expect(revision).toMatchObject({ units: ['01'], ts: [Date.parse(first.ts)], values: [12] });
  });

  it('rejects subscriptions to unknown metrics and units', async () => {
    const client = await connect();
    expect(await client.subscribe({ channels: [{ metric: 'no.such_metric', units: 'all' }] })).toMatchObject({
      ok: false,
      error: 'unknown_metric',
    });
    expect(await client.subscribe({ channels: [{ metric: METRIC, units: ['XX'] }] })).toMatchObject({ ok: false, error: 'unknown_unit' });
    expect(await client.subscribe({ channels: [{ metric: METRIC, units: 'all' }], since: 'garbage' })).toMatchObject({
      ok: false,
      error: 'invalid_cursor',
    });
  });

  it('replays exactly what a reconnecting client missed: no gaps, no duplicates', async () => {
    const first = await connect();
    await first.subscribe({ channels: [{ metric: METRIC, units: ['48'] }] });
    const before = point('48', 1);
    await push(server.url, key, { batchId: 'resume-0', points: [before] });
    await first.until(() => first.points().length === 1);
    const cursor = first.lastCursor() as string;
    first.close();

    const missed = [point('48', 2), point('48', 3), point('48', 4)];
    for (const [i, p] of missed.entries()) await push(server.url, key, { batchId: `resume-${i + 1}`, points: [p, point('79', 7)] });

    const second = await connect();
    const ack = await second.subscribe({ channels: [{ metric: METRIC, units: ['48'] }], since: cursor });
    expect(ack.ok).toBe(true);
    await second.until(() => second.points().length >= 3);
    const after = point('48', 5);
    await push(server.url, key, { batchId: 'resume-4', points: [after] });
    await second.until(() => second.points().length >= 4);

    expect(second.points().map((p) => p.value)).toEqual([2, 3, 4, 5]);
  });

  it('delivers a value ingested on one instance to a client of another instance', async () => {
    const other = await startTestServer({ sameDatabaseAs: server, env: { DXOC_LIVE_TICK_MS: '50' } });
    try {
      const client = new Recorder(other.url, other.viewerToken);
      clients.push(client);
      await client.connected();
      await client.subscribe({ channels: [{ metric: METRIC, units: ['92'] }] });
      await push(server.url, key, { batchId: 'cross-1', points: [point('92', 42)] });
      await client.until(() => client.points().length === 1);
      expect(client.points()[0]?.value).toBe(42);
    } finally {
      await other.close();
    }
  });

  it('skips a slow client without buffering for it, then catches it up from the database', async () => {
    const hub = server.app.get(LiveHub);
    let buffered = SLOW_CLIENT_PACKETS + 1;
    const received: LiveTick[] = [];
    const slow: LiveClient = {
      id: 'slow-test-client',
      emitTick: (tick) => received.push(tick),
      emitReset: () => undefined,
      bufferedPackets: () => buffered,
    };
    hub.attach(slow);
    try {
      expect((await hub.subscribe(slow.id, { channels: [{ metric: METRIC, units: ['96'] }] })).ok).toBe(true);
      for (let i = 0; i < 3; i += 1) await push(server.url, key, { batchId: `slow-${i}`, points: [point('96', i)] });
      // several ticks pass while the transport is backed up: nothing is written to it
      const watcher = await connect();
      await watcher.subscribe({ channels: [{ metric: METRIC, units: 'all' }] });
      await push(server.url, key, { batchId: 'slow-marker', points: [point('11', 1)] });
      await watcher.until(() => watcher.points().some((p) => p.unit === '11'));
      expect(received).toHaveLength(0);

      buffered = 0; // drained
      const deadline = Date.now() + 15_000;
      while (received.flatMap((t) => t.deltas.flatMap(livePoints)).length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(received.flatMap((t) => t.deltas.flatMap(livePoints)).map((p) => p.value)).toEqual([0, 1, 2]);
    } finally {
      hub.detach(slow.id);
    }
  });
});

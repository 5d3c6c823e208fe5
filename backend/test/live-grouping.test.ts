/**
 * Grouped fan-out of the live stream (issue 14, goal 4): sockets with the same subscriptions (and, for an operator
 * with directives, the same unit) at the same position share one tick per tick, built and encoded once. Real
 * sockets, real HTTP, the embedded database.
 */
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
import { AuthService } from '../src/auth/auth.service';
import { LiveHub, SOCKETS_PER_TURN } from '../src/live/live-hub';
import { METRICS, type Metrics } from '../src/observability/metrics';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';

const METRIC = 'dvc.services_online';
let tsCounter = 0;
/** Distinct, past times so every point is a new value. */
function point(unit: string, value: number) {
  tsCounter += 1;
  return { metric: METRIC, unit, ts: new Date(Date.UTC(2026, 3, 1) + tsCounter * 60_000).toISOString(), value };
}

class Recorder {
  readonly ticks: LiveTick[] = [];
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private waiters: (() => void)[] = [];

  constructor(url: string, token: string) {
    this.socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
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

  values(): number[] {
    return this.ticks.flatMap((tick) => tick.deltas.flatMap(livePoints)).map((p) => p.value);
  }

  directiveIds(): number[] {
    return this.ticks.flatMap((tick) => tick.directives ?? []).map((e) => e.directiveId);
  }

  /** Waits (bounded only against a broken test) until the predicate holds. */
  async until(predicate: () => boolean, limitMs = 20_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(this.ticks).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

async function counter(metrics: Metrics, which: 'liveMessages' | 'liveEncodes'): Promise<number> {
  return (await metrics[which].get()).values.reduce((n, v) => n + v.value, 0);
}

describe('live stream: one tick per group of identical subscriptions', () => {
  let server: TestServer;
  let key: string;
  let staff: string;
  const sockets: Recorder[] = [];
  const open = async (token: string = server.viewerToken) => {
    const client = new Recorder(server.url, token);
    sockets.push(client);
    await client.connected();
    return client;
  };
  /** An operator bound to `unit`, signed in over the API. */
  const operator = async (unit: string) => {
    const username = `op-${unit}-${Math.random().toString(36).slice(2, 8)}`;
    const password = 'a long enough password';
    await server.app.get(AuthService).createUser({ username, password, role: 'operator', unitCode: unit }, 'test');
    const login = await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username, password });
    expect(login.status).toBe(200);
    return (login.body as { token: string }).token;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_LIVE_TICK_MS: '50' } });
    key = await server.createKey(null);
    staff = (await signInAs(server, 'staff')).token;
  });
  afterAll(async () => {
    for (const client of sockets) client.socket.disconnect();
    await server?.close();
  });

  it('gives two sockets with the same subscription identical payloads, built once per tick for both', async () => {
    const metrics = server.app.get(METRICS);
    const a = await open();
    const b = await open();
    // the same channels in another order, and units listed differently: the same channel names, the same group
    await a.subscribe({
      channels: [
        { metric: METRIC, units: ['33', '37'] },
        { metric: METRIC, units: 'ministries' },
      ],
      alerts: true,
    });
    await b.subscribe({
      channels: [
        { metric: METRIC, units: 'ministries' },
        { metric: METRIC, units: ['37', '33', '33'] },
      ],
      alerts: true,
    });
    const messages = await counter(metrics, 'liveMessages');
    const built = await counter(metrics, 'liveEncodes');

    for (let i = 0; i < 5; i += 1)
      expect((await push(server.url, key, { batchId: `group-${i}`, points: [point('33', i), point('37', 10 + i)] })).status).toBe(202);
    await a.until(() => a.values().length === 10);
    await b.until(() => b.values().length === 10);

    expect(b.ticks).toEqual(a.ticks);
    expect(a.values()).toEqual([0, 10, 1, 11, 2, 12, 3, 13, 4, 14]);
    // every message of these ticks went to both sockets from one built payload (no other socket listens to 33, 37)
    const sent = (await counter(metrics, 'liveMessages')) - messages;
    const payloads = (await counter(metrics, 'liveEncodes')) - built;
    expect(sent).toBe(a.ticks.length + b.ticks.length);
    expect(payloads).toBe(a.ticks.length);
  });

  it("keeps operators of different units in different groups: an operator never receives another unit's directives or alerts", async () => {
    const first01 = await open(await operator('01'));
    const second01 = await open(await operator('01'));
    const op79 = await open(await operator('79'));
    const wall = await open();
    const request: SubscribeRequest = { channels: [{ metric: METRIC, units: ['38'] }], alerts: true, directives: true };
    for (const client of [first01, second01, op79, wall]) expect(await client.subscribe(request)).toMatchObject({ ok: true });

    const issue = async (units: string[]) => {
      const response = await callJson(server.url, 'POST', '/api/v1/directives', staff, {
        titleVi: 'Giải trình',
        textVi: 'Nội dung',
        units,
        dueDate: '2030-01-01',
      });
      expect(response.status).toBe(201);
      return (response.body as { id: number }).id;
    };
    const to79 = await issue(['79']);
    expect((await push(server.url, key, { batchId: 'scoped-1', points: [point('38', 1)] })).status).toBe(202);
    const to01 = await issue(['01']);
    const toBoth = await issue(['01', '79']);
    expect((await push(server.url, key, { batchId: 'scoped-2', points: [point('38', 2)] })).status).toBe(202);

    await wall.until(() => wall.directiveIds().length === 3 && wall.values().length === 2);
    await first01.until(() => first01.directiveIds().length === 2 && first01.values().length === 2);
    await second01.until(() => second01.directiveIds().length === 2 && second01.values().length === 2);
    await op79.until(() => op79.directiveIds().length === 2 && op79.values().length === 2);

    expect(wall.directiveIds()).toEqual([to79, to01, toBoth]);
    expect(first01.directiveIds()).toEqual([to01, toBoth]);
    expect(op79.directiveIds()).toEqual([to79, toBoth]);
    // values are everyone's; the two operators of 01 share their group's ticks
    for (const client of [first01, op79, wall]) expect(client.values()).toEqual([1, 2]);
    expect(second01.ticks).toEqual(first01.ticks);
    expect(op79.ticks.flatMap((t) => t.directives ?? []).some((e) => e.directiveId === to01)).toBe(false);

    // alerts: a rule over 01 and 79 fires for both; each operator hears of its own unit's alert only
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff, {
      name: 'grouping rule',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['01', '79'] },
      condition: { type: 'above', value: 80 },
      severity: 'warning',
      messageVi: '{unit}: {value}',
      messageEn: '{unit}: {value}',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const ts = new Date(Date.now() - 5 * 60_000).toISOString();
    const breach = ['01', '79'].map((unit) => ({ metric: 'dvc.level4_share', unit, ts, value: 95 }));
    expect((await push(server.url, key, { batchId: 'scoped-alerts', points: breach })).status).toBe(202);
    const alertUnits = (client: Recorder) => client.ticks.flatMap((t) => t.alerts).map((e) => e.alert.unit);
    await wall.until(() => new Set(alertUnits(wall)).size === 2);
    await first01.until(() => alertUnits(first01).length > 0);
    await second01.until(() => alertUnits(second01).length > 0);
    await op79.until(() => alertUnits(op79).length > 0);
    expect(new Set(alertUnits(first01))).toEqual(new Set(['01']));
    expect(new Set(alertUnits(op79))).toEqual(new Set(['79']));
    expect(second01.ticks).toEqual(first01.ticks);
  });

  it('catches a late joiner up from its cursor, then gives it the same ticks as its group: no gaps, no duplicates', async () => {
    const request: SubscribeRequest = { channels: [{ metric: METRIC, units: ['40'] }] };
    const early = await open();
    await early.subscribe(request);
    let value = 0;
    const send = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        value += 1;
        expect((await push(server.url, key, { batchId: `late-${value}`, points: [point('40', value)] })).status).toBe(202);
      }
    };
    await send(3);
    await early.until(() => early.values().length === 3);
    const cursor = early.ticks.at(0)?.cursor as string; // after the first tick's values
    const seenBefore = early.ticks[0]?.deltas.flatMap(livePoints).map((p) => p.value) ?? [];

    // values keep coming while the late socket subscribes from that cursor and is replayed
    const sending = send(20);
    const late = await open();
    expect(await late.subscribe({ ...request, since: cursor })).toMatchObject({ ok: true });
    await sending;
    await send(5);
    await early.until(() => early.values().length === value);
    await late.until(() => late.values().length === value - seenBefore.length);

    // once caught up it is in the early socket's group: the next value comes in the very same tick to both
    await send(1);
    await early.until(() => early.values().length === value);
    await late.until(() => late.values().length === value - seenBefore.length);
    const expected = Array.from({ length: value }, (_, i) => i + 1).slice(seenBefore.length);
    expect(late.values()).toEqual(expected);
    expect(late.ticks.at(-1)).toEqual(early.ticks.at(-1));
    expect(
      late.ticks
        .at(-1)
        ?.deltas.flatMap(livePoints)
        .map((p) => p.value),
    ).toEqual([value]);
  });

  it('writes a large group SOCKETS_PER_TURN sockets per turn of the event loop, each socket the tick once', async () => {
    // clients attached to the hub itself: what each is written and when, against the loop's own turns
    const hub = server.app.get(LiveHub);
    const count = SOCKETS_PER_TURN * 2 + 100;
    const received: LiveTick[][] = Array.from({ length: count }, () => []);
    let written = 0;
    let writtenWhenTheLoopTurned: number | null = null;
    for (let i = 0; i < count; i += 1) {
      hub.attach({
        id: `sliced-${i}`,
        emitTick: (tick) => {
          // the first write of the tick asks the loop for its next turn: how many sockets had the tick by then?
          if (written === 0)
            setImmediate(() => {
              writtenWhenTheLoopTurned = written;
            });
          written += 1;
          received[i]?.push(tick);
        },
        emitReset: () => undefined,
        bufferedPackets: () => 0,
      });
      expect(await hub.subscribe(`sliced-${i}`, { channels: [{ metric: METRIC, units: ['44'] }] })).toMatchObject({ ok: true });
    }
    try {
      expect((await push(server.url, key, { batchId: 'sliced', points: [point('44', 4_444)] })).status).toBe(202);
      const deadline = Date.now() + 20_000;
      while (written < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(written).toBe(count);
      expect(writtenWhenTheLoopTurned).toBeGreaterThan(0);
      expect(writtenWhenTheLoopTurned).toBeLessThanOrEqual(SOCKETS_PER_TURN);
      for (const ticks of received) {
        expect(ticks).toHaveLength(1);
        expect(ticks[0]?.deltas.flatMap(livePoints).map((p) => p.value)).toEqual([4_444]);
      }
    } finally {
      for (let i = 0; i < count; i += 1) hub.detach(`sliced-${i}`);
    }
  });
});

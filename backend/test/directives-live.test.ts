/**
 * Directive changes over the live socket: a client subscribed with `directives: true` receives each step; one that
 * disconnects and resubscribes with its last cursor gets exactly the steps it missed; an operator's socket only those
 * of directives addressed to its unit.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  DirectiveLiveEvent,
  LiveTick,
  ServerToClientEvents,
  SubscribeAck,
  SubscribeRequest,
} from '@dxoc/contracts';
import { callJson, signInAs, startTestServer, type TestServer } from './support/app';

class Client {
  readonly events: DirectiveLiveEvent[] = [];
  cursor: string | undefined;
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private waiters: (() => void)[] = [];

  constructor(url: string, token: string) {
    this.socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    this.socket.on('live:tick', (tick: LiveTick) => {
      this.events.push(...(tick.directives ?? []));
      this.cursor = tick.cursor;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  async subscribe(request: SubscribeRequest): Promise<SubscribeAck> {
    const ack = await new Promise<SubscribeAck>((resolve) => this.socket.emit('subscribe', request, resolve));
    if (ack.ok) this.cursor = ack.cursor;
    return ack;
  }

  /** Waits (bounded only against a broken test) until n events have arrived. */
  async until(n: number): Promise<DirectiveLiveEvent[]> {
    const deadline = Date.now() + 20_000;
    while (this.events.length < n) {
      if (Date.now() > deadline)
        throw new Error(`got ${this.events.length} directive events, waiting for ${n}: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.events;
  }
}

describe('directives over the live socket', () => {
  let server: TestServer;
  let staff: { token: string };
  let operator: { token: string };
  const clients: Client[] = [];
  const open = async (token: string) => {
    const client = new Client(server.url, token);
    clients.push(client);
    await client.connected();
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_LIVE_TICK_MS: '50' } });
    staff = await signInAs(server, 'staff');
    operator = await signInAs(server, 'operator'); // unit 01
  });
  afterAll(async () => {
    for (const client of clients) client.socket.disconnect();
    await server?.close();
  });

  const issue = (units: string[]) =>
    callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
      titleVi: 'Giải trình',
      textVi: 'Nội dung',
      units,
      dueDate: '2030-01-01',
    });

  it('delivers each step, replays what a reconnecting client missed, and scopes an operator to its unit', async () => {
    const wall = await open(server.viewerToken);
    const unit01 = await open(operator.token);
    expect(await wall.subscribe({ channels: [], directives: true })).toMatchObject({ ok: true });
    expect(await unit01.subscribe({ channels: [], directives: true })).toMatchObject({ ok: true });

    const a = (await issue(['01', '79'])).body as { id: number };
    const b = (await issue(['79'])).body as { id: number };
    await wall.until(2);
    expect(wall.events.map((e) => [e.directiveId, e.kind, e.unit])).toEqual([
      [a.id, 'issued', null],
      [b.id, 'issued', null],
    ]);
    // the operator of 01 hears of the directive addressed to 01 only
    await unit01.until(1);

    // the wall disconnects; meanwhile 01 answers, staff close 01's part and withdraw b
    const cursor = wall.cursor as string;
    wall.socket.disconnect();
    const answered = await callJson(server.url, 'POST', `/api/v1/directives/${a.id}/units/01/answer`, operator.token, {
      explanation: 'Đã khắc phục',
      cause: 'Lỗi kết nối',
      fixDate: '2029-12-01',
    });
    expect(answered.status).toBe(200);
    const closed = await callJson(server.url, 'POST', `/api/v1/directives/${a.id}/units/01/close`, staff.token, { outcome: 'resolved' });
    expect(closed.status).toBe(200);
    const withdrawn = await callJson(server.url, 'POST', `/api/v1/directives/${b.id}/withdraw`, staff.token, {});
    expect(withdrawn.status).toBe(200);

    const again = await open(server.viewerToken);
    expect(await again.subscribe({ channels: [], directives: true, since: cursor })).toMatchObject({ ok: true });
    const replayed = await again.until(3);
    expect(replayed.map((e) => [e.directiveId, e.kind, e.unit])).toEqual([
      [a.id, 'answered', '01'],
      [a.id, 'closed', '01'],
      [b.id, 'withdrawn', null],
    ]);

    await unit01.until(3);
    // 01's socket: issued, answered, closed of directive a; nothing of b (addressed to 79 only)
    expect(unit01.events.map((e) => [e.directiveId, e.kind])).toEqual([
      [a.id, 'issued'],
      [a.id, 'answered'],
      [a.id, 'closed'],
    ]);
    // a later step arrives live on the resumed socket, once
    const c = (await issue(['48'])).body as { id: number };
    await again.until(4);
    expect(again.events.map((e) => e.directiveId)).toEqual([a.id, a.id, b.id, c.id]);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { channelName, type SubscribeRequest } from '@dxoc/contracts';
import { LiveStream, type LiveSocket } from './live';

/** Enough of a socket.io client to drive the stream: handlers by event, emitted messages recorded. */
function fakeSocket() {
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  const emitted: Array<{ event: string; payload: unknown }> = [];
  const socket = {
    connected: false,
    on(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
    emit(event: string, payload: unknown, ack?: (result: unknown) => void) {
      emitted.push({ event, payload });
      if (event === 'subscribe') ack?.({ ok: true, channels: [], cursor: 'c0' });
      return socket;
    },
    removeAllListeners() {
      handlers.clear();
      return socket;
    },
    disconnect() {
      return socket;
    },
    fire(event: string, ...args: unknown[]) {
      if (event === 'connect') socket.connected = true;
      if (event === 'disconnect') socket.connected = false;
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
  };
  return { socket, emitted };
}

describe('live stream: a credential the server no longer accepts', () => {
  it('stream:denied then the server disconnect: status denied with the reason, not offline', () => {
    const { socket } = fakeSocket();
    const live = new LiveStream({ token: () => 'dxv_revoked', socketFactory: () => socket as unknown as LiveSocket });
    const statuses: string[] = [];
    live.onStatus((s) => statuses.push(s));
    live.start();
    socket.fire('connect');
    expect(live.deniedReason).toBeNull();
    socket.fire('stream:denied', { reason: 'viewer_token_revoked', message: 'the viewer token was revoked' });
    socket.fire('disconnect', 'io server disconnect');
    expect([live.status, live.deniedReason]).toEqual(['denied', 'viewer_token_revoked']);
    expect(statuses).toEqual(['connecting', 'live', 'denied']);
    live.stop();
  });

  it('a refused handshake with a reason is denied; one without (server unavailable) is only offline', () => {
    const first = fakeSocket();
    const unavailable = new LiveStream({ token: () => 'dxs_x', socketFactory: () => first.socket as unknown as LiveSocket });
    unavailable.start();
    first.socket.fire('connect_error', new Error('unavailable: try again'));
    expect([unavailable.status, unavailable.deniedReason]).toEqual(['offline', null]);
    unavailable.stop();

    const second = fakeSocket();
    const ended = new LiveStream({ token: () => 'dxs_x', socketFactory: () => second.socket as unknown as LiveSocket });
    ended.start();
    const refused = Object.assign(new Error('unauthorized: the session expired'), {
      data: { reason: 'session_expired', message: 'the session expired' },
    });
    second.socket.fire('connect_error', refused);
    expect([ended.status, ended.deniedReason]).toEqual(['denied', 'session_expired']);
    ended.stop();
  });
});

describe('live stream: subscribe, resume from the last cursor', () => {
  it('subscribes on connect, and on reconnect and stream reset resumes with since = last cursor', () => {
    vi.useFakeTimers();
    const { socket, emitted } = fakeSocket();
    const live = new LiveStream({ token: () => 'viewer-token', socketFactory: () => socket as unknown as LiveSocket });
    const statuses: string[] = [];
    live.onStatus((s) => statuses.push(s));
    live.register({ metric: 'einvoice.issued', units: ['VN'] }, () => undefined);
    live.start();
    socket.fire('connect');
    const first = emitted.find((e) => e.event === 'subscribe')!.payload as SubscribeRequest;
    expect(first.channels).toEqual([{ metric: 'einvoice.issued', units: ['VN'] }]);
    expect(first.alerts).toBe(true);
    expect(first.since).toBeUndefined();
    expect(live.status).toBe('live');

    socket.fire('live:tick', { cursor: 'c41', deltas: [], alerts: [] });
    socket.fire('disconnect');
    expect(live.status).toBe('offline');
    socket.fire('connect');
    const resumed = emitted.filter((e) => e.event === 'subscribe').at(-1)!.payload as SubscribeRequest;
    expect(resumed.since).toBe('c41');

    socket.fire('live:tick', { cursor: 'c42', deltas: [], alerts: [] });
    // too far behind to be replayed: resuming from c42 again would be refused again, so it subscribes from now on
    socket.fire('stream:reset', { reason: 'too_far_behind' });
    expect((emitted.filter((e) => e.event === 'subscribe').at(-1)!.payload as SubscribeRequest).since).toBeUndefined();
    expect(statuses).toEqual(['connecting', 'live', 'offline', 'live']);
    live.stop();
    vi.useRealTimers();
  });

  it('remembers the last contact with the server and when the socket was lost', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const { socket } = fakeSocket();
    const live = new LiveStream({ token: () => null, socketFactory: () => socket as unknown as LiveSocket });
    live.start();
    expect([live.lastContact, live.socketLostAt, live.everConnected]).toEqual([null, null, false]);
    // a failed first attempt is no contact
    socket.fire('connect_error', new Error('refused'));
    expect([live.status, live.lastContact, live.socketLostAt]).toEqual(['offline', null, null]);
    vi.setSystemTime(2_000_000);
    socket.fire('connect');
    expect([live.status, live.lastContact, live.everConnected]).toEqual(['live', 2_000_000, true]);
    vi.setSystemTime(3_000_000);
    socket.fire('live:tick', { cursor: 'c1', deltas: [], alerts: [] });
    expect(live.lastContact).toBe(3_000_000);
    vi.setSystemTime(4_000_000);
    socket.fire('disconnect');
    expect([live.status, live.lastContact, live.socketLostAt]).toEqual(['offline', 4_000_000, 4_000_000]);
    // reconnection attempts that fail change nothing: the time since the last contact keeps counting
    vi.setSystemTime(5_000_000);
    socket.fire('connect_error', new Error('refused'));
    expect([live.lastContact, live.socketLostAt]).toEqual([4_000_000, 4_000_000]);
    vi.setSystemTime(6_000_000);
    socket.fire('connect');
    expect([live.status, live.lastContact, live.socketLostAt]).toEqual(['live', 6_000_000, null]);
    live.stop();
    vi.useRealTimers();
  });

  it('page changes subscribe the new channels and unsubscribe the old ones, batched', () => {
    vi.useFakeTimers();
    const { socket, emitted } = fakeSocket();
    const live = new LiveStream({ token: () => null, socketFactory: () => socket as unknown as LiveSocket });
    const stop = live.register({ metric: 'a', units: ['VN'] }, () => undefined);
    live.start();
    socket.fire('connect');
    emitted.length = 0;
    stop();
    live.register({ metric: 'b', units: 'provinces' }, () => undefined);
    live.register({ metric: 'c', units: ['01', '79'] }, () => undefined);
    vi.advanceTimersByTime(60);
    expect(emitted.map((e) => e.event)).toEqual(['unsubscribe', 'subscribe']);
    expect(emitted[0]!.payload).toEqual([channelName({ metric: 'a', units: ['VN'] })]);
    expect((emitted[1]!.payload as SubscribeRequest).channels).toHaveLength(2);
    live.stop();
    vi.useRealTimers();
  });
});

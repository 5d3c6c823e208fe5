import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  livePoints,
  type ClientToServerEvents,
  type LiveTick,
  type ServerToClientEvents,
  type StreamDenied,
  type SubscribeAck,
} from '@dxoc/contracts';
import { AuthRepository } from '../src/auth/auth.repository';
import { LiveCredentialWatch } from '../src/live/live-credentials';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const METRIC = 'dvc.services_online';
const UNIT = '79';
let tsCounter = 0;
/** Distinct, past times so every point is a new value. */
function point(value: number) {
  tsCounter += 1;
  return { metric: METRIC, unit: UNIT, ts: new Date(Date.UTC(2026, 3, 1) + tsCounter * 60_000).toISOString(), value };
}

/** A live socket that records its ticks, the 'stream:denied' it got and why it was disconnected. */
class Client {
  readonly socket: ClientSocket;
  readonly values: number[] = [];
  readonly denials: (StreamDenied & { at: number })[] = [];
  disconnectReason: string | null = null;
  connectError: (Error & { data?: StreamDenied }) | null = null;

  constructor(
    readonly name: string,
    url: string,
    token: string,
  ) {
    this.socket = io(url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    this.socket.on('live:tick', (tick: LiveTick) => {
      for (const delta of tick.deltas) for (const p of livePoints(delta)) this.values.push(p.value);
    });
    this.socket.on('stream:denied', (info) => this.denials.push({ ...info, at: Date.now() }));
    this.socket.on('disconnect', (reason) => (this.disconnectReason = reason));
    this.socket.on('connect_error', (error) => (this.connectError = error as Error & { data?: StreamDenied }));
  }

  /** Connected and subscribed to the test unit's channel. */
  async ready(): Promise<this> {
    await until(`${this.name} connects`, () => this.socket.connected || this.connectError !== null);
    if (this.connectError) throw this.connectError;
    const ack = await new Promise<SubscribeAck>((resolve) =>
      this.socket.emit('subscribe', { channels: [{ metric: METRIC, units: [UNIT] }] }, resolve),
    );
    expect(ack.ok).toBe(true);
    return this;
  }

  close(): void {
    this.socket.close();
  }
}

/** Waits until the predicate holds; the bound only keeps a broken test from hanging (no timed assertion). */
async function until(what: string, predicate: () => boolean, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('live stream: the credential is checked for the life of the connection, on every instance', () => {
  let a: TestServer;
  let b: TestServer;
  let key: string;
  let admin: string;
  const clients: Client[] = [];
  const env = { DXOC_LIVE_TICK_MS: '50', DXOC_LIVE_CREDENTIAL_CHECK_MS: '500' };

  const open = (name: string, server: TestServer, token: string) => {
    const client = new Client(name, server.url, token);
    clients.push(client);
    return client.ready();
  };
  /** A value pushed now reaches every client given (so they are live before the change, or still after it). */
  const deliverTo = async (...targets: Client[]) => {
    const value = Math.round(Math.random() * 1e6);
    expect((await push(a.url, key, { batchId: `v-${value}-${tsCounter}`, points: [point(value)] })).status).toBe(202);
    await until(`value ${value} reaches ${targets.map((c) => c.name).join(', ')}`, () => targets.every((c) => c.values.includes(value)));
  };
  /** The same credential open on instance A and on instance B. */
  const openOnBoth = async (name: string, token: string) => {
    const onA = await open(`${name}@A`, a, token);
    const onB = await open(`${name}@B`, b, token);
    await deliverTo(onA, onB);
    return [onA, onB] as const;
  };
  const expectDenied = async (targets: readonly Client[], reason: StreamDenied['reason']) => {
    await until(`${targets.map((c) => c.name).join(', ')} are disconnected`, () => targets.every((c) => c.disconnectReason !== null));
    for (const client of targets) {
      expect(
        client.denials.map((d) => d.reason),
        client.name,
      ).toEqual([reason]);
      expect(client.denials[0]?.message).toMatch(/\w/);
      // the server ended it: socket.io does not reconnect by itself after this one
      expect(client.disconnectReason, client.name).toBe('io server disconnect');
    }
  };

  let controlViewer: Client[];
  let controlSession: Client[];

  beforeAll(async () => {
    a = await startTestServer({ env });
    b = await startTestServer({ sameDatabaseAs: a, env });
    key = await a.createKey(null);
    admin = (await signInAs(a, 'admin')).token;
    // sockets whose credentials nobody touches: they must keep receiving through everything below
    controlViewer = [...(await openOnBoth('control viewer', a.viewerToken))];
    controlSession = [...(await openOnBoth('control session', (await signInAs(a, 'staff')).token))];
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await b?.close();
    await a?.close();
  });

  it('revoking a viewer token ends its sockets on both instances with viewer_token_revoked; a new handshake is refused with the reason', async () => {
    const created = await callJson(a.url, 'POST', '/api/v1/viewer-tokens', admin, { name: 'wall to revoke' });
    expect(created.status).toBe(201);
    const sockets = await openOnBoth('revoked viewer', created.body.token);

    expect((await callJson(a.url, 'DELETE', `/api/v1/viewer-tokens/${created.body.id}`, admin)).status).toBe(204);
    await expectDenied(sockets, 'viewer_token_revoked');

    const again = new Client('revoked viewer again', b.url, created.body.token);
    clients.push(again);
    await until('the handshake is refused', () => again.connectError !== null);
    expect(again.connectError?.message).toMatch(/unauthorized/);
    expect(again.connectError?.data?.reason).toBe('viewer_token_revoked');
    await deliverTo(...controlViewer, ...controlSession);
  });

  it('logging out ends the session’s sockets on both instances with session_ended', async () => {
    const { token } = await signInAs(a, 'staff');
    const sockets = await openOnBoth('logged out', token);
    expect((await callJson(a.url, 'POST', '/api/v1/auth/logout', token)).status).toBe(204);
    await expectDenied(sockets, 'session_ended');
    await deliverTo(...controlViewer, ...controlSession);
  });

  it('disabling a user ends their sockets on both instances with user_disabled', async () => {
    const { token, username } = await signInAs(a, 'viewer');
    const sockets = await openOnBoth('disabled', token);
    const users = await callJson(a.url, 'GET', '/api/v1/users', admin);
    const id = (users.body.users as { id: string; username: string }[]).find((u) => u.username === username)?.id;
    expect((await callJson(a.url, 'PUT', `/api/v1/users/${id}`, admin, { disabled: true })).status).toBe(200);
    await expectDenied(sockets, 'user_disabled');
    await deliverTo(...controlViewer, ...controlSession);
  });

  it('changing a role ends the user’s sockets on both instances with role_changed', async () => {
    const { token, username } = await signInAs(a, 'staff');
    const sockets = await openOnBoth('role changed', token);
    const users = await callJson(a.url, 'GET', '/api/v1/users', admin);
    const id = (users.body.users as { id: string; username: string }[]).find((u) => u.username === username)?.id;
    expect((await callJson(a.url, 'PUT', `/api/v1/users/${id}`, admin, { role: 'viewer' })).status).toBe(200);
    await expectDenied(sockets, 'role_changed');
    await deliverTo(...controlViewer, ...controlSession);
  });

  it('a change made on instance B ends the sockets on instance A too', async () => {
    const created = await callJson(b.url, 'POST', '/api/v1/viewer-tokens', admin, { name: 'wall revoked on B' });
    const sockets = await openOnBoth('revoked on B', created.body.token);
    expect((await callJson(b.url, 'DELETE', `/api/v1/viewer-tokens/${created.body.id}`, admin)).status).toBe(204);
    await expectDenied(sockets, 'viewer_token_revoked');
    await deliverTo(...controlViewer, ...controlSession);
  });

  it('re-checks all sockets of an instance with one query over their distinct credentials', async () => {
    const created = await callJson(a.url, 'POST', '/api/v1/viewer-tokens', admin, { name: 'wall with three screens' });
    for (const screen of [1, 2, 3]) await open(`screen ${screen}`, a, created.body.token);
    const spy = vi.spyOn(a.app.get(AuthRepository), 'credentialStates');
    try {
      await a.app.get(LiveCredentialWatch).check();
      expect(spy).toHaveBeenCalledTimes(1);
      const [sessions, viewers] = spy.mock.calls[0] as [string[], string[]];
      // the control session; the control viewer token and the three screens' token, once each
      expect(sessions).toHaveLength(1);
      expect(viewers).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('still-valid credentials kept receiving on both instances throughout', async () => {
    await deliverTo(...controlViewer, ...controlSession);
    for (const client of [...controlViewer, ...controlSession]) {
      expect(client.denials, client.name).toEqual([]);
      expect(client.socket.connected, client.name).toBe(true);
    }
  });
});

describe('live stream: a session ends its sockets at its expiry time, on every instance', () => {
  let a: TestServer;
  let b: TestServer;
  const clients: Client[] = [];
  // a session of 5.4 s; the periodic check is as slow as allowed, so the expiry timer is what ends the sockets
  const env = { DXOC_LIVE_TICK_MS: '50', DXOC_SESSION_TTL_HOURS: '0.0015', DXOC_LIVE_CREDENTIAL_CHECK_MS: '2000' };

  beforeAll(async () => {
    a = await startTestServer({ env });
    b = await startTestServer({ sameDatabaseAs: a, env });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await b?.close();
    await a?.close();
  });

  it('sends session_expired and disconnects, not before the expiry', async () => {
    const { token } = await signInAs(a, 'staff');
    const me = await callJson(a.url, 'GET', '/api/v1/auth/me', token);
    expect(me.status).toBe(200);
    const sessionRow = await a.db.query<{ expiresAt: Date }>(
      `SELECT s.expires_at AS "expiresAt" FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE u.username = $1`,
      [me.body.name],
    );
    const expiresAt = (sessionRow.rows[0]?.expiresAt as Date).getTime();
    const sockets = [new Client('expiring@A', a.url, token), new Client('expiring@B', b.url, token)];
    clients.push(...sockets);
    for (const client of sockets) await client.ready();
    // a viewer token does not expire: its socket stays
    const wall = new Client('wall@B', b.url, b.viewerToken);
    clients.push(wall);
    await wall.ready();

    await until('both expiring sockets are disconnected', () => sockets.every((c) => c.disconnectReason !== null));
    for (const client of sockets) {
      expect(
        client.denials.map((d) => d.reason),
        client.name,
      ).toEqual(['session_expired']);
      expect(client.denials[0]?.at, client.name).toBeGreaterThanOrEqual(expiresAt);
      expect(client.disconnectReason).toBe('io server disconnect');
    }
    expect(wall.socket.connected).toBe(true);
    expect(wall.denials).toEqual([]);
  });
});

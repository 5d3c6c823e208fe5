/**
 * Two backend instances on one database (two Nest apps in this process sharing one embedded database, each with its
 * own port, instance id and dispatcher timer): every alert transition is delivered exactly once, whichever instance
 * made it and whichever holds the 'notifications' lease; when the holder stops, the other takes over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher, NOTIFY_LEASE } from '../src/notifications/notification-dispatcher';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';
import { startHook, waitFor, type Hook } from './support/notify-servers';

const LEVEL4 = 'dvc.level4_share';
const SECRET = 'two instances, one secret, long enough';
const UNITS = ['01', '79', '48', '92', '96', '82'];

describe('notifications on two instances sharing one database', () => {
  let a: TestServer;
  let b: TestServer;
  let hook: Hook;
  let admin: string;
  let key: string;
  let batch = 0;
  const closed = new Set<TestServer>();

  beforeAll(async () => {
    hook = await startHook(SECRET);
    const env = {
      DXOC_SECRET_KEY: 'cd'.repeat(32),
      DXOC_NOTIFY_INTERVAL_MS: '100',
      DXOC_NOTIFY_RETRY_BASE_MS: '20',
    };
    a = await startTestServer({ env: { ...env, DXOC_INSTANCE_ID: 'notify-a' } });
    b = await startTestServer({ sameDatabaseAs: a, env: { ...env, DXOC_INSTANCE_ID: 'notify-b' } });
    admin = (await signInAs(a, 'admin')).token;
    key = await a.createKey(null);
    const channel = await callJson(a.url, 'POST', '/api/v1/notifications/channels', admin, {
      name: 'one receiver',
      config: { kind: 'webhook', url: `${hook.url}/in`, secret: SECRET },
    });
    expect(channel.status).toBe(201);
    const route = await callJson(b.url, 'POST', '/api/v1/notifications/routes', admin, {
      name: 'everything, resolved too',
      channelId: channel.body.id,
      notifyResolved: true,
    });
    expect(route.status).toBe(201);
    const rule = await callJson(a.url, 'POST', '/api/v1/alert-rules', admin, {
      name: 'level 4 above 80',
      metric: LEVEL4,
      scope: { kind: 'units', units: UNITS },
      condition: { type: 'above', value: 80 },
      severity: 'critical',
      messageVi: '{unitName} vượt {threshold}',
      messageEn: '{unitName} above {threshold}',
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    for (const server of [b, a]) if (server && !closed.has(server)) await server.app.close();
    await a?.closeDatabase();
    await hook?.close();
  });

  async function send(server: TestServer, unit: string, value: number) {
    batch += 1;
    const response = await push(server.url, key, {
      batchId: `two-${batch}`,
      points: [{ metric: LEVEL4, unit, value, ts: new Date(Date.now() - 60_000 + batch).toISOString() }],
    });
    expect(response.status).toBe(202);
  }

  const transitions = async () =>
    (
      await a.db.query<{ alertId: number; transition: string }>(
        `SELECT e.alert_id::int AS "alertId", e.transition FROM alert_event e WHERE e.transition IN ('firing', 'resolved') ORDER BY e.seq`,
      )
    ).rows.map((r) => `${r.alertId}:${r.transition}`);
  const received = () => hook.requests.map((r) => `${r.body.alert.id}:${r.body.kind}`);

  it('transitions made on both instances are each delivered once, by the lease holder only', async () => {
    // fire on both instances at once, then resolve half of them, also from both
    await Promise.all(UNITS.map((unit, i) => send(i % 2 === 0 ? a : b, unit, 95)));
    // rules are evaluated after the ingest answer: a resolving value sent before the firing one was evaluated would
    // be the latest value when it is, and the alert would never fire (seen on a TimescaleDB server)
    await waitFor(async () => (await transitions()).length === UNITS.length, 'the firing transitions');
    await Promise.all(UNITS.slice(0, 3).map((unit, i) => send(i % 2 === 0 ? b : a, unit, 10)));
    await waitFor(async () => (await transitions()).length === UNITS.length + 3, 'the transitions');
    const expected = (await transitions()).sort();
    await waitFor(() => hook.requests.length >= expected.length, 'every delivery');
    // both dispatchers have run rounds past the last transition: nothing more can come
    const dispatchers = [a, b].map((s) => s.app.get(NotificationDispatcher));
    await Promise.all(dispatchers.map((d) => d.round()));
    // the hook counts a request when it arrives; the round that sent it marks it sent once the answer is back, and may
    // still be on its way there (seen once when the files ran in another order)
    await Promise.all(dispatchers.map((d) => d.idle()));
    expect(received().sort()).toEqual(expected);
    expect(hook.requests.every((r) => r.verified)).toBe(true);
    const rounds = dispatchers.map((d) => d.roundsRun);
    expect(rounds.filter((n) => n > 0)).toHaveLength(1);
    const { rows } = await a.db.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM notification_delivery GROUP BY state`,
    );
    expect(rows).toEqual([{ state: 'sent', n: expected.length }]);
  });

  it('dispatch rounds racing on both instances queue each transition once', async () => {
    // both take every step at once, lease or not: the cursor lock and the unique index keep one delivery each
    const before = hook.requests.length;
    await Promise.all(UNITS.slice(0, 3).map((unit) => send(a, unit, 96)));
    await waitFor(async () => (await transitions()).length === UNITS.length + 6, 'the new transitions');
    const dispatchers = [a, b].map((s) => s.app.get(NotificationDispatcher));
    await Promise.all(dispatchers.flatMap((d) => [d.dispatchEvents(), d.dispatchEvents()]));
    await waitFor(() => hook.requests.length >= before + 3, 'the new deliveries');
    await Promise.all(dispatchers.map((d) => d.round()));
    expect(received().sort()).toEqual((await transitions()).sort());
  });

  it('when the holder stops, the other instance takes over and delivers', async () => {
    const holder = (await a.db.query<{ holder: string }>(`SELECT holder FROM lease WHERE name = $1`, [NOTIFY_LEASE])).rows[0]?.holder;
    const [stopping, staying] = holder === 'notify-a' ? [a, b] : [b, a];
    await stopping.app.close();
    closed.add(stopping);
    // a clean stop hands the lease back at once
    expect(
      (await a.db.query(`SELECT 1 FROM lease WHERE name = $1 AND holder = $2`, [NOTIFY_LEASE, stopping.config.instanceId])).rows,
    ).toEqual([]);
    const before = hook.requests.length;
    await send(staying, UNITS[5]!, 10);
    await waitFor(() => hook.requests.length > before, 'the delivery from the remaining instance');
    expect(hook.requests.at(-1)!.body).toMatchObject({ kind: 'resolved', alert: { unit: UNITS[5] } });
    expect(received().sort()).toEqual((await transitions()).sort());
  });
});

/**
 * Repeat while firing: a route with repeatHours sends again each time that long has passed since the alert was last
 * queued, as long as it keeps firing; an acknowledged alert is not repeated. The backend's clock is moved forward
 * (the database's lease clock is not involved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';
import { startHook, waitFor, type Hook } from './support/notify-servers';

const LEVEL4 = 'dvc.level4_share';
const SECRET = 'repeat while firing, long secret';
const HOUR = 3_600_000;

describe('notifications repeated while an alert keeps firing', () => {
  let server: TestServer;
  let hook: Hook;
  let offset = 0;

  beforeAll(async () => {
    hook = await startHook(SECRET);
    server = await startTestServer({
      clock: { now: () => new Date(Date.now() + offset) },
      env: { DXOC_SECRET_KEY: 'ef'.repeat(32), DXOC_NOTIFY_INTERVAL_MS: '100', DXOC_ALERT_SWEEP_MS: '600000' },
    });
  });
  afterAll(async () => {
    await server?.close();
    await hook?.close();
  });

  it('repeats every repeatHours while firing, not once acknowledged', async () => {
    const admin = (await signInAs(server, 'admin')).token;
    const channel = await callJson(server.url, 'POST', '/api/v1/notifications/channels', admin, {
      name: 'on-call',
      config: { kind: 'webhook', url: hook.url, secret: SECRET },
    });
    expect(channel.status).toBe(201);
    const route = await callJson(server.url, 'POST', '/api/v1/notifications/routes', admin, {
      name: 'critical, every 2 hours',
      channelId: channel.body.id,
      severities: ['critical'],
      repeatHours: 2,
    });
    expect(route.status, JSON.stringify(route.body)).toBe(201);
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', admin, {
      name: 'level 4 of 01',
      metric: LEVEL4,
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'above', value: 80 },
      severity: 'critical',
      messageVi: '{unitName} vượt {threshold}',
      messageEn: '{unitName} above {threshold}',
    });
    expect(rule.status).toBe(201);
    const key = await server.createKey(null);
    const pushed = await push(server.url, key, {
      batchId: 'repeat-1',
      points: [{ metric: LEVEL4, unit: '01', value: 97, ts: new Date(Date.now() - 1000).toISOString() }],
    });
    expect(pushed.status).toBe(202);
    await waitFor(() => hook.requests.length === 1, 'the firing notification');
    expect(hook.requests[0]!.body.kind).toBe('firing');

    const dispatcher = server.app.get(NotificationDispatcher);
    offset = HOUR;
    await dispatcher.round();
    expect(hook.requests).toHaveLength(1);

    offset = 2 * HOUR + 60_000;
    await dispatcher.round();
    await waitFor(() => hook.requests.length === 2, 'the repeat');
    expect(hook.requests[1]!.body).toMatchObject({ kind: 'repeat', alert: { unit: '01', state: 'firing' } });
    expect(hook.requests[1]!.body.message.subject.vi).toContain('vẫn đang kích hoạt');
    // the next round at the same time repeats nothing: the repeat was just queued
    await dispatcher.round();
    expect(hook.requests).toHaveLength(2);

    const staff = (await signInAs(server, 'staff')).token;
    const ack = await callJson(server.url, 'POST', `/api/v1/alerts/${hook.requests[0]!.body.alert.id}/ack`, staff, {
      comment: 'đang xử lý',
    });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    offset = 5 * HOUR;
    await dispatcher.round();
    await dispatcher.round();
    expect(hook.requests).toHaveLength(2);
    const { rows } = await server.db.query<{ kind: string; state: string }>(`SELECT kind, state FROM notification_delivery ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'firing', state: 'sent' },
      { kind: 'repeat', state: 'sent' },
    ]);
  });
});

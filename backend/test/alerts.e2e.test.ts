/**
 * Threshold alerts end to end on one backend: rules over the API, evaluation on ingest and in the sweep, the
 * lifecycle (pending, firing, acknowledged, resolved) with its history, delivery over the live stream, validation,
 * roles, and the backtest. Values are pushed through the ingest API with times just before now (the real clock).
 * Each test uses its own units, so rules of one test never see another test's values.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import type { Alert, AlertRule } from '@dxoc/contracts';
import type { ClientToServerEvents, LiveTick, ServerToClientEvents, SubscribeAck } from '@dxoc/contracts';
import { callJson, getJson, push, signInAs, startTestServer, type TestServer } from './support/app';

const LEVEL4 = 'dvc.level4_share'; // ratio 0..100, monthly, nation/provinces/ministries
const APPLICATIONS = 'onestop.applications_received'; // gauge, daily
const EINVOICE = 'einvoice.issued'; // gauge, daily, nation/provinces
const GDP_SHARE = 'digital_economy.gdp_share'; // ratio, yearly, nation only; seeded 2020-2024, target 30% by 2030

const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Polls until the predicate holds; the bound only keeps a broken test from hanging. */
async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('threshold alerts', () => {
  let server: TestServer;
  let key: string;
  let staff: { token: string; username: string };
  let viewer: { token: string; username: string };
  let operator: { token: string; username: string };
  let evaluator: AlertEvaluator;
  let batch = 0;

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_ALERT_SWEEP_MS: '200', DXOC_LIVE_TICK_MS: '50' } });
    key = await server.createKey(null);
    staff = await signInAs(server, 'staff');
    viewer = await signInAs(server, 'viewer');
    operator = await signInAs(server, 'operator');
    evaluator = server.app.get(AlertEvaluator);
  });
  afterAll(async () => {
    await server?.close();
  });

  const draft = (over: Record<string, unknown>) => ({
    name: 'test rule',
    metric: LEVEL4,
    scope: { kind: 'units', units: ['01'] },
    condition: { type: 'above', value: 80 },
    severity: 'warning',
    messageVi: '{unitName} ({unit}): {metricName} = {value}, ngưỡng {threshold}, từ {since}',
    messageEn: '{unitName} ({unit}): {metricName} = {value}, threshold {threshold}, since {since}',
    ...over,
  });

  /** Creates a rule as staff and waits for its first evaluation. */
  async function createRule(over: Record<string, unknown>): Promise<AlertRule> {
    const response = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, draft(over));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    await evaluator.idle();
    return response.body as AlertRule;
  }

  /** Pushes values and waits until the evaluation they started has finished. */
  async function send(points: { metric: string; unit: string; ts: string; value: number }[]): Promise<void> {
    batch += 1;
    const response = await push(server.url, key, { batchId: `alerts-${batch}`, points });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    await evaluator.idle();
  }

  async function alertsOf(rule: AlertRule): Promise<Alert[]> {
    const response = await getJson(server.url, `/api/v1/alerts?metric=${rule.metric}&limit=1000`);
    expect(response.status).toBe(200);
    return (response.body.alerts as Alert[]).filter((a) => a.ruleId === rule.id).sort((a, b) => a.id - b.id);
  }

  async function transitions(alert: Alert): Promise<{ transition: string; actor: string | null; at: string }[]> {
    const response = await getJson(server.url, `/api/v1/alerts/${alert.id}/events`);
    expect(response.status).toBe(200);
    return response.body.events;
  }

  it('above: fires on the breaching value with its messages, resolves when it clears; a backfilled old value does not fire', async () => {
    const rule = await createRule({ condition: { type: 'above', value: 80 } });
    await send([{ metric: LEVEL4, unit: '01', ts: ago(30 * MINUTE), value: 70 }]);
    expect(await alertsOf(rule)).toEqual([]);

    await send([{ metric: LEVEL4, unit: '01', ts: ago(20 * MINUTE), value: 90.5 }]);
    const [fired] = await alertsOf(rule);
    expect(fired).toMatchObject({ state: 'firing', unit: '01', metric: LEVEL4, value: 90.5, severity: 'warning', ruleName: 'test rule' });
    expect(fired?.firingSince).toBe(fired?.pendingSince);
    expect(fired?.messageVi).toMatch(/^Hà Nội \(01\): .+ = 90,5, ngưỡng 80, từ \d\d:\d\d \d\d\/\d\d\/\d{4}$/);
    expect(fired?.messageEn).toMatch(/^Hanoi \(01\): .+ = 90\.5, threshold 80, since \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d$/);

    await send([{ metric: LEVEL4, unit: '01', ts: ago(10 * MINUTE), value: 60 }]);
    // an old value breaching again is history, not the current value
    await send([{ metric: LEVEL4, unit: '01', ts: ago(25 * MINUTE), value: 95 }]);
    await evaluator.sweepOnce();
    const alerts = await alertsOf(rule);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: fired?.id, state: 'resolved', value: 90.5 });
    expect((await transitions(alerts[0] as Alert)).map((e) => [e.transition, e.actor])).toEqual([
      ['firing', 'system'],
      ['resolved', 'system'],
    ]);
  });

  it('below: fires and resolves', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['79'] }, condition: { type: 'below', value: 30 } });
    await send([{ metric: LEVEL4, unit: '79', ts: ago(30 * MINUTE), value: 40 }]);
    expect(await alertsOf(rule)).toEqual([]);
    await send([{ metric: LEVEL4, unit: '79', ts: ago(20 * MINUTE), value: 20 }]);
    expect((await alertsOf(rule)).map((a) => [a.state, a.value])).toEqual([['firing', 20]]);
    await send([{ metric: LEVEL4, unit: '79', ts: ago(10 * MINUTE), value: 35 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['resolved']);
  });

  it('change: a rise of 50% within an hour fires, and resolves when the change falls back', async () => {
    const rule = await createRule({
      metric: APPLICATIONS,
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'change', direction: 'rise', percent: 50, window: '1h' },
    });
    await send([
      { metric: APPLICATIONS, unit: '01', ts: ago(120 * MINUTE), value: 100 },
      { metric: APPLICATIONS, unit: '01', ts: ago(30 * MINUTE), value: 110 },
    ]);
    expect(await alertsOf(rule)).toEqual([]); // +10% against the value an hour earlier
    await send([{ metric: APPLICATIONS, unit: '01', ts: ago(5 * MINUTE), value: 160 }]);
    expect((await alertsOf(rule)).map((a) => [a.state, a.value])).toEqual([['firing', 160]]);
    await send([{ metric: APPLICATIONS, unit: '01', ts: ago(1 * MINUTE), value: 120 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['resolved']);
  });

  it('no data for longer than "after": fires from the sweep, resolves on a value, fires again when values stop', async () => {
    const rule = await createRule({
      metric: EINVOICE,
      scope: { kind: 'units', units: ['48'] },
      condition: { type: 'no_data', after: '1s' },
    });
    const first = await waitFor(
      () => alertsOf(rule),
      (alerts) => alerts.some((a) => a.state === 'firing'),
      'a no-data alert',
    );
    expect(first[0]).toMatchObject({ state: 'firing', value: null });
    await send([{ metric: EINVOICE, unit: '48', ts: ago(0), value: 5 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['resolved']);
    const again = await waitFor(
      () => alertsOf(rule),
      (alerts) => alerts.length === 2 && alerts[1]?.state === 'firing',
      'a second no-data episode',
    );
    expect(again[0]?.state).toBe('resolved');
  });

  it("no data past the metric's cadence (daily: two days without a newer value)", async () => {
    await send([{ metric: APPLICATIONS, unit: 'BCA', ts: ago(3 * DAY), value: 10 }]);
    const rule = await createRule({ metric: APPLICATIONS, scope: { kind: 'units', units: ['BCA'] }, condition: { type: 'no_data' } });
    const [alert] = await alertsOf(rule);
    expect(alert).toMatchObject({ state: 'firing', unit: 'BCA', value: null });
    expect(alert?.messageEn).toContain('threshold 2d');
    await send([{ metric: APPLICATIONS, unit: 'BCA', ts: ago(MINUTE), value: 12 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['resolved']);
  });

  it('target at risk: the projection (a line through the 5 seeded figures) misses the 2030 target, and stops missing it when values catch up', async () => {
    const rule = await createRule({
      metric: GDP_SHARE,
      scope: { kind: 'nation' },
      condition: { type: 'target_at_risk' },
      severity: 'critical',
      messageEn: '{unitName}: {metricName} projected at {value}%, target {threshold}%',
    });
    const [alert] = await alertsOf(rule);
    // least squares through the seeded 2020-2024 figures (12.66 … 13.17), projected to 31 Dec 2030
    expect(alert?.state).toBe('firing');
    expect(alert?.value).toBeCloseTo(13.7, 1);
    expect(alert?.messageEn).toMatch(/projected at 13\.7\d?%, target 30%$/);
    await send([{ metric: GDP_SHARE, unit: 'VN', ts: ago(60 * MINUTE), value: 40 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['resolved']);
  });

  it('pending period: pending on the breach, firing from the sweep once "for" has elapsed, pendingSince kept', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['92'] }, for: '2s' });
    await send([{ metric: LEVEL4, unit: '92', ts: ago(MINUTE), value: 90 }]);
    const [pending] = await alertsOf(rule);
    expect(pending).toMatchObject({ state: 'pending', firingSince: null });
    const [fired] = await waitFor(
      () => alertsOf(rule),
      (alerts) => alerts[0]?.state === 'firing',
      'the pending alert to fire',
    );
    expect(fired?.id).toBe(pending?.id);
    expect(fired?.pendingSince).toBe(pending?.pendingSince);
    expect(Date.parse(fired?.firingSince as string) - Date.parse(fired?.pendingSince as string)).toBeGreaterThanOrEqual(2000);
    expect((await transitions(fired as Alert)).map((e) => e.transition)).toEqual(['pending', 'firing']);
  });

  it('pending period: a breach that clears before "for" resolves without firing and stays in the history; pending cannot be acknowledged', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['96'] }, for: '1h' });
    await send([{ metric: LEVEL4, unit: '96', ts: ago(2 * MINUTE), value: 90 }]);
    const [pending] = await alertsOf(rule);
    expect(pending?.state).toBe('pending');
    const ack = await callJson(server.url, 'POST', `/api/v1/alerts/${pending?.id}/ack`, staff.token, { comment: 'too early' });
    expect(ack.status).toBe(409);
    await send([{ metric: LEVEL4, unit: '96', ts: ago(MINUTE), value: 10 }]);
    const [resolved] = await alertsOf(rule);
    expect(resolved).toMatchObject({ id: pending?.id, state: 'resolved', firingSince: null });
    expect((await transitions(resolved as Alert)).map((e) => e.transition)).toEqual(['pending', 'resolved']);
  });

  it('keepFiringFor: keeps firing through a brief clear, resolves once clear for that long', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['BYT'] }, keepFiringFor: '4s' });
    await send([{ metric: LEVEL4, unit: 'BYT', ts: ago(40 * MINUTE), value: 90 }]);
    const [fired] = await alertsOf(rule);
    expect(fired?.state).toBe('firing');
    await send([{ metric: LEVEL4, unit: 'BYT', ts: ago(30 * MINUTE), value: 70 }]);
    expect((await alertsOf(rule)).map((a) => [a.id, a.state])).toEqual([[fired?.id, 'firing']]);
    await send([{ metric: LEVEL4, unit: 'BYT', ts: ago(20 * MINUTE), value: 85 }]);
    expect((await alertsOf(rule)).map((a) => [a.id, a.state, a.value])).toEqual([[fired?.id, 'firing', 85]]);
    const lastClear = Date.now();
    await send([{ metric: LEVEL4, unit: 'BYT', ts: ago(10 * MINUTE), value: 70 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['firing']);
    const [resolved] = await waitFor(
      () => alertsOf(rule),
      (alerts) => alerts[0]?.state === 'resolved',
      'the alert to resolve after keepFiringFor',
    );
    expect(Date.parse(resolved?.resolvedAt as string) - lastClear).toBeGreaterThanOrEqual(4000);
    expect((await transitions(resolved as Alert)).map((e) => e.transition)).toEqual(['firing', 'resolved']);
  });

  it('acknowledgement: staff only, with a comment and who; recorded as an event and in the audit log; then resolves', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['31'] } });
    await send([{ metric: LEVEL4, unit: '31', ts: ago(2 * MINUTE), value: 99 }]);
    const [alert] = await alertsOf(rule);
    const path = `/api/v1/alerts/${alert?.id}/ack`;
    expect((await callJson(server.url, 'POST', path, viewer.token, { comment: 'seen' })).status).toBe(403);
    expect((await callJson(server.url, 'POST', path, operator.token, { comment: 'seen' })).status).toBe(403);
    expect((await callJson(server.url, 'POST', path, server.viewerToken, { comment: 'seen' })).status).toBe(403);
    expect((await callJson(server.url, 'POST', path, staff.token, {})).status).toBe(400);
    expect((await callJson(server.url, 'POST', '/api/v1/alerts/999999/ack', staff.token, { comment: 'x' })).status).toBe(404);

    const acked = await callJson(server.url, 'POST', path, staff.token, { comment: 'Đã liên hệ Sở TT&TT' });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      id: alert?.id,
      state: 'acknowledged',
      acknowledgedBy: staff.username,
      ackComment: 'Đã liên hệ Sở TT&TT',
    });
    expect(Date.parse(acked.body.acknowledgedAt)).toBeGreaterThanOrEqual(Date.parse(alert?.firingSince as string));
    expect((await callJson(server.url, 'POST', path, staff.token, { comment: 'again' })).status).toBe(409);

    const audit = await callJson(server.url, 'GET', '/api/v1/audit?action=alert.acknowledge', staff.token);
    const entry = audit.body.entries.find((e: { target: string }) => e.target === `alert:${alert?.id}`);
    expect(entry).toMatchObject({
      actor: staff.username,
      before: { state: 'firing' },
      after: { state: 'acknowledged', ackComment: 'Đã liên hệ Sở TT&TT' },
    });

    // acknowledged stays acknowledged while the condition holds, and resolves when it clears
    await send([{ metric: LEVEL4, unit: '31', ts: ago(MINUTE), value: 95 }]);
    expect((await alertsOf(rule)).map((a) => a.state)).toEqual(['acknowledged']);
    await send([{ metric: LEVEL4, unit: '31', ts: ago(0), value: 50 }]);
    const [resolved] = await alertsOf(rule);
    expect(resolved).toMatchObject({ state: 'resolved', acknowledgedBy: staff.username });
    expect((await transitions(resolved as Alert)).map((e) => [e.transition, e.actor])).toEqual([
      ['firing', 'system'],
      ['acknowledged', staff.username],
      ['resolved', 'system'],
    ]);
  });

  it('a socket subscribed to alerts gets the firing event of the breaching value, with the value and severity', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['33'] }, severity: 'critical' });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: server.viewerToken },
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', { channels: [], alerts: true }, resolve));
      expect(ack.ok).toBe(true);
      const received = new Promise<{ tick: LiveTick; at: number }>((resolve) => {
        socket.on('live:tick', (tick) => {
          if (tick.alerts.some((e) => e.transition === 'firing' && e.alert.ruleId === rule.id)) resolve({ tick, at: Date.now() });
        });
      });
      const sentAt = Date.now();
      const response = await push(server.url, key, {
        batchId: 'alerts-socket',
        points: [{ metric: LEVEL4, unit: '33', ts: ago(MINUTE), value: 97 }],
      });
      expect(response.status).toBe(202);
      const { tick, at } = await received;
      // the goal is under 1 s; a figure, not an assertion (a loaded 2-core machine missed it by 81 ms once)
      console.log(`[alerts] breaching value → firing event on the socket: ${at - sentAt} ms`);
      const event = tick.alerts.find((e) => e.alert.ruleId === rule.id);
      expect(event?.alert).toMatchObject({ unit: '33', state: 'firing', value: 97, severity: 'critical' });
    } finally {
      socket.close();
    }
  });

  it('refuses rules that reference unknown data or can never fire (400 with details)', async () => {
    const metrics = (await getJson(server.url, '/api/v1/catalog/metrics')).body.metrics as { code: string; targets: { id: number }[] }[];
    const egdiTarget = metrics.find((m) => m.code === 'egdi.rank')?.targets[0]?.id;
    expect(egdiTarget).toBeTypeOf('number');
    const cases: [string, Record<string, unknown>, string][] = [
      ['unknown metric', { metric: 'dvc.nope' }, 'metric'],
      ['unknown unit', { scope: { kind: 'units', units: ['01', '99'] } }, 'scope.units.1'],
      ['dissolved unit', { scope: { kind: 'units', units: ['74'] } }, 'scope.units.0'],
      ['ratio above 100', { condition: { type: 'above', value: 100 } }, 'condition.value'],
      ['ratio below 0', { condition: { type: 'below', value: 0 } }, 'condition.value'],
      [
        'rank above its maximum',
        { metric: 'egdi.rank', scope: { kind: 'nation' }, condition: { type: 'above', value: 193 } },
        'condition.value',
      ],
      [
        'no data without after on an irregular metric',
        { metric: 'egdi.rank', scope: { kind: 'nation' }, condition: { type: 'no_data' } },
        'condition.after',
      ],
      ['target at risk without a target', { metric: 'dvc.services_online', condition: { type: 'target_at_risk' } }, 'condition.type'],
      [
        'a target of another metric',
        { metric: GDP_SHARE, scope: { kind: 'nation' }, condition: { type: 'target_at_risk', targetId: egdiTarget } },
        'condition.targetId',
      ],
      ['provinces for a nation-only metric', { metric: 'lgsp.unit_share', scope: { kind: 'provinces' } }, 'scope.kind'],
      [
        'a counter cannot drop',
        { metric: 'ndxp.transactions', condition: { type: 'change', direction: 'drop', percent: 10, window: '1d' } },
        'condition.direction',
      ],
      ['unknown placeholder', { messageEn: '{unit} is {valeu}' }, 'messageEn'],
    ];
    for (const [name, over, field] of cases) {
      const response = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, draft(over));
      expect(response.status, name).toBe(400);
      expect(response.body.error, name).toBe('invalid_rule');
      expect(
        response.body.details.map((d: { field: string }) => d.field),
        name,
      ).toEqual([field]);
    }
    const badShape = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, draft({ for: '5 minutes', severity: 'loud' }));
    expect(badShape.status).toBe(400);
    expect(badShape.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['for', 'severity']);
  });

  it('only staff and admin change rules; every signed-in role reads rules and alerts', async () => {
    const admin = await signInAs(server, 'admin');
    const rule = await createRule({ scope: { kind: 'units', units: ['80'] }, enabled: false });
    const changes: [string, string, unknown][] = [
      ['POST', '/api/v1/alert-rules', draft({})],
      ['POST', '/api/v1/alert-rules/preview', { rule: draft({}), days: 7 }],
      ['PUT', `/api/v1/alert-rules/${rule.id}`, draft({ enabled: false })],
      ['DELETE', `/api/v1/alert-rules/${rule.id}`, undefined],
    ];
    for (const [method, path, body] of changes) {
      for (const token of [viewer.token, operator.token, server.viewerToken])
        expect((await callJson(server.url, method, path, token, body)).status, `${method} ${path}`).toBe(403);
      expect((await callJson(server.url, method, path, null, body)).status).toBe(401);
    }
    expect((await callJson(server.url, 'PUT', `/api/v1/alert-rules/${rule.id}`, admin.token, draft({ enabled: false }))).status).toBe(200);
    for (const token of [viewer.token, operator.token, server.viewerToken]) {
      expect((await callJson(server.url, 'GET', '/api/v1/alert-rules', token)).status).toBe(200);
      expect((await callJson(server.url, 'GET', `/api/v1/alert-rules/${rule.id}`, token)).status).toBe(200);
      expect((await callJson(server.url, 'GET', '/api/v1/alerts?state=open', token)).status).toBe(200);
    }
    expect((await callJson(server.url, 'GET', '/api/v1/alerts', null)).status).toBe(401);
  });

  it('rules: read back, replaced by PUT, disabled by PUT or DELETE (open alerts resolved by that user), audited', async () => {
    const rule = await createRule({ scope: { kind: 'units', units: ['82'] }, for: '60m' });
    expect(rule).toMatchObject({ for: '1h', keepFiringFor: '0s', enabled: true, createdBy: staff.username });
    expect((await callJson(server.url, 'GET', `/api/v1/alert-rules/${rule.id}`, viewer.token)).body).toEqual(rule);
    expect((await callJson(server.url, 'GET', '/api/v1/alert-rules/999999', viewer.token)).status).toBe(404);
    expect((await callJson(server.url, 'GET', '/api/v1/alert-rules', viewer.token)).body.rules.map((r: AlertRule) => r.id)).toContain(
      rule.id,
    );

    const replaced = await callJson(
      server.url,
      'PUT',
      `/api/v1/alert-rules/${rule.id}`,
      staff.token,
      draft({ scope: { kind: 'units', units: ['82'] }, condition: { type: 'above', value: 50 }, name: 'replaced' }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: rule.id,
      name: 'replaced',
      for: '0s',
      condition: { type: 'above', value: 50 },
      createdAt: rule.createdAt,
    });
    await evaluator.idle();
    await send([{ metric: LEVEL4, unit: '82', ts: ago(MINUTE), value: 60 }]);
    const [alert] = await alertsOf(rule);
    expect(alert?.state).toBe('firing');

    const disabled = await callJson(server.url, 'DELETE', `/api/v1/alert-rules/${rule.id}`, staff.token);
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    const [resolved] = await alertsOf(rule);
    expect(resolved?.state).toBe('resolved');
    expect((await transitions(resolved as Alert)).at(-1)).toMatchObject({ transition: 'resolved', actor: staff.username });
    // a disabled rule does not fire
    await send([{ metric: LEVEL4, unit: '82', ts: ago(0), value: 70 }]);
    await evaluator.sweepOnce();
    expect(await alertsOf(rule)).toHaveLength(1);

    const audit = await callJson(server.url, 'GET', '/api/v1/audit?limit=1000', staff.token);
    const mine = audit.body.entries.filter((e: { target: string }) => e.target === `alert_rule:${rule.id}`).reverse();
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['alert_rule.create', 'alert_rule.update', 'alert_rule.disable']);
    expect(mine[1]).toMatchObject({
      actor: staff.username,
      before: { name: 'test rule', for: '1h' },
      after: { name: 'replaced', for: '0s' },
    });
    expect(mine[2]).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
  });

  it('preview: replays the stored values of the last days with the same state machine, and writes nothing', async () => {
    const base = Date.now();
    const at = (days: number) => new Date(base - days * DAY).toISOString();
    await send(
      [
        [10, 50],
        [8, 90],
        [7, 95],
        [5, 40],
        [3, 85],
        [2, 30],
      ].map(([days, value]) => ({ metric: LEVEL4, unit: '04', ts: at(days as number), value: value as number })),
    );
    const countBefore = (await getJson(server.url, '/api/v1/alerts?limit=1000')).body.alerts.length;
    const preview = async (over: Record<string, unknown>) => {
      const response = await callJson(server.url, 'POST', '/api/v1/alert-rules/preview', staff.token, {
        rule: draft({ scope: { kind: 'units', units: ['04'] }, ...over }),
        days: 30,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };

    const immediate = await preview({});
    expect(immediate.evaluatedPoints).toBe(6);
    expect(immediate.firings).toEqual([
      { unit: '04', pendingSince: at(8), firingSince: at(8), resolvedAt: at(5), value: 90 },
      { unit: '04', pendingSince: at(3), firingSince: at(3), resolvedAt: at(2), value: 85 },
    ]);
    const withFor = await preview({ for: '1d' });
    expect(withFor.firings).toEqual([
      { unit: '04', pendingSince: at(8), firingSince: at(7), resolvedAt: at(5), value: 95 },
      { unit: '04', pendingSince: at(3), firingSince: null, resolvedAt: at(2), value: 85 },
    ]);
    // keepFiringFor bridges the clear from day 5 to day 3; the clear from day 2 lasts 2 days, until now
    const hysteresis = await preview({ keepFiringFor: '2d' });
    expect(hysteresis.firings).toEqual([{ unit: '04', pendingSince: at(8), firingSince: at(8), resolvedAt: at(0), value: 90 }]);
    expect((await getJson(server.url, '/api/v1/alerts?limit=1000')).body.alerts.length).toBe(countBefore);

    const invalid = await callJson(server.url, 'POST', '/api/v1/alert-rules/preview', staff.token, {
      rule: draft({ condition: { type: 'above', value: 100 } }),
      days: 7,
    });
    expect(invalid.status).toBe(400);
  });

  it('history: filters by state, unit, metric, severity, time and limit', async () => {
    const all = (await getJson(server.url, '/api/v1/alerts?limit=1000')).body.alerts as Alert[];
    expect(all.length).toBeGreaterThan(5);
    const sorted = [...all].sort((a, b) => b.pendingSince.localeCompare(a.pendingSince) || b.id - a.id);
    expect(all.map((a) => a.id)).toEqual(sorted.map((a) => a.id));

    const query = async (params: Record<string, string>) => {
      const response = await getJson(server.url, `/api/v1/alerts?${new URLSearchParams({ limit: '1000', ...params })}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.alerts as Alert[];
    };
    const ids = (alerts: Alert[]) => alerts.map((a) => a.id).sort((x, y) => x - y);
    const expected = (keep: (a: Alert) => boolean) => ids(all.filter(keep));

    expect(ids(await query({ state: 'open' }))).toEqual(expected((a) => a.state !== 'resolved'));
    expect(ids(await query({ state: 'resolved' }))).toEqual(expected((a) => a.state === 'resolved'));
    expect(ids(await query({ unit: '01' }))).toEqual(expected((a) => a.unit === '01'));
    expect(ids(await query({ metric: APPLICATIONS }))).toEqual(expected((a) => a.metric === APPLICATIONS));
    expect(ids(await query({ severity: 'critical' }))).toEqual(expected((a) => a.severity === 'critical'));
    expect((await query({ severity: 'critical' })).length).toBeGreaterThanOrEqual(2);
    const middle = sorted[Math.floor(sorted.length / 2)] as Alert;
    expect(ids(await query({ to: middle.pendingSince }))).toEqual(expected((a) => a.pendingSince < middle.pendingSince));
    expect(ids(await query({ from: middle.pendingSince }))).toEqual(
      expected((a) => a.resolvedAt === null || a.resolvedAt >= middle.pendingSince),
    );
    expect(await query({ limit: '2' })).toHaveLength(2);
    expect((await getJson(server.url, '/api/v1/alerts?from=yesterday')).status).toBe(400);
    expect((await getJson(server.url, '/api/v1/alerts?state=closed')).status).toBe(400);
    expect((await getJson(server.url, '/api/v1/alerts/999999')).status).toBe(404);
  });
});

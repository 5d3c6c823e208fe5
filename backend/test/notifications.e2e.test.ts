/**
 * Alert notifications end to end: a real backend, a real SMTP server (smtp-server, AUTH with the sealed password)
 * and a real HTTP server verifying the webhook's HMAC signature. Alerts are raised by ingesting values over the
 * API; the weekly report is published through the EventBus as the report schedule does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationChannel, NotificationDelivery, NotificationRoute } from '@dxoc/contracts';
import { EventBus } from '../src/events/event-bus';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';
import { startHook, startInbox, waitFor, type Hook, type Inbox } from './support/notify-servers';

const LEVEL4 = 'dvc.level4_share';
const SECRET = 'a webhook secret of some length';
const SMTP_USER = { username: 'dxoc-mailer', password: 'p@ss wörd for smtp' };
const FAILING_SECRET = 'another secret, failing channel';

describe('alert notifications', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let key: string;
  let inbox: Inbox;
  let hook: Hook;
  let failingHook: Hook;
  let mail: NotificationChannel;
  let webhook: NotificationChannel;
  let batch = 0;

  beforeAll(async () => {
    inbox = await startInbox(SMTP_USER);
    hook = await startHook(SECRET);
    failingHook = await startHook(FAILING_SECRET);
    failingHook.status = 500;
    server = await startTestServer({
      env: {
        DXOC_SECRET_KEY: 'ab'.repeat(32),
        DXOC_NOTIFY_INTERVAL_MS: '100',
        DXOC_NOTIFY_RETRY_BASE_MS: '20',
        DXOC_NOTIFY_MAX_ATTEMPTS: '3',
        DXOC_INSTANCE_ID: 'notify-a',
      },
    });
    admin = (await signInAs(server, 'admin')).token;
    staff = (await signInAs(server, 'staff')).token;
    key = await server.createKey(null);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([inbox?.close(), hook?.close(), failingHook?.close()]);
  });

  async function post<T>(path: string, body: unknown, token = admin, status = 201): Promise<T> {
    const response = await callJson(server.url, 'POST', path, token, body);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body as T;
  }

  async function createRule(units: string[]): Promise<number> {
    const rule = await post<{ id: number }>(
      '/api/v1/alert-rules',
      {
        name: `level 4 of ${units.join(',')}`,
        metric: LEVEL4,
        scope: { kind: 'units', units },
        condition: { type: 'above', value: 80 },
        severity: 'warning',
        messageVi: 'Tỷ lệ DVC mức 4 của {unitName} vượt {threshold}',
        messageEn: 'Level-4 share of {unitName} above {threshold}',
      },
      staff,
    );
    return rule.id;
  }

  async function send(unit: string, value: number) {
    batch += 1;
    const response = await push(server.url, key, {
      batchId: `notify-${batch}`,
      points: [{ metric: LEVEL4, unit, value, ts: new Date(Date.now() - 1000 + batch).toISOString() }],
    });
    expect(response.status).toBe(202);
  }

  async function deliveries(query = ''): Promise<NotificationDelivery[]> {
    const response = await callJson(server.url, 'GET', `/api/v1/notifications/deliveries?limit=500${query}`, staff);
    expect(response.status).toBe(200);
    return response.body.deliveries as NotificationDelivery[];
  }

  async function alertIdOf(ruleId: number, unit: string): Promise<number> {
    const { rows } = await server.db.query<{ id: number }>(
      `SELECT id::int AS id FROM alert WHERE rule_id = $1 AND unit_code = $2 ORDER BY id DESC`,
      [ruleId, unit],
    );
    return rows[0]!.id;
  }

  it('admins create channels whose secrets are write-only: never answered, never in the audit log or stored in clear', async () => {
    mail = await post<NotificationChannel>('/api/v1/notifications/channels', {
      name: 'Hộp thư Ban chỉ đạo',
      config: {
        kind: 'email',
        host: '127.0.0.1',
        port: inbox.port,
        security: 'none',
        username: SMTP_USER.username,
        password: SMTP_USER.password,
        from: 'dxoc@example.gov.vn',
        recipients: ['bcd@example.gov.vn', 'thuky@example.gov.vn'],
      },
    });
    webhook = await post<NotificationChannel>('/api/v1/notifications/channels', {
      name: 'HCMC webhook',
      config: { kind: 'webhook', url: `${hook.url}/dxoc`, secret: SECRET },
    });
    expect(mail.config).toMatchObject({ kind: 'email', hasPassword: true, language: 'vi+en' });
    expect(webhook.config).toEqual({ kind: 'webhook', url: `${hook.url}/dxoc`, hasSecret: true });
    expect(webhook).toMatchObject({ enabled: true, failing: false, consecutiveFailures: 0 });

    // a webhook without a secret cannot sign: refused
    const unsigned = await callJson(server.url, 'POST', '/api/v1/notifications/channels', admin, {
      name: 'unsigned',
      config: { kind: 'webhook', url: hook.url },
    });
    expect(unsigned.status).toBe(400);

    // renaming without the secret keeps it
    const renamed = await callJson(server.url, 'PUT', `/api/v1/notifications/channels/${webhook.id}`, admin, {
      name: 'HCMC webhook (79)',
      config: { kind: 'webhook', url: `${hook.url}/dxoc` },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.config.hasSecret).toBe(true);

    const listed = await callJson(server.url, 'GET', '/api/v1/notifications/channels', admin);
    const everything = JSON.stringify(listed.body);
    expect(listed.body.channels).toHaveLength(2);
    for (const secret of [SECRET, SMTP_USER.password]) {
      expect(everything).not.toContain(secret);
      expect(JSON.stringify(renamed.body)).not.toContain(secret);
      const audit = await server.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE before::text LIKE $1 OR after::text LIKE $1`, [
        `%${secret}%`,
      ]);
      expect(audit.rows[0]).toEqual({ n: 0 });
      const stored = await server.db.query(
        `SELECT count(*)::int AS n FROM notification_channel WHERE config::text LIKE $1 OR convert_from(secret, 'UTF8') LIKE $1`,
        [`%${secret}%`],
      );
      expect(stored.rows[0]).toEqual({ n: 0 });
    }
    const actions = await server.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'notification_channel.%' ORDER BY id`,
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'notification_channel.create',
      'notification_channel.create',
      'notification_channel.update',
    ]);
  });

  it('a channel test sends now and answers its delivery', async () => {
    const tested = await post<NotificationDelivery>(`/api/v1/notifications/channels/${mail.id}/test`, undefined, admin, 200);
    expect(tested).toMatchObject({ channelId: mail.id, kind: 'test', state: 'sent', attempts: 1 });
    expect(inbox.mails.at(-1)?.subject).toContain('Thư thử kênh thông báo');
    // the SMTP server was given the password opened from its sealed form
    expect(inbox.logins.at(-1)).toEqual(SMTP_USER);
  });

  it('STARTTLS is required when asked for: a server without it gets nothing in clear text', async () => {
    const strict = await post<NotificationChannel>('/api/v1/notifications/channels', {
      name: 'strict TLS',
      enabled: false,
      config: {
        kind: 'email',
        host: '127.0.0.1',
        port: inbox.port,
        security: 'starttls',
        username: SMTP_USER.username,
        password: SMTP_USER.password,
        from: 'dxoc@example.gov.vn',
        recipients: ['bcd@example.gov.vn'],
        language: 'en',
      },
    });
    const mailsBefore = inbox.mails.length;
    const loginsBefore = inbox.logins.length;
    const tested = await post<NotificationDelivery>(`/api/v1/notifications/channels/${strict.id}/test`, undefined, admin, 200);
    expect(tested).toMatchObject({ kind: 'test', state: 'failed', attempts: 1 });
    expect(tested.lastError).toMatch(/STARTTLS/i);
    expect(tested.lastError).not.toContain(SMTP_USER.password);
    expect(inbox.mails.length).toBe(mailsBefore);
    expect(inbox.logins.length).toBe(loginsBefore);
    expect((await callJson(server.url, 'DELETE', `/api/v1/notifications/channels/${strict.id}`, admin)).status).toBe(204);
  });

  it('routes name a channel, metrics and units that exist', async () => {
    const route = { name: 'r', channelId: mail.id };
    const noChannel = await callJson(server.url, 'POST', '/api/v1/notifications/routes', admin, { ...route, channelId: 999999 });
    expect(noChannel.body).toMatchObject({ error: 'unknown_channel' });
    const noMetric = await callJson(server.url, 'POST', '/api/v1/notifications/routes', admin, { ...route, metrics: ['no.such'] });
    expect(noMetric.body).toMatchObject({ error: 'unknown_metric', details: { metrics: ['no.such'] } });
    const noUnit = await callJson(server.url, 'POST', '/api/v1/notifications/routes', admin, {
      ...route,
      scope: { kind: 'units', units: ['ZZ'] },
    });
    expect(noUnit.body).toMatchObject({ error: 'unknown_unit', details: { units: ['ZZ'] } });
    expect([noChannel.status, noMetric.status, noUnit.status]).toEqual([400, 400, 400]);
  });

  it('a firing alert reaches the SMTP inbox and the signed webhook; resolved only where notifyResolved', async () => {
    const province = await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'warnings of provinces → committee mailbox',
      channelId: mail.id,
      severities: ['warning', 'critical'],
      scope: { kind: 'provinces' },
    });
    await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'HCMC → webhook',
      channelId: webhook.id,
      scope: { kind: 'units', units: ['79'] },
      metrics: [LEVEL4],
      notifyResolved: true,
    });
    // matches nothing: another metric
    await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'e-invoices only',
      channelId: webhook.id,
      metrics: ['einvoice.issued'],
    });
    expect(province).toMatchObject({ notifyResolved: false, repeatHours: null, weeklyReport: false, enabled: true });

    const mailsBefore = inbox.mails.length;
    const ruleId = await createRule(['79']);
    await send('79', 95);
    await waitFor(() => inbox.mails.length > mailsBefore && hook.requests.length >= 1, 'the firing notifications');
    const alertId = await alertIdOf(ruleId, '79');

    const message = inbox.mails.at(-1)!;
    expect(message.subject).toMatch(/^\[dxoc\] CẢNH BÁO · Cảnh báo đang kích hoạt: level 4 of 79 — 79$/);
    expect(message.text).toContain('Tỷ lệ DVC mức 4');
    // Vietnamese first, English below
    expect(message.text!.indexOf('Quy tắc:')).toBeLessThan(message.text!.indexOf('Rule:'));
    expect(message.to && !Array.isArray(message.to) ? message.to.value.map((a) => a.address) : []).toEqual([
      'bcd@example.gov.vn',
      'thuky@example.gov.vn',
    ]);

    const request = hook.requests[0]!;
    expect(request.path).toBe('/dxoc');
    expect(request.verified).toBe(true);
    expect(request.headers['x-dxoc-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request.body).toMatchObject({ kind: 'firing', alert: { id: alertId, unit: '79', metric: LEVEL4, severity: 'warning' } });
    expect(request.body.message.subject.vi).toContain('Cảnh báo đang kích hoạt');

    await send('79', 10);
    await waitFor(() => hook.requests.length >= 2, 'the resolved notification');
    expect(hook.requests[1]).toMatchObject({ verified: true, body: { kind: 'resolved', alert: { id: alertId, state: 'resolved' } } });

    const log = (await deliveries()).filter((d) => d.alertId === alertId);
    expect(log.map((d) => `${d.channelName}:${d.kind}:${d.state}`).sort()).toEqual([
      'HCMC webhook (79):firing:sent',
      'HCMC webhook (79):resolved:sent',
      'Hộp thư Ban chỉ đạo:firing:sent',
    ]);
    // nothing for the mailbox on resolve (notifyResolved false), nothing through the e-invoice route
    expect(inbox.mails.length).toBe(mailsBefore + 1);
    const channels = await callJson(server.url, 'GET', '/api/v1/notifications/channels', admin);
    expect(channels.body.channels.find((c: NotificationChannel) => c.id === webhook.id)).toMatchObject({ failing: false });
    expect(channels.body.channels.find((c: NotificationChannel) => c.id === webhook.id).lastSuccessAt).not.toBeNull();
  });

  it('a silenced alert is logged as skipped and sends nothing', async () => {
    const response = await callJson(server.url, 'POST', '/api/v1/silences', staff, {
      unit: '01',
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'bảo trì hệ thống',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const mailsBefore = inbox.mails.length;
    const ruleId = await createRule(['01']);
    await send('01', 99);
    const alertId = await (async () => {
      await waitFor(async () => (await server.db.query(`SELECT 1 FROM alert WHERE rule_id = $1`, [ruleId])).rows.length > 0, 'the alert');
      return alertIdOf(ruleId, '01');
    })();
    await waitFor(async () => (await deliveries()).some((d) => d.alertId === alertId), 'the skipped delivery');
    const [skipped] = (await deliveries()).filter((d) => d.alertId === alertId);
    expect(skipped).toMatchObject({ kind: 'firing', state: 'skipped', attempts: 0, channelId: mail.id });
    expect(skipped!.lastError).toContain('bảo trì hệ thống');
    // the round that logged it has sent everything due: still no mail
    expect(inbox.mails.length).toBe(mailsBefore);
  });

  it('a failing endpoint is retried with backoff, then the delivery fails and the channel shows failing', async () => {
    const failing = await post<NotificationChannel>('/api/v1/notifications/channels', {
      name: 'broken receiver',
      config: { kind: 'webhook', url: `${failingHook.url}/x`, secret: FAILING_SECRET },
    });
    await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'everything → broken',
      channelId: failing.id,
      scope: { kind: 'units', units: ['48'] },
    });
    const ruleId = await createRule(['48']);
    await send('48', 97);
    await waitFor(
      async () => (await deliveries(`&channelId=${failing.id}`)).some((d) => d.state === 'failed'),
      'the delivery to fail after its attempts',
    );
    const [failed] = await deliveries(`&channelId=${failing.id}`);
    expect(failed).toMatchObject({ kind: 'firing', state: 'failed', attempts: 3, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(failed!.alertId).toBe(await alertIdOf(ruleId, '48'));
    expect(failingHook.requests).toHaveLength(3);
    expect(failingHook.requests.every((r) => r.verified)).toBe(true);
    const channels = await callJson(server.url, 'GET', '/api/v1/notifications/channels', admin);
    expect(channels.body.channels.find((c: NotificationChannel) => c.id === failing.id)).toMatchObject({
      failing: true,
      consecutiveFailures: 3,
      lastError: 'HTTP 500',
    });
    expect((await deliveries('&state=failed')).map((d) => d.id)).toContain(failed!.id);

    // the endpoint recovers: a test succeeds and the channel is healthy again
    failingHook.status = 204;
    const tested = await post<NotificationDelivery>(`/api/v1/notifications/channels/${failing.id}/test`, undefined, admin, 200);
    expect(tested.state).toBe('sent');
    const after = await callJson(server.url, 'GET', '/api/v1/notifications/channels', admin);
    expect(after.body.channels.find((c: NotificationChannel) => c.id === failing.id)).toMatchObject({
      failing: false,
      consecutiveFailures: 0,
    });
  });

  it('the published weekly report is mailed with its PDF and announced to webhooks routed for reports', async () => {
    await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'weekly report → mailbox',
      channelId: mail.id,
      scope: { kind: 'units', units: ['01'] },
      metrics: ['einvoice.issued'],
      weeklyReport: true,
    });
    await post<NotificationRoute>('/api/v1/notifications/routes', {
      name: 'weekly report → webhook',
      channelId: webhook.id,
      metrics: ['einvoice.issued'],
      weeklyReport: true,
    });
    const pdf = Buffer.from('%PDF-1.7\n% a stand-in for the report\n%%EOF\n');
    const mailsBefore = inbox.mails.length;
    const hooksBefore = hook.requests.length;
    server.app.get(EventBus).emit('report.published', {
      reportId: 1,
      weekStart: '2026-11-23',
      lang: 'vi',
      title: { vi: 'Báo cáo tuần 23/11/2026', en: 'Weekly report, week of 2026-11-23' },
      attachment: { filename: 'bao-cao-tuan-2026-11-23.pdf', contentType: 'application/pdf', content: pdf },
    });
    await waitFor(() => inbox.mails.length > mailsBefore && hook.requests.length > hooksBefore, 'the report notifications');
    const message = inbox.mails.at(-1)!;
    expect(message.subject).toBe('[dxoc] Báo cáo tuần 23/11/2026');
    expect(message.attachments.map((a) => [a.filename, a.contentType])).toEqual([['bao-cao-tuan-2026-11-23.pdf', 'application/pdf']]);
    expect(Buffer.compare(message.attachments[0]!.content, pdf)).toBe(0);
    const notice = hook.requests.at(-1)!;
    expect(notice.verified).toBe(true);
    expect(notice.body).toMatchObject({
      kind: 'weekly_report',
      report: { weekStart: '2026-11-23', lang: 'vi', filename: 'bao-cao-tuan-2026-11-23.pdf' },
    });
    expect(notice.raw).not.toContain(pdf.toString('base64'));
  });

  it('the OpenAPI document describes the notification endpoints', async () => {
    const response = await callJson(server.url, 'GET', '/api/openapi.json', null);
    const paths = response.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/notifications/channels']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/notifications/channels/{id}']!).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(paths['/api/v1/notifications/channels/{id}/test']!)).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/notifications/routes']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/notifications/routes/{id}']!).sort()).toEqual(['delete', 'put']);
    expect(Object.keys(paths['/api/v1/notifications/deliveries']!)).toEqual(['get']);
  });

  it('deleting a channel removes its routes and keeps its log', async () => {
    const before = (await deliveries(`&channelId=${webhook.id}`)).length;
    const removed = await callJson(server.url, 'DELETE', `/api/v1/notifications/channels/${webhook.id}`, admin);
    expect(removed.status).toBe(204);
    const routes = await callJson(server.url, 'GET', '/api/v1/notifications/routes', admin);
    expect(routes.body.routes.some((r: NotificationRoute) => r.channelId === webhook.id)).toBe(false);
    expect((await deliveries(`&channelId=${webhook.id}`)).length).toBe(before);
    const again = await callJson(server.url, 'DELETE', `/api/v1/notifications/channels/${webhook.id}`, admin);
    expect(again.status).toBe(404);
  });
});

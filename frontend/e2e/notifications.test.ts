/**
 * Notifications in the console, in Chromium against the real backend: an admin creates a webhook channel (its secret
 * then shows only as "đã đặt") and a route for unit 79's warnings; staff cannot see channels, are told in Vietnamese
 * what a silence lacks, create a silence of unit 79, and the alert that fires for 79 shows on the Alerts page as
 * silenced with the end and the reason; ended early, the mark goes away.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { frontendDir, PASSWORD, pushNow, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  const rule = await stack.api(
    'POST',
    '/api/v1/alert-rules',
    {
      name: 'Hóa đơn điện tử TP.HCM (kiểm tra tắt tiếng)',
      metric: 'einvoice.issued',
      scope: { kind: 'units', units: ['79'] },
      condition: { type: 'above', value: 500_000_000 },
      severity: 'warning',
      messageVi: 'Hóa đơn điện tử của {unitName} vượt {threshold}: {value}',
      messageEn: 'E-invoices of {unitName} above {threshold}: {value}',
    },
    stack.tokens.admin,
  );
  if (rule.status >= 300) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
  // "End now" asks for confirmation
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${stack.url}/console`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=principal]');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });

describe('notifications in the console', () => {
  it('admin: a webhook channel with a write-only secret and a route for unit 79', async () => {
    const page = await signIn('admin');
    await page.click('a[href="/console/notifications"]');
    await page.waitForSelector('[data-testid=channels]');

    await page.click('[data-testid=channel-new]');
    const form = '[data-testid=channel-form]';
    await page.fill(`${form} input[name=name]`, 'Webhook TP.HCM');
    await page.fill(`${form} input[name=url]`, 'http://127.0.0.1:9/hook');
    await page.fill(`${form} input[name=secret]`, 'ngắn');
    await page.click('[data-testid=channel-save]');
    expect(await page.textContent(`${form} .field.has-error .field-error`)).toBe('Tối thiểu 16 ký tự');
    await page.fill(`${form} input[name=secret]`, 'e2e-webhook-secret-0123456789');
    await page.click('[data-testid=channel-save]');
    await page.waitForSelector('[data-testid=channels-table] >> text=Webhook TP.HCM');

    // the secret never comes back: the form says it is set, its field is empty
    await page.click('[data-testid=channels-table] [data-testid=channel-edit]');
    expect(await page.textContent(`${form}`)).toContain('đã đặt — để trống để giữ nguyên');
    expect(await page.inputValue(`${form} input[name=secret]`)).toBe('');
    await page.click(`${form} button:has-text("Hủy")`);

    const channels = await stack.api<{ channels: Array<{ id: number; name: string }> }>(
      'GET',
      '/api/v1/notifications/channels',
      undefined,
      stack.tokens.admin,
    );
    const channel = channels.body.channels.find((c) => c.name === 'Webhook TP.HCM');
    expect(channel).toBeDefined();

    await page.click('[data-testid=route-new]');
    const route = '[data-testid=route-form]';
    await page.waitForSelector(`${route} select[name=channelId] option[value="${channel!.id}"]`, { state: 'attached' });
    await page.fill(`${route} input[name=name]`, 'Cảnh báo TP.HCM → webhook');
    await page.selectOption(`${route} select[name=channelId]`, String(channel!.id));
    await page.check(`${route} input[name=severity-warning]`);
    await page.selectOption(`${route} select[name=scopeKind]`, 'units');
    await page.fill(`${route} input[name=units]`, '79, ZZ');
    await page.click('[data-testid=route-save]');
    expect(await page.textContent(`${route} .field.has-error .field-error`)).toBe('Không có đơn vị mã ZZ');
    await page.fill(`${route} input[name=units]`, '79');
    await page.click('[data-testid=route-save]');
    await page.waitForSelector('[data-testid=routes-table] >> text=Cảnh báo TP.HCM → webhook');
    expect(await page.textContent('[data-testid=routes-table]')).toContain('Hồ Chí Minh');

    // nothing listens on port 9: the test fails, and the channel shows failing with its last error
    await page.click('[data-testid=channels-table] [data-testid=channel-test]');
    await page.waitForSelector('[data-testid=channel-message] >> text=không thành công');
    await page.waitForSelector('[data-testid=channels-table] tr[data-health=failing]');
    expect(await page.textContent('[data-testid=channels-table] tr[data-health=failing]')).toContain('Đang lỗi (1 lần liên tiếp)');
    expect((await page.textContent('[data-testid=channel-last-error]'))?.length).toBeGreaterThan(10);
    await page.click('[data-testid=deliveries] button:has-text("Làm mới")');
    await page.waitForSelector(
      '[data-testid=deliveries-table] tr[data-state=failed], [data-testid=deliveries-table] tr[data-state=retrying]',
    );
    expect(await page.textContent('[data-testid=deliveries-table]')).toContain('Thử');
    await shot(page, 'console-notifications-admin.png');
    await page.context().close();
  });

  it('staff: a silence of unit 79 marks its alert on the Alerts page until it is ended', async () => {
    const page = await signIn('staff1');
    await page.click('a[href="/console/notifications"]');
    await page.waitForSelector('[data-testid=silences]');
    // channels and routes are the admins'
    expect(await page.$('[data-testid=channels]')).toBeNull();
    expect(await page.$('[data-testid=routes]')).toBeNull();
    await page.waitForSelector('[data-testid=deliveries]');

    await page.click('[data-testid=silence-new]');
    const form = '[data-testid=silence-form]';
    await page.click('[data-testid=silence-save]');
    const errors = await page.$$eval(`${form} .field-error`, (nodes) => nodes.map((n) => n.textContent));
    expect(errors).toEqual(['Chọn một ngưỡng cảnh báo, một đơn vị hoặc cả hai', 'Nhập lý do tắt tiếng']);

    await page.selectOption(`${form} select[name=unit]`, '79');
    await page.fill(`${form} input[name=reason]`, 'Bảo trì hệ thống hóa đơn TP.HCM');
    await page.click('[data-testid=silence-save]');
    await page.waitForSelector('[data-testid=silences-table] >> text=Bảo trì hệ thống hóa đơn TP.HCM');
    expect(await page.getAttribute('[data-testid=silences-table] tr[data-silence-id]', 'data-status')).toBe('running');
    await shot(page, 'console-notifications-staff.png');

    // the alert fires and still shows, marked
    await pushNow(stack, 'einvoice.issued', '79', 900_000_000, 'e2e-silenced-79');
    // the alert is raised after the ingest answer: wait for it through the API, then look at the page
    for (;;) {
      const open = await stack.api<{ alerts: Array<{ unit: string; ruleName: string; silence?: unknown }> }>(
        'GET',
        '/api/v1/alerts?state=open&unit=79',
        undefined,
        stack.tokens.admin,
      );
      const ours = open.body.alerts.find((a) => a.ruleName.startsWith('Hóa đơn điện tử TP.HCM'));
      if (ours) {
        expect(ours.silence).toMatchObject({ reason: 'Bảo trì hệ thống hóa đơn TP.HCM' });
        break;
      }
      await page.waitForTimeout(250);
    }
    await page.click('a[href="/console/alerts"]');
    const mark = await page.waitForSelector('[data-testid=alerts-table] [data-testid=silence-mark]', { timeout: 30_000 });
    expect(await mark.textContent()).toMatch(/Đã tắt tiếng đến \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} — Bảo trì hệ thống hóa đơn TP\.HCM/);
    await shot(page, 'console-alert-silenced.png');

    // the wall lists it too, marked, from the same answer
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=national-overview`);
    const onWall = await wall.waitForSelector('[data-testid=alert-row] [data-testid=alert-silenced]', { timeout: 60_000 });
    expect(await onWall.textContent()).toMatch(/đã tắt tiếng đến \d{2}:\d{2}/);
    await wall.close();

    // ended early: the mark goes
    await page.click('a[href="/console/notifications"]');
    await page.click('[data-testid=silences-table] [data-testid=silence-end]');
    await page.waitForSelector('[data-testid=silences] .empty');
    await page.click('[data-testid=silences-over]');
    await page.waitForSelector('[data-testid=silences-table] tr[data-status=ended_early]');
    await page.click('a[href="/console/alerts"]');
    await page.waitForSelector('[data-testid=alerts-table] tr[data-silenced=false] >> text=Hồ Chí Minh');
    expect(await page.$('[data-testid=alerts-table] [data-testid=silence-mark]')).toBeNull();
    await page.context().close();
  });
});

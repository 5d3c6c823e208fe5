/**
 * Directives (chỉ đạo, issue 13 part 1) in a real browser against the real backend: staff ask a unit to explain a
 * firing alert from the console, the unit's operator answers with a PDF, staff close it with an outcome (each side
 * sees the other's step through the socket, without reloading); a directive past its due date shows on the wall's
 * compliance page as overdue. Screenshots go to frontend/test-artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localToday } from '../src/lib/directives';
import { launchBrowser } from './support/browser';
import { frontendDir, PASSWORD, pushNow, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');
let stack: Stack;
let browser: Browser;
let staffToken: string;

/** The smallest file that starts as a PDF does (the server checks the first bytes, not the name). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  const login = await stack.api<{ token: string }>('POST', '/api/v1/auth/login', { username: 'staff1', password: PASSWORD });
  staffToken = login.body.token;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[console ${username} pageerror]`, error.message));
  await page.goto(`${stack.url}/console`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=principal]');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });

/** Polls the API until the rule's alert for the unit fires (the engine runs after ingest, not within the request). */
async function firingAlert(ruleId: number, unit: string): Promise<number> {
  for (;;) {
    const response = await stack.api<{ alerts: Array<{ id: number; ruleId: number; state: string }> }>(
      'GET',
      `/api/v1/alerts?state=open&unit=${unit}`,
      undefined,
      staffToken,
    );
    const alert = response.body.alerts.find((a) => a.ruleId === ruleId && a.state === 'firing');
    if (alert) return alert.id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('directives in the console and on the wall', () => {
  it('staff ask HCMC to explain a firing alert, its operator answers with a PDF, staff close it', async () => {
    const rule = await stack.api<{ id: number }>(
      'POST',
      '/api/v1/alert-rules',
      {
        name: 'Hóa đơn điện tử TP.HCM vượt ngưỡng',
        metric: 'einvoice.issued',
        scope: { kind: 'units', units: ['79'] },
        condition: { type: 'above', value: 50_000_000 },
        severity: 'critical',
        messageVi: 'Hóa đơn điện tử của {unitName} vượt {threshold}',
        messageEn: 'E-invoices of {unitName} above {threshold}',
      },
      staffToken,
    );
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await pushNow(stack, 'einvoice.issued', '79', 88_000_000, 'e2e-directive-breach-1');
    const alertId = await firingAlert(rule.body.id, '79');

    // staff: from the alert to the prefilled form
    const staff = await signIn('staff1');
    await staff.click('a[href="/console/alerts"]');
    await staff.click(`[data-alert-id="${alertId}"] [data-testid=ask-explain]`);
    const form = '[data-testid=directive-form]';
    await staff.waitForSelector(form);
    expect(await staff.inputValue(`${form} input[name=titleVi]`)).toMatch(/^Giải trình: Hóa đơn điện tử của Hồ Chí Minh vượt/);
    expect(await staff.$$eval('[data-testid=chosen-units] [data-unit]', (n) => n.map((e) => e.getAttribute('data-unit')))).toEqual(['79']);
    expect(await staff.inputValue(`${form} select[name=sourceKind]`)).toBe('alert');
    expect(await staff.inputValue(`${form} input[name=alertId]`)).toBe(String(alertId));
    // a mistake first: the message is specific and Vietnamese, next to the field
    await staff.fill(`${form} input[name=titleVi]`, '');
    await staff.click('[data-testid=directive-issue]');
    await staff.waitForSelector('.field.has-error .field-error');
    expect(await staff.textContent('.field.has-error .field-error')).toBe('Bắt buộc nhập');
    await staff.fill(`${form} input[name=titleVi]`, 'Giải trình: hóa đơn điện tử TP.HCM tăng đột biến');
    await staff.fill(`${form} input[name=titleEn]`, 'Explain: HCMC e-invoice spike');
    await staff.fill(`${form} input[name=dueDate]`, addDays(localToday(Date.now(), 'Asia/Ho_Chi_Minh'), 5));
    await shot(staff, 'console-directive-form.png');
    await staff.click('[data-testid=directive-issue]');
    const detail = await staff.waitForSelector('[data-testid=directive-detail]');
    const directiveId = Number(await detail.getAttribute('data-directive-id'));
    expect(directiveId).toBeGreaterThan(0);
    await staff.waitForSelector('[data-testid=assignment][data-unit="79"][data-state=open]');

    // the operator of HCMC sees it in its list and answers
    const operator = await signIn('op79');
    await operator.click('a[href="/console/directives"]');
    await operator.waitForSelector(`[data-testid=directives-table] tr[data-directive-id="${directiveId}"]`);
    expect(await operator.textContent('[data-testid=directives-table]')).toContain('hóa đơn điện tử TP.HCM tăng đột biến');
    await operator.click(`[data-testid=directives-table] tr[data-directive-id="${directiveId}"] a`);
    await operator.waitForSelector('[data-testid=answer-form]');
    // the answer's rules in words before it is sent
    await operator.click('[data-testid=answer-send]');
    await operator.waitForSelector('[data-testid=answer-form] .field.has-error');
    await operator.fill('textarea[name=explanation]', 'Một doanh nghiệp lớn xuất hóa đơn của cả quý trong một ngày.');
    await operator.fill('input[name=cause]', 'Xuất hóa đơn dồn cuối quý');
    await operator.fill('input[name=fixDate]', addDays(localToday(Date.now(), 'Asia/Ho_Chi_Minh'), 10));
    await operator.click('[data-testid=answer-send]');
    await operator.waitForSelector('[data-testid=assignment][data-unit="79"][data-state=answered]');

    // a file that only claims to be a PDF is refused (415), in words
    await operator.setInputFiles('input[name=attachment]', {
      name: 'gia-mao.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ not a pdf'),
    });
    await operator.click('[data-testid=attachment-upload]');
    await operator.waitForSelector('.attachment-form .field-error');
    expect(await operator.textContent('.attachment-form .field-error')).toContain('Tệp không phải PDF, PNG hoặc JPEG');
    await operator.setInputFiles('input[name=attachment]', { name: 'giai-trinh.pdf', mimeType: 'application/pdf', buffer: PDF });
    await operator.click('[data-testid=attachment-upload]');
    await operator.waitForSelector('[data-testid=attachment-download]:has-text("giai-trinh.pdf")');
    const download = operator.waitForEvent('download');
    await operator.click('[data-testid=attachment-download]');
    const file = await download;
    expect(file.suggestedFilename()).toBe('giai-trinh.pdf');
    await shot(operator, 'console-directive-operator.png');

    // staff see the answer and its file arrive live (no reload), then close with an outcome
    await staff.waitForSelector('[data-testid=assignment][data-unit="79"][data-state=answered] [data-testid=attachment-download]');
    expect(await staff.textContent('[data-testid=assignment][data-unit="79"] [data-testid=answer]')).toContain('Xuất hóa đơn dồn cuối quý');
    await staff.selectOption('select[name=outcome]', 'accepted_with_conditions');
    await staff.fill('input[name=closeComment]', 'Theo dõi thêm một quý');
    await staff.click('[data-testid=directive-close]');
    await staff.waitForSelector('[data-testid=assignment][data-unit="79"][data-state=closed] [data-outcome=accepted_with_conditions]');
    const steps = await staff.$$eval('[data-testid=directive-history] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(steps).toEqual(expect.arrayContaining(['issued', 'answered', 'attachment', 'closed']));
    await shot(staff, 'console-directive-closed.png');
    // and the operator sees it closed, live
    await operator.waitForSelector('[data-testid=assignment][data-unit="79"][data-state=closed]');
    expect(await operator.textContent('[data-testid=outcome]')).toContain('Chấp nhận có điều kiện');
    await operator.context().close();
    await staff.context().close();
  });

  it('"ask to explain" from a target at risk and from a late reporter prefills the form with what prompted it', async () => {
    const staff = await signIn('staff1');
    await staff.click('a[href="/console/targets"]');
    const atRisk = await staff.waitForSelector('[data-testid=targets-table] tr[data-status=at_risk]');
    const targetId = await atRisk.getAttribute('data-target-id');
    await staff.click(`[data-testid=targets-table] tr[data-target-id="${targetId}"] [data-testid=ask-explain]`);
    await staff.waitForSelector('[data-testid=directive-form]');
    expect(await staff.inputValue('select[name=sourceKind]')).toBe('target');
    expect(await staff.inputValue('input[name=targetId]')).toBe(targetId);
    expect(await staff.inputValue('input[name=titleVi]')).toMatch(/có nguy cơ không đạt mục tiêu/);

    await staff.click('a[href="/console/units"]');
    const late = await staff.waitForSelector('[data-testid=units-table] tr:not(.status-on_time) [data-testid=ask-explain]');
    const unit = await late.evaluate((button) => button.closest('tr')!.getAttribute('data-unit'));
    await late.click();
    await staff.waitForSelector('[data-testid=directive-form]');
    expect(await staff.inputValue('select[name=sourceKind]')).toBe('late_report');
    expect(await staff.$$eval('[data-testid=chosen-units] [data-unit]', (n) => n.map((e) => e.getAttribute('data-unit')))).toEqual([unit]);
    expect(await staff.inputValue('input[name=titleVi]')).toMatch(/chậm báo cáo/);
    await staff.context().close();
  });

  it('a directive past its due date is overdue in the console and on the wall', async () => {
    const today = localToday(Date.now(), 'Asia/Ho_Chi_Minh');
    const issued = await stack.api<{ id: number }>(
      'POST',
      '/api/v1/directives',
      {
        titleVi: 'Giải trình việc chậm báo cáo số liệu hóa đơn điện tử',
        textVi: 'Đề nghị Hà Nội giải trình nguyên nhân chậm báo cáo.',
        units: ['01'],
        dueDate: addDays(today, -3),
        source: { kind: 'late_report', metric: 'einvoice.issued' },
      },
      staffToken,
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);

    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=reporting-compliance`);
    const row = await wall.waitForSelector(`[data-testid=directive-unit][data-unit="01"][data-oldest="${issued.body.id}"]`, {
      timeout: 60_000,
    });
    expect(await row.textContent()).toContain('Hà Nội');
    expect(await row.textContent()).toContain('Giải trình việc chậm báo cáo số liệu hóa đơn điện tử');
    expect(await row.textContent()).toContain('3 ngày quá hạn');
    await shot(wall, 'wall-directives-overdue.png');
    await wall.close();

    // the console's list narrowed to overdue directives
    const staff = await signIn('staff1');
    await staff.click('a[href="/console/directives"]');
    await staff.waitForSelector('[data-testid=directives-table]');
    await staff.check('input[name=overdue]');
    await staff.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=directives-table] tbody tr')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-overdue') === 'true');
    });
    expect(await staff.$(`[data-testid=directives-table] tr[data-directive-id="${issued.body.id}"] .pill.overdue`)).not.toBeNull();
    await shot(staff, 'console-directives-overdue.png');
    await staff.context().close();

    // HCMC's operator neither lists nor opens Hà Nội's directive
    const operator = await signIn('op79');
    await operator.goto(`${stack.url}/console/directives/${issued.body.id}`);
    await operator.waitForSelector('[data-testid=directive-not-found]');
    await operator.click('a[href="/console/directives"]');
    await operator.waitForSelector('[data-testid=directives-table]');
    expect(await operator.$(`[data-testid=directives-table] tr[data-directive-id="${issued.body.id}"]`)).toBeNull();
    await operator.context().close();
  });
});

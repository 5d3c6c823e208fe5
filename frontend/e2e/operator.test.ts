/**
 * A unit operator's console (issue 13 part 4), in Debian's Chromium against the real backend on the embedded
 * database: op79 signs in and lands on "Dữ liệu gửi", where its agent's accepted batch and its refused batch with
 * the reason are listed, then sees the alerts about unit 79 only — in the list and in the alert history timeline —
 * while an alert of the same rule about unit 01 stays out of its view.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from '@dxoc/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { vnIso } from './support/demo-data';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');
const METRIC = 'dvc.level4_share';
let stack: Stack;
let browser: Browser;
let alert79: Alert;
let alert01: Alert;

async function ingest(key: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.backendUrl}/api/v1/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** Asks again until `found` holds: refusals are written after the answer, alerts after the batch is stored. */
async function until<T>(read: () => Promise<T>, found: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (found(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  const admin = stack.tokens.admin;
  const rule = await stack.api<{ id: number }>(
    'POST',
    '/api/v1/alert-rules',
    {
      name: 'Tỷ lệ DVC mức 4 vượt ngưỡng (e2e)',
      metric: METRIC,
      scope: { kind: 'units', units: ['01', '79'] },
      condition: { type: 'above', value: 90 },
      severity: 'warning',
      messageVi: '{unitName} vượt {threshold}',
      messageEn: '{unitName} above {threshold}',
    },
    admin,
  );
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  // unit 79's own agent: one accepted batch, one refused for an indicator that does not exist
  const key79 = await stack.api<{ key: string }>('POST', '/api/v1/keys', { units: ['79'], name: 'Sở TT&TT TP.HCM (e2e)' }, admin);
  const ts = vnIso(Date.now() - 60_000);
  const accepted = await ingest(key79.body.key, { batchId: 'hcm-ok-1', points: [{ metric: METRIC, unit: '79', ts, value: 95 }] });
  if (accepted.status !== 202) throw new Error(`accepted batch: ${accepted.status} ${accepted.text}`);
  const refused = await ingest(key79.body.key, { batchId: 'hcm-bad-1', points: [{ metric: 'dvc.khong_co', unit: '79', ts, value: 1 }] });
  if (refused.status !== 400) throw new Error(`refused batch: ${refused.status} ${refused.text}`);
  // Hà Nội crosses the same threshold through the committee's own key
  const other = await ingest(stack.tokens.agentKey, { batchId: 'hn-1', points: [{ metric: METRIC, unit: '01', ts, value: 96 }] });
  if (other.status !== 202) throw new Error(`unit 01 batch: ${other.status} ${other.text}`);

  const alerts = await until(
    async () => (await stack.api<{ alerts: Alert[] }>('GET', `/api/v1/alerts?metric=${METRIC}&state=open`, undefined, admin)).body.alerts,
    (list) => ['01', '79'].every((unit) => list.some((a) => a.ruleId === rule.body.id && a.unit === unit && a.state === 'firing')),
  );
  alert79 = alerts.find((a) => a.ruleId === rule.body.id && a.unit === '79')!;
  alert01 = alerts.find((a) => a.ruleId === rule.body.id && a.unit === '01')!;
  await until(
    async () => (await stack.api<{ refusals: { batchId: string | null }[] }>('GET', '/api/v1/ingest-log/refusals', undefined, admin)).body,
    (body) => body.refusals.some((r) => r.batchId === 'hcm-bad-1'),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
  await page.goto(`${stack.url}/console`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=principal]');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });

describe("an operator's console", () => {
  it('lands on "Dữ liệu gửi" with its accepted batch, its refused batch and why, and its unit\'s alerts', async () => {
    const page = await signIn('op79');
    expect(await page.getAttribute('[data-testid=principal]', 'data-role')).toBe('operator');
    expect(await page.textContent('.console-nav a.on')).toBe('Dữ liệu gửi');
    expect(await page.textContent('.console-main h1')).toBe('Dữ liệu gửi');
    // no pages for staff or admins
    const labels = await page.$$eval('.console-nav a', (links) => links.map((a) => a.textContent ?? ''));
    for (const hidden of ['Nhật ký', 'Mã xem', 'Người dùng']) expect(labels).not.toContain(hidden);

    const refusal = await page.waitForSelector('[data-testid=refusals-table] tr:has-text("hcm-bad-1")');
    expect(await refusal.textContent()).toContain('dvc.khong_co');
    expect(await refusal.textContent()).toContain('400');
    const batch = await page.waitForSelector('[data-testid=batches-table] tr:has-text("hcm-ok-1")');
    // one point accepted, none revised
    expect(await batch.$$eval('td.num', (cells) => cells.map((c) => c.textContent))).toEqual(['1', '0']);
    const units = await page.$$eval('[data-testid=unit-alerts-table] tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent));
    expect(units.length).toBeGreaterThan(0);
    expect(new Set(units)).toEqual(new Set(['79']));
    await shot(page, 'console-operator-submissions.png');
    await page.context().close();
  });

  it("sees its unit's alerts only, in the list and in the alert history timeline", async () => {
    const page = await signIn('op79');
    await page.click('a[href="/console/alerts"]');
    await page.waitForSelector(`[data-testid=alerts-table] tr[data-alert-id="${alert79.id}"]`);
    expect(await page.$(`[data-testid=alerts-table] tr[data-alert-id="${alert01.id}"]`)).toBeNull();

    const timeline = '[data-testid=timeline-list]';
    await page.waitForSelector(`${timeline} tr[data-alert-id="${alert79.id}"][data-transition=firing]`);
    const seen = await page.$$eval(`${timeline} tr[data-unit]`, (rows) => rows.map((r) => r.getAttribute('data-unit')));
    expect(new Set(seen)).toEqual(new Set(['79']));
    expect(await page.$(`${timeline} tr[data-alert-id="${alert01.id}"]`)).toBeNull();
    // the day it happened, as Viet Nam writes it
    expect(await page.textContent(`${timeline} .timeline-date`)).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await shot(page, 'console-operator-alerts-timeline.png');
    await page.context().close();
  });

  it('staff see both units in the timeline, and the acknowledgement with who made it', async () => {
    const ack = await stack.api('POST', `/api/v1/alerts/${alert01.id}/ack`, { comment: 'Đã liên hệ Sở (e2e)' }, stack.tokens.admin);
    expect(ack.status).toBe(200);
    const page = await signIn('staff1');
    await page.click('a[href="/console/alerts"]');
    const timeline = '[data-testid=timeline-list]';
    await page.waitForSelector(`${timeline} tr[data-alert-id="${alert79.id}"][data-transition=firing]`);
    const acknowledged = await page.waitForSelector(`${timeline} tr[data-alert-id="${alert01.id}"][data-transition=acknowledged]`);
    expect(await acknowledged.textContent()).toContain('admin');
    expect(await acknowledged.textContent()).toContain('Đã tiếp nhận');
    await page.context().close();
  });
});

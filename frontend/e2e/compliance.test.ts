/**
 * Lateness that means something, in the browser against the real backend: the wall's compliance panel and the
 * console's units page say how many periods each unit is behind and since when, the same numbers the API gives.
 * The demo figures leave the "silent" provinces (11, 12, 96) without one-stop applications for the last 5 days and
 * without any monthly or weekly figure.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ComplianceOverviewResponse, ComplianceResponse } from '@dxoc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { SILENT_PROVINCES } from './support/demo-data';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** "04/12 00:00": midnight of a Viet Nam day, days before today. */
function vnMidnight(daysBefore: number): string {
  const local = new Date(Date.now() + 7 * 3600_000 - daysBefore * 86_400_000);
  return `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe('the wall', () => {
  it('shows per province the periods behind and since when, as the API says', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
    await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=reporting-compliance`);
    await page.waitForSelector('.panel-compliance [data-testid=compliance]', { timeout: 60_000 });
    const cells = await page.$$eval('.panel-compliance', (panels) =>
      [...panels[0]!.querySelectorAll('.compliance-unit')].map((n) => ({
        unit: n.getAttribute('data-unit')!,
        status: n.getAttribute('data-status'),
        behind: n.getAttribute('data-periods-behind'),
        head: n.querySelector('.late')?.textContent ?? '',
        since: n.querySelector('.since')?.textContent ?? null,
      })),
    );
    const metrics = [
      'dvc.services_online',
      'dvc.level4_share',
      'dvc.end_to_end_dossier_share',
      'onestop.applications_received',
      'einvoice.issued',
      'vneid.accounts_activated',
    ];
    const { status, body } = await stack.api<ComplianceOverviewResponse>(
      'GET',
      `/api/v1/reporting/compliance/overview?unitKind=province&metrics=${metrics.join(',')}`,
      undefined,
      stack.tokens.viewer,
    );
    expect(status).toBe(200);
    expect(cells).toHaveLength(34); // the provinces in force: no dissolved code among them
    const api = new Map(body.units.map((u) => [u.unit, u]));
    for (const cell of cells) {
      const expected = api.get(cell.unit)!;
      expect({ unit: cell.unit, status: cell.status, behind: cell.behind }).toEqual({
        unit: cell.unit,
        status: expected.status,
        behind: expected.periodsBehind === null ? '' : String(expected.periodsBehind),
      });
    }
    // the silent provinces never sent the weekly VNeID figures: many periods missing, since a date
    for (const code of SILENT_PROVINCES) {
      const cell = cells.find((c) => c.unit === code)!;
      expect(cell.status).toBe('never');
      expect(cell.head).toBe('Chưa báo cáo');
      expect(Number(cell.behind)).toBeGreaterThanOrEqual(4);
      expect(cell.since).toMatch(new RegExp(`^${cell.behind} kỳ · từ \\d{2}/\\d{2}(/\\d{4})? \\d{2}:\\d{2}$`));
    }
    // worst first
    expect(cells.slice(0, SILENT_PROVINCES.length).every((c) => c.status === 'never')).toBe(true);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'wall-compliance-lateness-vi-1920x1080.png') });
    await page.close();
  });
});

describe('the console', () => {
  it('lists per indicator the periods behind and since when, and over all indicators the worst', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
    await page.goto(`${stack.url}/console`);
    await page.fill('input[name=username]', 'staff1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=principal]');
    await page.click('a[href="/console/units"]');
    await page.waitForSelector('[data-testid=units-table] tbody tr');
    // one-stop applications are daily; the silent provinces' last day was 5 days ago: the 4 days since are missing,
    // late since the first of them ended (midnight 3 days ago)
    const row = (code: string) =>
      page.$eval(`[data-testid=units-table] tr[data-unit="${code}"]`, (tr) => ({
        behind: tr.getAttribute('data-periods-behind'),
        text: tr.textContent ?? '',
        title: tr.getAttribute('title') ?? '',
      }));
    const silent = await row('11');
    expect(silent.behind).toBe('4');
    expect(silent.text).toContain('Trễ 4 kỳ');
    expect(silent.title).toBe(`Trễ 4 kỳ · từ ${vnMidnight(3)} 00:00`);
    const { body } = await stack.api<ComplianceResponse>(
      'GET',
      '/api/v1/reporting/compliance?metric=onestop.applications_received',
      undefined,
      stack.tokens.viewer,
    );
    expect(body.units.find((u) => u.unit === '11')).toMatchObject({ status: 'late', periodsBehind: 4 });
    expect((await row('01')).behind).toBe('0');
    // over every indicator: the silent provinces never sent some, and come first
    await page.selectOption('select[name=metric]', '');
    await page.waitForSelector('[data-testid=units-table] th:has-text("Chỉ tiêu trễ nhiều nhất")');
    const first = await page.$$eval('[data-testid=units-table] tbody tr', (rows) =>
      rows.slice(0, 3).map((r) => r.getAttribute('data-unit')),
    );
    expect([...first].sort()).toEqual([...SILENT_PROVINCES].sort());
    await page.screenshot({ path: path.join(artifacts, 'console-units-lateness.png') });
    await context.close();
  });
});

/**
 * Browser tests against the real backend on the embedded database, in Debian's Chromium (playwright-core).
 * Screenshots go to frontend/test-artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { shippedPages } from './support/pages';
import { PROVINCES, SILENT_PROVINCES } from './support/demo-data';
import { frontendDir, PASSWORD, pushNow, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openWall(query: string, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&${query}`);
  await page.waitForSelector('[data-testid=page-title]');
  return page;
}

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

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name) });

describe('the wall', () => {
  it('renders the pages from the dashboard definitions with seeded data, live, in Vietnamese', async () => {
    const page = await openWall('page=national-overview');
    // the name comes from /config/wall.json (configuration, not code)
    await page.waitForFunction(() => document.querySelector('[data-testid=org-name]')?.textContent !== '');
    expect(await page.textContent('[data-testid=org-name]')).toBe('Ủy ban Quốc gia về chuyển đổi số');
    // seeded national history (e.g. 3.552 → 4.400 online services) and the demo figures
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=kpi-value]').length >= 4, null, { timeout: 60_000 });
    const values = await page.$$eval('[data-testid=kpi-value]', (nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(values.filter((v) => /^4\.400/.test(v))).toHaveLength(1);
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
    // the pages are the backend's (dashboards/pages/*.yaml): the wall has no copy of its own
    expect(Number(await page.getAttribute('.wall', 'data-pages'))).toBe(shippedPages);
    await page.waitForSelector('[data-testid=ranking]');
    await page.waitForTimeout(500);
    await shot(page, 'wall-vi-1920x1080.png');
    await page.close();
  });

  it('renders the map of the 34 provinces with Hoàng Sa and Trường Sa, provinces without data shown as such', async () => {
    const page = await openWall('page=national-overview');
    const map = await page.waitForSelector('[data-testid=province-map][data-provinces="34"]', { timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=province-map]')?.getAttribute('data-with-data')) > 0);
    const withData = Number(await map.getAttribute('data-with-data'));
    expect(withData).toBe(PROVINCES.length - SILENT_PROVINCES.length);
    expect(await page.textContent('.map-legend')).toContain(`Không có số liệu: ${SILENT_PROVINCES.length}`);
    // the map is drawn: its canvas has pixels of more than one colour
    const colours = await page.$eval('[data-testid=province-map] canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(10);
    await page.close();
  });

  it('switches to English with ?lang=en', async () => {
    const page = await openWall('page=online-public-services&lang=en');
    await page.waitForFunction(() => document.querySelector('[data-testid=org-name]')?.textContent !== '');
    expect(await page.textContent('[data-testid=org-name]')).toBe('National Committee on Digital Transformation');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=kpi-value]').length >= 2, null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    await shot(page, 'wall-en-1920x1080.png');
    await page.close();
  });

  it('shows reporting compliance: who reported on time, who is late, who never reported', async () => {
    const page = await openWall('page=reporting-compliance');
    // the first compliance panel of the page covers the provinces
    await page.waitForSelector('.panel-compliance [data-testid=compliance]', { timeout: 60_000 });
    const statuses = await page.$$eval('.panel-compliance', (panels) =>
      [...panels[0]!.querySelectorAll('.compliance-unit')].map((n) => n.getAttribute('data-status')),
    );
    expect(statuses).toHaveLength(PROVINCES.length);
    // worst first: the provinces that never reported come before the others
    expect(statuses.indexOf('never')).toBe(0);
    await page.waitForTimeout(300);
    await shot(page, 'wall-compliance-vi-1920x1080.png');
    await page.close();
  });

  it('shows a value pushed through the ingest API without reloading', async () => {
    const page = await openWall('page=national-overview');
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const value = 1_999_999_999;
    await pushNow(stack, 'ndxp.transactions', 'VN', value, 'e2e-live-1');
    await page.waitForSelector(`[data-testid=ts-latest][data-value="${value}"]`, { timeout: 30_000 });
    expect(await page.textContent('[data-testid=ts-latest]')).toContain('1.999.999.999');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.close();
  });

  it('disposes the charts of the pages it leaves (a wall runs for days)', async () => {
    const page = await openWall('');
    await page.waitForSelector('[data-testid=kpi-value]', { timeout: 60_000 });
    for (let i = 0; i < 12; i++) {
      const before = await page.getAttribute('.wall', 'data-page');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((id) => document.querySelector('.wall')?.getAttribute('data-page') !== id, before);
      // a page with chart panels shows at least one chart before we leave it
      await page.waitForFunction(() => {
        const charted = document.querySelectorAll(
          '.wall [data-kind=kpi], .wall [data-kind=map], .wall [data-kind=ranking], .wall [data-kind=timeseries]',
        ).length;
        return charted === 0 || document.querySelectorAll('.wall [role=img]').length > 0;
      });
    }
    await page.waitForTimeout(1500);
    const { alive, disposed, onScreen } = await page.evaluate(() => {
      const stats = (window as unknown as { __dxocCharts: { alive: number; disposed: number } }).__dxocCharts;
      return { alive: stats.alive, disposed: stats.disposed, onScreen: document.querySelectorAll('.wall [role=img]').length };
    });
    // every page but the compliance page has charts: most of the 12 page turns left charts behind
    expect(disposed).toBeGreaterThanOrEqual(9);
    expect(alive).toBe(onScreen);
    await page.close();
  });

  it('renders at 3840×2160', async () => {
    const page = await openWall('page=e-invoices', { width: 3840, height: 2160 });
    await page.waitForSelector('[data-testid=province-map][data-provinces="34"]', { timeout: 60_000 });
    // today's e-invoices per province: every province reported today in the demo figures
    await page.waitForSelector('[data-testid=province-map][data-with-data="34"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=ranking]', { timeout: 60_000 });
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');
    await shot(page, 'wall-vi-3840x2160.png');
    await page.close();
  });
});

describe('the staff console', () => {
  it('staff sign in, create a threshold; a breaching value raises the alert on the wall within 2 s', async () => {
    // a page with the alerts panel and few charts
    const wall = await openWall('page=reporting-compliance');
    await wall.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 30_000 });
    const console = await signIn('staff1');
    expect(await console.getAttribute('[data-testid=principal]', 'data-role')).toBe('staff');
    await console.click('a[href="/console/rules"]');
    await console.click('[data-testid=new-rule]');
    const form = '[data-testid=rule-form]';
    // first a mistake: the API's rules are shown next to the field
    await console.fill(`${form} input[name=name]`, 'Hóa đơn điện tử Hà Nội tăng đột biến');
    await console.selectOption(`${form} select[name=metric]`, 'einvoice.issued');
    await console.selectOption(`${form} select[name=scopeKind]`, 'units');
    await console.fill(`${form} input[name=units]`, '01');
    await console.selectOption(`${form} select[name=conditionType]`, 'above');
    await console.fill(`${form} input[name=value]`, 'nhiều');
    await console.click('[data-testid=save-rule]');
    await console.waitForSelector('.field.has-error .field-error');
    await console.fill(`${form} input[name=value]`, '50000000');
    await console.selectOption(`${form} select[name=severity]`, 'critical');
    await console.fill(`${form} input[name=messageVi]`, 'Hóa đơn điện tử của {unitName} vượt {threshold}: {value}');
    await console.fill(`${form} input[name=messageEn]`, 'E-invoices of {unitName} above {threshold}: {value}');
    await console.click('[data-testid=preview-rule]');
    await console.waitForSelector('[data-testid=rule-preview]');
    await console.waitForTimeout(500);
    await shot(console, 'console-rule-preview.png');
    await console.click('[data-testid=save-rule]');
    await console.waitForSelector('[data-testid=rules-table] >> text=Hóa đơn điện tử Hà Nội tăng đột biến');
    await shot(console, 'console-rules.png');

    await pushNow(stack, 'einvoice.issued', '01', 88_000_000, 'e2e-breach-1');
    // the one timing requirement: on the wall within 2 s of the accepted value
    await wall.waitForSelector('[data-testid=critical-alarm]', { timeout: 2000 });
    expect(await wall.textContent('[data-testid=critical-alarm]')).toContain('Hà Nội');
    await wall.waitForSelector('[data-testid=alert-row][data-severity=critical]', { timeout: 2000 });
    await shot(wall, 'wall-alert-vi-1920x1080.png');

    // acknowledged with a comment, and who did it is shown
    await console.click('a[href="/console/alerts"]');
    await console.waitForSelector('[data-testid=alerts-table]');
    await console.click('[data-testid=alerts-table] button:has-text("Tiếp nhận")');
    await console.fill('input[name=ackComment]', 'Đã liên hệ Sở Tài chính Hà Nội');
    await console.click('.ack-form button.primary');
    await console.waitForSelector('[data-testid=alerts-table] >> text=Đã liên hệ Sở Tài chính Hà Nội');
    expect(await console.textContent('[data-testid=alerts-table]')).toContain('staff1');
    await shot(console, 'console-alerts.png');
    await console.context().close();
    await wall.close();
  });

  it('explore, targets and units pages render', async () => {
    const page = await signIn('staff1');
    await page.click('a[href="/console/explore"]');
    await page.click('[data-testid=explore-load]');
    await page.waitForSelector('[data-testid=explore-table] tbody tr');
    const download = page.waitForEvent('download');
    await page.click('[data-testid=explore-csv]');
    expect((await download).suggestedFilename()).toMatch(/^dxoc-einvoice\.issued-.*\.csv$/);
    await shot(page, 'console-explore.png');
    await page.click('a[href="/console/targets"]');
    await page.waitForSelector('[data-testid=targets-table] tbody tr');
    // current targets (deadline ahead) apart from past ones, worst first in each
    expect(await page.$$eval('[data-testid=targets-table] tbody tr', (rows) => rows[0]?.getAttribute('data-status'))).toBe('at_risk');
    expect(await page.$$eval('[data-testid=targets-past-table] tbody tr', (rows) => rows[0]?.getAttribute('data-status'))).toBe('missed');
    expect(
      await page.$eval('[data-testid=targets-table] [data-testid=projection]', (cell) => cell.getAttribute('data-projection-method')),
    ).toBe('linear');
    await shot(page, 'console-targets.png');
    await page.click('a[href="/console/units"]');
    await page.waitForSelector('[data-testid=units-table] tbody tr');
    expect(await page.$$eval('[data-testid=units-table] tbody tr', (rows) => rows.length)).toBe(34);
    await page.context().close();
  });

  it('a viewer sees no console actions', async () => {
    const page = await signIn('viewer1');
    await page.click('a[href="/console/rules"]');
    await page.waitForSelector('.page-head h1');
    await page.waitForTimeout(300);
    expect(await page.$('[data-testid=new-rule]')).toBeNull();
    await page.click('a[href="/console/alerts"]');
    await page.waitForTimeout(500);
    expect(await page.$('[data-testid=alerts-table] button')).toBeNull();
    expect(await page.textContent('.banner')).toContain('Chỉ xem');
    await page.context().close();
  });

  it('an operator sees only its unit and manages its own agent keys (shown once)', async () => {
    const page = await signIn('op79');
    await page.click('a[href="/console/units"]');
    await page.waitForSelector('[data-testid=units-table] tbody tr');
    expect(await page.$$eval('[data-testid=units-table] tbody tr', (rows) => rows.length)).toBe(1);
    expect(await page.textContent('[data-testid=units-table]')).toContain('Hồ Chí Minh');
    await page.fill('input[name=keyName]', 'Một cửa TP.HCM');
    await page.click('[data-testid=create-key]');
    const key = await page.inputValue('[data-testid=created-key]');
    expect(key).toMatch(/^dxoc_/);
    await page.waitForSelector('[data-testid=keys-table] >> text=Một cửa TP.HCM');
    await shot(page, 'console-units-keys.png');
    await page.click('a[href="/console/alerts"]');
    const options = await page.$$eval('select[name=unit] option', (nodes) => nodes.map((n) => (n as HTMLOptionElement).value));
    expect(options).toEqual(['79']);
    await page.context().close();
  });
});

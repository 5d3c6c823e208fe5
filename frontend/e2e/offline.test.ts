/**
 * Honest freshness in the browser: every panel says what its figures are as of; a wall that loses its backend says
 * so unmistakably (banner, time since the last contact counting up, figures dimmed) and recovers by itself when the
 * backend comes back on the same port with the same data. Screenshots go to a temporary directory.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { pushNow, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = mkdtempSync(path.join(os.tmpdir(), 'dxoc-offline-shots-'));
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  console.log(`[offline] screenshots in ${artifacts}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openWall(query: string, before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
  await before?.(page);
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&${query}`);
  await page.waitForSelector('[data-testid=page-title]');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name) });

/** What dims the figures: the grid's computed opacity and filter. */
const gridStyle = (page: Page) =>
  page.$eval('.wall-grid', (grid) => {
    const style = getComputedStyle(grid);
    return { opacity: Number(style.opacity), filter: style.filter };
  });

describe('freshness on every panel', () => {
  it('each panel of the overview says what its figures are as of, in Viet Nam time', async () => {
    const page = await openWall('page=national-overview');
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=province-map][data-with-data]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=ranking]', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=kpi-value]').length >= 4, null, { timeout: 60_000 });
    // every panel carries "Số liệu đến <date>": its own line (KPI tiles) or the frame's
    const panels = await page.$$eval('.wall-grid > .panel', (nodes) =>
      nodes.map((n) => ({
        kind: n.getAttribute('data-kind'),
        asOf: (n.querySelector('[data-testid=panel-asof]') ?? n.querySelector('.kpi-asof'))?.textContent ?? null,
      })),
    );
    expect(panels.length).toBeGreaterThanOrEqual(6);
    for (const panel of panels) expect(panel.asOf, `${panel.kind}`).toMatch(/^Số liệu đến \d\d\/\d\d\/\d{4}( \d\d:\d\d)?/);
    await page.close();
  });
});

describe('a wall without its backend', () => {
  it('says so unmistakably, counts the time since the last contact, dims the figures, and recovers by itself', async () => {
    const page = await openWall('page=national-overview');
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=kpi-value]').length >= 4, null, { timeout: 60_000 });
    await page.waitForSelector('[data-testid=ts-latest]', { timeout: 60_000 });
    expect(await page.$('[data-testid=link-banner]')).toBeNull();
    expect((await gridStyle(page)).opacity).toBe(1);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await stack.stopBackend();
    const banner = await page.waitForSelector('[data-testid=link-banner][data-link=unreachable]', { timeout: 60_000 });
    expect(await banner.textContent()).toContain('MẤT KẾT NỐI VỚI MÁY CHỦ');
    const detail = async () => (await page.textContent('[data-testid=link-banner-detail]')) ?? '';
    const first = await detail();
    expect(first).toMatch(/^Liên lạc cuối lúc \d\d:\d\d:\d\d \((\d+ phút )?\d+ giây trước\) · /);
    // the time since the last contact counts up on its own
    await page.waitForFunction((text) => document.querySelector('[data-testid=link-banner-detail]')?.textContent !== text, first);
    expect((await detail()).slice(0, 26)).toBe(first.slice(0, 26));
    // the header says it too, and the figures are dimmed
    expect(await page.getAttribute('[data-testid=connection]', 'data-link')).toBe('unreachable');
    expect(await page.textContent('[data-testid=connection]')).toBe('Mất kết nối');
    expect(await page.getAttribute('.wall', 'class')).toContain('link-down');
    const dimmed = await gridStyle(page);
    expect(dimmed.opacity).toBeLessThan(0.6);
    expect(dimmed.filter).toContain('grayscale');
    // the figures are still there (frozen, not blanked)
    expect(await page.$$eval('[data-testid=kpi-value]', (nodes) => nodes.length)).toBeGreaterThanOrEqual(4);
    await shot(page, 'wall-offline-vi-1920x1080.png');
    // in English on the kiosk's L key
    await page.keyboard.press('l');
    await page.waitForSelector('[data-testid=link-banner] >> text=SERVER UNREACHABLE');
    expect(await detail()).toMatch(/^Last contact at \d\d:\d\d:\d\d \(.* ago\) · the figures shown are old/);
    await shot(page, 'wall-offline-en-1920x1080.png');
    await page.keyboard.press('l');

    await stack.startBackend();
    // socket.io reconnects by itself (its back-off is at most 15 s): the banner goes, the figures come back
    await page.waitForSelector('[data-testid=link-banner]', { state: 'detached', timeout: 90_000 });
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 30_000 });
    expect(await page.getAttribute('.wall', 'class')).not.toContain('link-down');
    expect((await gridStyle(page)).opacity).toBe(1);
    // live again: a value pushed now reaches the wall without a reload of the page
    const value = 1_777_777_777;
    await pushNow(stack, 'ndxp.transactions', 'VN', value, 'e2e-offline-back-1');
    await page.waitForSelector(`[data-testid=ts-latest][data-value="${value}"]`, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await shot(page, 'wall-recovered-vi-1920x1080.png');
    await page.close();
  }, 300_000);

  it('tells a lost live feed (the API still answering) from an unreachable backend, and recovers when the feed is back', async () => {
    let blocked = true;
    const page = await openWall('page=national-overview', async (p) => {
      // the socket only: its WebSocket and its long-polling fallback
      await p.routeWebSocket(/\/socket\.io\//, (ws) => (blocked ? ws.close() : ws.connectToServer()));
      await p.route(/\/socket\.io\//, (route) => (blocked ? route.abort() : route.continue()));
    });
    const banner = await page.waitForSelector('[data-testid=link-banner][data-link=socketDown]', { timeout: 60_000 });
    expect(await banner.textContent()).toContain('MẤT KÊNH TRỰC TUYẾN');
    expect(await page.textContent('[data-testid=connection]')).toBe('Cập nhật định kỳ');
    // the API answers: the panels load all the same, dimmed under the banner
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=kpi-value]').length >= 4, null, { timeout: 60_000 });
    expect((await gridStyle(page)).opacity).toBeLessThan(0.6);
    await shot(page, 'wall-socket-down-vi-1920x1080.png');
    blocked = false;
    await page.waitForSelector('[data-testid=link-banner]', { state: 'detached', timeout: 60_000 });
    await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 30_000 });
    expect((await gridStyle(page)).opacity).toBe(1);
    await page.close();
  }, 200_000);
});

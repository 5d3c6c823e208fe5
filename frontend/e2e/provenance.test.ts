/**
 * "Where does this number come from?" in a real browser against the real backend: a ranking row (mouse) or a
 * KPI tile and a chart's keyboard picker (Tab, ↑ ↓, Enter) open the unit view of the indicator on the wall — the
 * unit's series and every revision of its value with batch and key — it closes with Esc and by itself, and the
 * console's unit-indicator page lists the same revisions. A revision is pushed through the ingest API first, so
 * the value has two revisions from different batches.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { vnIso } from './support/demo-data';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');
const METRIC = 'dvc.level4_share'; // the national overview's ranking
const UNIT = '01';
const REVISION_BATCH = 'e2e-provenance-revision';
const REVISED_VALUE = 99.7; // above every demo value: Hà Nội heads the ranking

let stack: Stack;
let browser: Browser;
/** the batches of the value's revisions, newest first, as the API answers them */
let batches: string[];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  // revise Hà Nội's newest level-4 share: a second revision from another batch, sent with the same key
  const series = await stack.api<{ points: Array<{ ts: string; value: number }> }>(
    'GET',
    `/api/v1/series?metric=${METRIC}&unit=${UNIT}`,
    undefined,
    stack.tokens.viewer,
  );
  const newest = series.body.points.at(-1)!;
  const pushed = await fetch(`${stack.backendUrl}/api/v1/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.tokens.agentKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      batchId: REVISION_BATCH,
      points: [{ metric: METRIC, unit: UNIT, ts: vnIso(Date.parse(newest.ts)), value: REVISED_VALUE }],
    }),
  });
  expect(pushed.status).toBe(202);
  expect(((await pushed.json()) as { revised: number }).revised).toBe(1);
  const history = await stack.api<{ revisions: Array<{ batchId: string; keyName: string }> }>(
    'GET',
    `/api/v1/history?metric=${METRIC}&unit=${UNIT}&ts=${encodeURIComponent(newest.ts)}`,
    undefined,
    stack.tokens.viewer,
  );
  batches = history.body.revisions.map((r) => r.batchId);
  expect(batches).toHaveLength(2);
  expect(batches[0]).toBe(REVISION_BATCH);
  expect(batches[1]).not.toBe(REVISION_BATCH);
  expect(history.body.revisions.map((r) => r.keyName)).toEqual(['e2e demo', 'e2e demo']);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openWall(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&${query}`);
  await page.waitForSelector('[data-testid=page-title]');
  return page;
}

/** The overlay once its series and revisions are loaded. */
async function overlay(page: Page) {
  await page.waitForSelector('[data-testid=provenance][data-state=ready]', { timeout: 30_000 });
  return page.$eval('[data-testid=provenance]', (box) => ({
    metric: box.getAttribute('data-metric'),
    unit: box.getAttribute('data-unit'),
    unitName: box.querySelector('[data-testid=provenance-unit]')?.textContent ?? '',
    points: Number(box.querySelector('[data-testid=prov-series]')?.getAttribute('data-points')),
    canvases: box.querySelectorAll('[data-testid=prov-series] canvas').length,
    batches: [...box.querySelectorAll('[data-testid=prov-revision]')].map((row) => row.getAttribute('data-batch')),
    keys: [...box.querySelectorAll('[data-testid=prov-revision]')].map((row) => row.children[4]?.textContent ?? ''),
    values: [...box.querySelectorAll('[data-testid=prov-revision]')].map((row) => Number(row.getAttribute('data-value'))),
    target: box.querySelector('[data-testid=prov-target]')?.getAttribute('data-status'),
    reporting: box.querySelector('[data-testid=prov-reporting]')?.getAttribute('data-status'),
    text: box.textContent ?? '',
  }));
}

describe('the wall: where does this number come from?', () => {
  it('a click on a ranking row opens the unit view with its series and revisions, which closes by itself', async () => {
    const page = await openWall('page=national-overview&provenanceSeconds=5');
    await page.waitForSelector('[data-panel=level4-ranking] [data-testid=ranking] canvas', { timeout: 60_000 });
    const box = (await page.$('[data-panel=level4-ranking] [data-testid=ranking]'))!;
    const slots = Number(await box.getAttribute('data-rows')) + 1; // top 5, a gap, bottom 5
    const rect = (await box.boundingBox())!;
    // the first row: the longest bar, in the middle of the chart's width
    await page.mouse.click(rect.x + rect.width * 0.5, rect.y + 4 + ((rect.height - 8) / slots) * 0.5);
    // ECharts draws its canvas in an effect after the render that made the overlay ready: on a loaded machine the
    // canvases were counted in between (0)
    await page.waitForSelector('[data-testid=provenance] [data-testid=prov-series] canvas', { timeout: 30_000 });
    const shown = await overlay(page);
    expect(shown).toMatchObject({ metric: METRIC, unit: UNIT, unitName: 'Hà Nội' });
    expect(shown.points).toBeGreaterThanOrEqual(2);
    expect(shown.canvases).toBe(1);
    // every revision of the value, newest first, with its batch and the key's name
    expect(shown.batches).toEqual(batches);
    expect(shown.values[0]).toBe(REVISED_VALUE);
    expect(shown.keys).toEqual(['e2e demo', 'e2e demo']);
    expect(shown.text).toContain('99,7%');
    expect(shown.text).toContain('Các lần gửi và sửa đổi giá trị này');
    expect(shown.reporting).not.toBe('none');
    await page.screenshot({ path: path.join(artifacts, 'wall-provenance-vi-1920x1080.png') });
    // no interaction: it closes by itself (?provenanceSeconds=5), and the rotation bar runs again
    expect(await page.getAttribute('[data-testid=provenance]', 'data-seconds')).toBe('5');
    await page.waitForSelector('[data-testid=provenance]', { state: 'detached', timeout: 30_000 });
    expect(await page.getAttribute('.wall', 'data-page')).toBe('national-overview');
    await page.close();
  });

  it('on a kiosk keyboard: Tab reaches a tile, Enter opens its unit view, Esc closes it; ↑ ↓ Enter pick a ranking row', async () => {
    const page = await openWall('page=national-overview&lang=en');
    await page.waitForSelector('[data-testid=kpi-value]', { timeout: 60_000 });
    await page.waitForSelector('[data-panel=level4-ranking] [data-testid=ranking] canvas', { timeout: 60_000 });
    // the first Tab stop is a tile (the first one with its data), marked as focused
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(() => document.activeElement?.getAttribute('data-provenance'))) ?? '';
    const [tileMetric, tileUnit] = focused.split('|');
    expect(tileUnit).toBe('VN');
    expect(await page.evaluate(() => document.activeElement?.matches(':focus-visible'))).toBe(true);
    await page.keyboard.press('Enter');
    const tile = await overlay(page);
    expect(tile).toMatchObject({ metric: tileMetric, unit: 'VN', unitName: 'Nationwide' });
    expect(tile.text).toContain('Submissions and revisions of this value');
    expect(tile.batches.length).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(artifacts, 'wall-provenance-en-1920x1080.png') });
    // the default: a minute without interaction
    expect(await page.getAttribute('[data-testid=provenance]', 'data-seconds')).toBe('60');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=provenance]', { state: 'detached' });
    // focus goes back to the tile it came from
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-provenance'))).toBe(focused);

    // Tab on: the map's picker (provinces by name), then the ranking's (rows in ranking order)
    const focusedKind = () => page.evaluate(() => document.activeElement?.closest('[data-panel]')?.getAttribute('data-kind'));
    let guard = 0;
    while ((await focusedKind()) !== 'map') {
      await page.keyboard.press('Tab');
      if (++guard > 30) throw new Error('Tab never reached the map');
    }
    const province = await page.getAttribute('[data-kind=map] [data-testid=prov-picker]', 'data-unit');
    expect(province).toMatch(/^\d{2}$/);
    await page.keyboard.press('Enter');
    expect(await overlay(page)).toMatchObject({ metric: 'dvc.end_to_end_dossier_share', unit: province });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=provenance]', { state: 'detached' });
    while ((await page.evaluate(() => document.activeElement?.closest('[data-panel]')?.getAttribute('data-panel'))) !== 'level4-ranking') {
      await page.keyboard.press('Tab');
      if (++guard > 60) throw new Error('Tab never reached the ranking');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('prov-picker');
    expect(await page.$eval('[data-panel=level4-ranking] [data-testid=prov-picker]', (el) => getComputedStyle(el).opacity)).toBe('1');
    expect(await page.getAttribute('[data-panel=level4-ranking] [data-testid=prov-picker]', 'data-unit')).toBe(UNIT);
    await page.keyboard.press('ArrowDown');
    const second = await page.getAttribute('[data-panel=level4-ranking] [data-testid=prov-picker]', 'data-unit');
    expect(second).not.toBe(UNIT);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const row = await overlay(page);
    expect(row).toMatchObject({ metric: METRIC, unit: UNIT });
    expect(row.batches).toEqual(batches);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=provenance]', { state: 'detached' });
    await page.close();
  });
});

describe('the wall rotation', () => {
  it('pauses while the overlay is open and runs again when it closes', async () => {
    const page = await openWall('');
    await page.waitForSelector('.rotation-fill', { timeout: 60_000 });
    await page.waitForSelector('[data-provenance]', { timeout: 60_000 });
    await page.focus('[data-provenance]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=provenance]');
    await page.waitForSelector('.rotation-bar.idle');
    expect(await page.$$('.rotation-fill')).toHaveLength(0);
    expect(await page.$$('.rotation-bar.idle')).toHaveLength(1);
    // ← → do not turn the page under the overlay
    const before = await page.getAttribute('.wall', 'data-page');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('.wall', 'data-page')).toBe(before);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=provenance]', { state: 'detached' });
    await page.waitForSelector('.rotation-fill');
    await page.close();
  });
});

describe('the overlay at 3840×2160', () => {
  it('fits the screen, its title clear of the countdown and the close button', async () => {
    const page = await browser.newPage({ viewport: { width: 3840, height: 2160 } });
    await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=national-overview`);
    await page.waitForSelector('[data-provenance]', { timeout: 60_000 });
    await page.focus('[data-provenance]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=provenance][data-state=ready]', { timeout: 30_000 });
    const boxes = await page.evaluate(() => {
      const rect = (selector: string) => {
        const r = document.querySelector(selector)!.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      return { box: rect('.prov-box'), title: rect('.prov-title'), side: rect('.prov-head-side'), close: rect('.prov-close') };
    });
    expect(boxes.box.left).toBeGreaterThanOrEqual(0);
    expect(boxes.box.right).toBeLessThanOrEqual(3840);
    expect(boxes.box.bottom).toBeLessThanOrEqual(2160);
    const overlap = (a: typeof boxes.box, b: typeof boxes.box) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    expect(overlap(boxes.title, boxes.side)).toBe(false);
    // the wall's type scales with the screen: twice the 1920×1080 size, also where no size is set
    expect(boxes.close.bottom - boxes.close.top).toBeGreaterThan(50);
    const sizes = await page.$$eval('.prov-countdown, .prov-source, .prov-dl dd, .prov-empty', (nodes) =>
      nodes.map((n) => parseFloat(getComputedStyle(n).fontSize)),
    );
    expect(sizes.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(28);
    await page.screenshot({ path: path.join(artifacts, 'wall-provenance-vi-3840x2160.png') });
    await page.close();
  });
});

describe('the console: the unit-indicator page', () => {
  it('is reached from the units page and lists the same revisions', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
    await page.goto(`${stack.url}/console/units`);
    await page.fill('input[name=username]', 'staff1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=units-table]', { timeout: 30_000 });
    await page.selectOption('select[name=metric]', METRIC);
    await page.waitForSelector(`[data-testid=units-table] tr[data-unit="${UNIT}"] [data-testid=unit-indicator-link]`, { timeout: 30_000 });
    await page.click(`[data-testid=units-table] tr[data-unit="${UNIT}"] [data-testid=unit-indicator-link]`);
    await page.waitForSelector(`[data-testid=unit-indicator][data-unit="${UNIT}"][data-metric="${METRIC}"]`);
    expect(new URL(page.url()).pathname).toBe(`/console/units/${UNIT}/${METRIC}`);
    await page.waitForSelector('[data-testid=prov-revisions]', { timeout: 30_000 });
    const listed = await page.$$eval('[data-testid=prov-revision]', (rows) => rows.map((row) => row.getAttribute('data-batch')));
    expect(listed).toEqual(batches);
    expect(await page.$$eval('[data-testid=prov-revision]', (rows) => rows.map((row) => row.children[4]?.textContent))).toEqual([
      'e2e demo',
      'e2e demo',
    ]);
    // an older value picked from the list shows its own (single) revision
    const older = await page.$$('[data-testid=prov-recent] tbody tr');
    expect(older.length).toBeGreaterThanOrEqual(2);
    await older[1]!.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prov-revision]').length === 1, null, { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid=prov-revision]', 'data-batch')).not.toBe('e2e-provenance-revision');
    await page.screenshot({ path: path.join(artifacts, 'console-unit-indicator-vi.png') });
    // reloading the address shows the same page (the route is the address)
    await page.reload();
    await page.waitForSelector('[data-testid=prov-revisions]', { timeout: 30_000 });
    expect(await page.$$eval('[data-testid=prov-revision]', (rows) => rows.map((row) => row.getAttribute('data-batch')))).toEqual(batches);
    await context.close();
  });
});

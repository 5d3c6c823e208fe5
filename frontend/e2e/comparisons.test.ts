/**
 * Fair comparisons on the wall, in the browser against the real backend: every KPI tile states what its change is
 * measured against, all tiles of a page against the same date, and "today so far" is never set against a whole day
 * without saying so. The demo figures are pushed at the start of the test, so yesterday's running count has no
 * revision from yesterday: the "today" tiles must fall back to all of yesterday, labelled and not coloured. (The
 * same-time value from yesterday's revisions is covered by src/lib/kpi.test.ts, which can place revisions in time.)
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { vnDayStart } from './support/demo-data';
import { frontendDir, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = path.join(frontendDir, 'test-artifacts');

const DAY = 86_400_000;
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

async function openPage(id: string, lang = 'vi'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=${id}&lang=${lang}`);
  await page.waitForSelector('[data-testid=page-title]');
  return page;
}

/** "04/12": a Viet Nam date, days before now. */
function vnDate(daysBefore: number, monthsBefore = 0): string {
  const local = new Date(Date.now() + 7 * 3600_000);
  local.setUTCMonth(local.getUTCMonth() - monthsBefore);
  local.setUTCDate(local.getUTCDate() - daysBefore);
  return `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The reference of every KPI tile of the page, once `count` of them have one, and every tile of `panels` among them
 * (each tile reads its reference on its own: which come first depends on the answers' order).
 */
async function references(page: Page, count: number, panels: string[] = []) {
  await page.waitForFunction(
    ([n, names]) =>
      document.querySelectorAll('[data-kind=kpi] [data-testid=kpi-reference]').length >= n &&
      names.every((name) => document.querySelector(`[data-kind=kpi][data-panel="${name}"] [data-testid=kpi-reference]`)),
    [count, panels] as const,
    { timeout: 60_000 },
  );
  return page.$$eval('[data-kind=kpi]', (tiles) =>
    tiles.map((tile) => {
      const change = tile.querySelector('[data-testid=kpi-change]');
      return {
        panel: tile.getAttribute('data-panel'),
        kind: change?.getAttribute('data-reference') ?? null,
        coloured: change?.classList.contains('good') || change?.classList.contains('bad') || false,
        text: tile.querySelector('[data-testid=kpi-reference]')?.textContent ?? '',
        value: Number(tile.querySelector('[data-testid=kpi-reference]')?.getAttribute('data-reference-value')),
        change: change?.textContent ?? '',
      };
    }),
  );
}

describe('every KPI tile states its reference', () => {
  it('e-invoices: today so far against all of yesterday (no revision from yesterday), labelled and not coloured', async () => {
    const page = await openPage('e-invoices');
    const [today] = await references(page, 1);
    expect(today).toMatchObject({ panel: 'einvoices-today', kind: 'whole-period', coloured: false });
    expect(today!.text).toBe(`so với cả ngày ${vnDate(1)}`);
    // the number compared with is the API's for all of yesterday
    const todayStart = vnDayStart(Date.now());
    const yesterday = await stack.api<{ values: { unit: string; value: number }[] }>(
      'GET',
      `/api/v1/aggregate?metric=einvoice.issued&units=VN&agg=sum&from=${new Date(todayStart - DAY).toISOString()}&to=${new Date(todayStart).toISOString()}`,
      undefined,
      stack.tokens.viewer,
    );
    expect(today!.value).toBe(yesterday.body.values.find((v) => v.unit === 'VN')?.value);
    await page.close();
  });

  it('national overview: one reference date for all four tiles; levels as they stood at the same time yesterday', async () => {
    const page = await openPage('national-overview');
    const tiles = await references(page, 4);
    expect(tiles.map((t) => t.panel)).toEqual(['services-online', 'level4-share', 'citizen-records', 'einvoices-today']);
    for (const tile of tiles) expect(tile.text).toContain(vnDate(1));
    expect(tiles.filter((t) => t.kind === 'same-time').map((t) => t.text)).toEqual([
      `so với ${vnDate(1)} cùng giờ`,
      `so với ${vnDate(1)} cùng giờ`,
      `so với ${vnDate(1)} cùng giờ`,
    ]);
    expect(tiles[3]).toMatchObject({ kind: 'whole-period', coloured: false });
    await page.screenshot({ path: path.join(artifacts, 'comparisons-national-overview.png') });
    await page.close();
  });

  it('population data compares with the same time a month ago, in English too', async () => {
    const page = await openPage('population-data', 'en');
    // the two tiles the demo data keeps current (the linked records hold only the figures the notices give)
    const current = ['citizen-records', 'vneid-accounts'];
    const tiles = (await references(page, 2, current)).filter((tile) => current.includes(tile.panel ?? ''));
    expect(tiles).toHaveLength(2);
    for (const tile of tiles) {
      expect(tile.kind).toBe('same-time');
      expect(tile.text).toMatch(/^vs the same time on \d{1,2} [A-Z][a-z]{2}( \d{4})?$/);
    }
    await page.close();
  });
});

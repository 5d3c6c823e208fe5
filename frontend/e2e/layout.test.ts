/**
 * The wall is legible from across the room and no text collides: every page at 1920×1080 and 3840×2160, in both
 * languages, with alerts in the ticker.
 * - Legible: every visible text is at least 2 % of the screen height (computed font size), none is cut (ellipsis,
 *   line clamp, overflow), every text inside a panel stays inside it, and every chart asks its canvas for no smaller
 *   font (`data-min-font`, the smallest size of its ECharts option, defaults included).
 * - No collision: the bounding boxes of the header's texts (organisation, page title, alert badge, connection,
 *   clock), the ticker against the footer's page counter, and each panel's title, aside and as-of line. Axis labels
 *   are drawn on a canvas: their distinctness is checked on the option builders' label sets
 *   (charts/options/options.test.ts).
 * Screenshots of every page, size and language: DXOC_E2E_SCREENSHOTS=1 (to a temporary directory, named in the log).
 * Off by default: a 3840×2160 screenshot is drawn and encoded in software here, and they are for people to look at,
 * not checked.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { shippedPages } from './support/pages';
import { pushNow, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const artifacts = process.env.DXOC_E2E_SCREENSHOTS ? mkdtempSync(path.join(os.tmpdir(), 'dxoc-layout-shots-')) : null;
let stack: Stack;
let browser: Browser;
let pageIds: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
  if (artifacts) console.log(`[layout] screenshots in ${artifacts}`);
  const pages = await stack.api<{ pages: Array<{ id: string }> }>('GET', '/api/v1/dashboards', undefined, stack.tokens.viewer);
  pageIds = pages.body.pages.map((p) => p.id);
  // a ticker full of long alerts: every province with e-invoices today (a warning, so no full-screen alarm)
  const rule = await stack.api(
    'POST',
    '/api/v1/alert-rules',
    {
      name: 'Kiểm tra bố cục: hóa đơn điện tử',
      metric: 'einvoice.issued',
      scope: { kind: 'provinces' },
      condition: { type: 'above', value: 0 },
      severity: 'warning',
      messageVi: 'Hóa đơn điện tử của {unitName} vượt ngưỡng kiểm tra bố cục {threshold}: {value}',
      messageEn: 'E-invoices of {unitName} above the layout check threshold {threshold}: {value}',
    },
    stack.tokens.admin,
  );
  if (rule.status >= 300) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  for (const unit of ['01', '79', '31', '48']) await pushNow(stack, 'einvoice.issued', unit, 1_234_567, `e2e-layout-${unit}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Box {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** the text is cut (ellipsis, line clamp, overflow) */
  clipped: boolean;
}

/** The boxes of the texts that must neither overlap nor be cut. */
async function headerBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const pick: Array<[string, string]> = [
      ['org-name', '[data-testid=org-name]'],
      ['org-sub', '.org-sub'],
      ['emblem', '.emblem'],
      ['title', '[data-testid=page-title]'],
      ['dots', '.page-dots'],
      ['alert-chip', '[data-testid=alert-chip]'],
      ['connection', '[data-testid=connection]'],
      ['clock', '.clock'],
    ];
    const out = [];
    for (const [name, selector] of pick) {
      const el = document.querySelector(selector) as HTMLElement | null;
      if (!el) continue;
      const r = el.getBoundingClientRect();
      out.push({
        name,
        x: r.x,
        y: r.y,
        w: r.width,
        h: r.height,
        clipped: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
      });
    }
    return out;
  });
}

/**
 * What breaks legibility on the page as it is drawn: texts under 2 % of the screen height, texts cut, texts outside
 * their panel, header or footer, and charts whose option asks for a smaller font. Hidden elements (display, visibility,
 * opacity 0: the drill-down's picker until it is focused) are not looked at.
 */
async function illegible(page: Page): Promise<{ small: string[]; cut: string[]; outside: string[]; charts: string[] }> {
  return page.evaluate(() => {
    const floor = 0.02 * window.innerHeight - 0.05;
    const small: string[] = [];
    const cut: string[] = [];
    const outside: string[] = [];
    const charts: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.wall *')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      if (!ownText || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(el);
      const what = `<${el.className}> "${(el.textContent ?? '').trim().slice(0, 60)}"`;
      const size = parseFloat(style.fontSize);
      if (size < floor) small.push(`${size}px ${what}`);
      const clips =
        style.overflowX !== 'visible' ||
        style.overflowY !== 'visible' ||
        style.textOverflow === 'ellipsis' ||
        (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '');
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) cut.push(what);
      const box = el.closest('.panel, .wall-header, .wall-footer');
      if (box && !el.closest('.ticker')) {
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5)
          outside.push(`${what} in ${box.getAttribute('data-panel') ?? box.className}`);
      }
    }
    for (const el of document.querySelectorAll('.wall [data-min-font]')) {
      const size = Number(el.getAttribute('data-min-font'));
      if (size < floor) charts.push(`${size}px in ${el.closest('.panel')?.getAttribute('data-panel')}`);
    }
    return { small, cut, outside, charts };
  });
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0.5 && h > 0.5 ? w * h : 0;
}

function collisions(boxes: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i]!, boxes[j]!) > 0) found.push(`${boxes[i]!.name} × ${boxes[j]!.name}`);
  return found;
}

/** The wall at a size and in a language, pinned to the first page, once it is live and its ticker runs. */
async function openWall(viewport: { width: number; height: number }, lang: 'vi' | 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => console.error('[wall pageerror]', error.message));
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=${pageIds[0]}&lang=${lang}`);
  await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=org-name]')?.textContent !== '');
  await page.waitForSelector('[data-testid=ticker] .ticker-item', { timeout: 60_000 });
  return page;
}

/**
 * Brings page `id` up the way a wall shows its pages, by turning to it (→, as the rotation and a kiosk keyboard do;
 * the browser keeps its scripts, its live link and the ticker), then waits until no panel is still loading and the
 * page has settled (a long title steps down in size after it is drawn).
 */
async function showPage(page: Page, id: string): Promise<void> {
  if ((await page.getAttribute('.wall', 'data-page')) !== id) {
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`.wall[data-page="${id}"]`, { timeout: 10_000 });
  }
  await page.waitForFunction(() => !document.querySelector('.wall-grid [data-loading]'), undefined, { timeout: 60_000 });
  await page.waitForTimeout(800);
}

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

// The four sizes and languages run side by side in one browser, each in its own tab that turns through every page
// (a page loaded afresh for each check took 3–4 s of the 2 cores to go live; turning takes the page's own reads and
// drawing only).
describe.concurrent('the wall is legible and no text collides', () => {
  for (const viewport of SIZES)
    for (const lang of ['vi', 'en'] as const)
      it(`every page at ${viewport.width}×${viewport.height} (${lang})`, async ({ expect }) => {
        expect(pageIds.length).toBe(shippedPages);
        const page = await openWall(viewport, lang);
        for (const id of pageIds) {
          await showPage(page, id);
          if (artifacts) await page.screenshot({ path: path.join(artifacts, `${id}-${lang}-${viewport.width}x${viewport.height}.png`) });
          const where = `${id} ${lang} ${viewport.width}×${viewport.height}`;

          // legible from across the room: nothing small, nothing cut, nothing spilling out of its box
          const found = await illegible(page);
          expect(found, where).toEqual({ small: [], cut: [], outside: [], charts: [] });
          // the header keeps its height (6rem): a long title steps down in size instead of pushing the wall down
          const headerHeight = await page.$eval('.wall-header', (el) => el.getBoundingClientRect().height);
          expect(headerHeight, `${where} header height`).toBeLessThanOrEqual(96 * (viewport.height / 1080) + 1);
          // the map names provinces: the highest, the lowest, those in alert (as many as fit without overlapping)
          const maps = await page.$$eval('[data-testid=province-map]', (nodes) =>
            nodes.map((n) => ({ labelled: n.getAttribute('data-labelled') ?? '', withData: Number(n.getAttribute('data-with-data')) })),
          );
          for (const map of maps)
            if (map.withData >= 4) expect(map.labelled.split(',').filter(Boolean).length, `${where} map labels`).toBeGreaterThanOrEqual(2);
          // a compliance panel accounts for every unit: a card each, or counted on the line that replaces the last cards
          const compliance = await page.$$eval('.panel-compliance', (panels) =>
            panels.map((panel) => ({
              cards: panel.querySelectorAll('.compliance-unit:not([data-overflow])').length,
              counted: (panel.querySelector('[data-testid=compliance-more]')?.getAttribute('data-hidden') ?? '').split(',').filter(Boolean)
                .length,
              units: Number(panel.querySelector('[data-testid=compliance]')?.getAttribute('data-units')),
            })),
          );
          for (const c of compliance) expect(c.cards + c.counted, `${where} compliance units`).toBe(c.units);
          // an alerts panel lists the alerts it holds whole and counts the rest
          const alertPanels = await page.$$eval('.panel-alerts', (panels) =>
            panels.map((panel) => ({
              rows: panel.querySelectorAll('[data-testid=alert-row]:not([data-overflow])').length,
              more: Number(panel.querySelector('[data-testid=alert-more]')?.getAttribute('data-count') ?? 0),
              badge: Number(panel.querySelector('.panel-aside .count')?.textContent?.replace(/\D/g, '') || 0),
            })),
          );
          for (const a of alertPanels) expect(a.rows + a.more, `${where} alerts`).toBe(a.badge);

          // the header: nothing overlaps, nothing is cut, everything inside the screen
          const boxes = await headerBoxes(page);
          expect(
            boxes.map((b) => b.name),
            where,
          ).toEqual(['org-name', 'org-sub', 'emblem', 'title', 'dots', 'alert-chip', 'connection', 'clock']);
          expect(collisions(boxes), where).toEqual([]);
          expect(
            boxes.filter((b) => b.clipped).map((b) => b.name),
            where,
          ).toEqual([]);
          for (const b of boxes) expect(b.x >= 0 && b.x + b.w <= viewport.width + 0.5, `${where} ${b.name} on screen`).toBe(true);

          // the footer: the ticker ends where the page counter starts, and clips what scrolls through it
          const footer = await page.evaluate(() => {
            const box = (el: Element) => {
              const r = el.getBoundingClientRect();
              return { x: r.x, y: r.y, w: r.width, h: r.height };
            };
            const ticker = document.querySelector('[data-testid=ticker]')!;
            const counter = document.querySelector('.footer-page')!;
            return {
              ticker: box(ticker),
              counter: box(counter),
              clips: getComputedStyle(ticker).overflowX === 'hidden',
              counterClipped: (counter as HTMLElement).scrollWidth > (counter as HTMLElement).clientWidth + 1,
              footer: box(document.querySelector('.wall-footer')!),
            };
          });
          expect(
            overlap({ ...footer.ticker, name: 'ticker', clipped: false }, { ...footer.counter, name: 'counter', clipped: false }),
            where,
          ).toBe(0);
          expect(footer.clips, where).toBe(true);
          expect(footer.counterClipped, where).toBe(false);
          expect(footer.footer.y + footer.footer.h, where).toBeLessThanOrEqual(viewport.height + 0.5);

          // every panel: its title, aside and as-of line inside it and clear of each other
          const panels = await page.$$eval('.wall-grid > .panel', (nodes) =>
            nodes.map((panel) => {
              const box = (el: Element | null) => {
                if (!el) return null;
                const r = el.getBoundingClientRect();
                return { x: r.x, y: r.y, w: r.width, h: r.height };
              };
              return {
                id: panel.getAttribute('data-panel'),
                panel: box(panel)!,
                title: box(panel.querySelector('.panel-title')),
                aside: box(panel.querySelector('.panel-aside')),
                asOf: box(panel.querySelector('[data-testid=panel-asof]')),
                // a KPI tile's texts: the target and its status on one line, value, change, target block, as-of
                targetLine: [...panel.querySelectorAll('.kpi-target-line > span')].map(box),
                kpi: ['.kpi-value', '.kpi-change', '.kpi-target', '.kpi-asof'].map((sel) => [sel, box(panel.querySelector(sel))] as const),
              };
            }),
          );
          for (const p of panels) {
            const parts: Box[] = [];
            for (const name of ['title', 'aside', 'asOf'] as const) {
              const found = p[name];
              if (found) parts.push({ name, ...found, clipped: false });
            }
            expect(collisions(parts), `${where} ${p.id}`).toEqual([]);
            const targetLine = p.targetLine.flatMap((b, i) => (b ? [{ name: `target-line-${i}`, ...b, clipped: false }] : []));
            expect(collisions(targetLine), `${where} ${p.id} target line`).toEqual([]);
            const kpi = p.kpi.flatMap(([name, b]) => (b && b.w > 0 && b.h > 0 ? [{ name, ...b, clipped: false }] : []));
            expect(collisions(kpi), `${where} ${p.id} kpi`).toEqual([]);
            for (const part of parts) {
              expect(part.x >= p.panel.x - 0.5 && part.x + part.w <= p.panel.x + p.panel.w + 0.5, `${where} ${p.id} ${part.name} x`).toBe(
                true,
              );
              expect(part.y >= p.panel.y - 0.5 && part.y + part.h <= p.panel.y + p.panel.h + 0.5, `${where} ${p.id} ${part.name} y`).toBe(
                true,
              );
            }
          }
        }
        await page.close();
      }, 300_000);
});

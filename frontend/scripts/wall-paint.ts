/**
 * Benchmark: how soon the wall shows something, and something meaningful, in Debian's Chromium against the real
 * stack (backend on a fresh embedded database with the demo figures, the built frontend served by `vite preview`,
 * as the browser tests start it). Prints figures; asserts nothing. Not part of the test suite (issue 14 goal 6).
 *
 *   npm run bench:wall-paint -w @dxoc/frontend -- [runs, default 7] [--compare <another build's dist directory>]
 *
 * Every run is a cold load: a new browser context (empty cache), 1920×1080, no CPU or network throttling. With
 * --compare, the other build (e.g. the previous commit's, built with `npx vite build --outDir /tmp/x`) is served by a
 * second preview server on the same backend and the runs alternate between the two, so both see the same load.
 *
 * What is measured, in ms from the start of navigation:
 * - fcp: the browser's first-contentful-paint (the header, before any figure).
 * - meaningful: the first frame in which every KPI tile of the first page shows its number (each
 *   [data-kind=kpi] panel holds a [data-testid=kpi-value] with a digit): the figures the wall is for.
 * - firstChart: the first frame with a chart drawn (a canvas in an ECharts box).
 * - allCharts: the first frame in which every chart box of the page has its canvas and every map panel its map.
 * - js: the JavaScript transferred (bytes on the wire: vite preview sends it gzip, as nginx does).
 */
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { preview } from 'vite';
import { launchBrowser } from '../e2e/support/browser';
import { frontendDir, startStack } from '../e2e/support/stack';
import { freePort } from '@dxoc/contracts/testing';

const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compareDir = compareAt >= 0 ? path.resolve(args[compareAt + 1]!) : null;
const runs = Number(args.find((arg, i) => /^\d+$/.test(arg) && (compareAt < 0 || i !== compareAt + 1)) ?? 7);

interface Sample {
  fcp: number;
  meaningful: number;
  firstChart: number;
  allCharts: number;
  jsBytes: number;
}

/**
 * Installed before the page's own scripts: notes the frame in which each condition first holds. A string, not a
 * function: tsx wraps named functions in a helper (`__name`) that does not exist in the page.
 */
const probe = `(() => {
  const marks = {};
  window.__paintMarks = marks;
  const conditions = {
    meaningful: () => {
      const tiles = [...document.querySelectorAll('[data-kind=kpi]')];
      return tiles.length > 0 && tiles.every((tile) => /\\d/.test(tile.querySelector('[data-testid=kpi-value]')?.textContent ?? ''));
    },
    firstChart: () => document.querySelector('.wall [role=img] canvas') !== null,
    allCharts: () => {
      const boxes = [...document.querySelectorAll('.wall [role=img]')];
      const maps = [...document.querySelectorAll('[data-kind=map]')];
      return boxes.length > 0 && boxes.every((box) => box.querySelector('canvas')) && maps.every((map) => map.querySelector('canvas'));
    },
  };
  const check = () => {
    for (const [name, holds] of Object.entries(conditions))
      // the frame that follows the DOM change is the one that shows it
      if (!(name in marks) && holds()) requestAnimationFrame(() => (marks[name] ??= performance.now()));
    if (Object.keys(marks).length < Object.keys(conditions).length) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function sample(browser: Browser, url: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    let jsBytes = 0;
    page.on('requestfinished', (request) => {
      if (request.resourceType() === 'script')
        void request
          .sizes()
          .then((sizes) => (jsBytes += sizes.responseBodySize))
          .catch(() => undefined);
    });
    await page.addInitScript({ content: probe });
    await page.goto(url);
    await page
      .waitForFunction(() => Object.keys((window as unknown as { __paintMarks: object }).__paintMarks ?? {}).length >= 3, null, {
        timeout: 60_000,
        polling: 100,
      })
      .catch(async (error: unknown) => {
        const state = await page.evaluate(() => ({
          marks: (window as unknown as { __paintMarks: object }).__paintMarks,
          kpis: [...document.querySelectorAll('[data-kind=kpi]')].map(
            (tile) => tile.querySelector('[data-testid=kpi-value]')?.textContent ?? null,
          ),
          boxes: [...document.querySelectorAll('.wall [role=img]')].map(
            (box) => `${box.closest('[data-panel]')?.getAttribute('data-panel')}:${box.querySelector('canvas') ? 'drawn' : 'empty'}`,
          ),
        }));
        throw new Error(`${url}: the wall did not get there in 60 s: ${JSON.stringify(state)}`, { cause: error });
      });
    const marks = await page.evaluate(() => (window as unknown as { __paintMarks: Record<string, number> }).__paintMarks);
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    return { fcp, meaningful: marks.meaningful!, firstChart: marks.firstChart!, allCharts: marks.allCharts!, jsBytes };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

console.log(`[wall-paint] starting the backend and building the frontend…`);
const stack = await startStack();
const targets: Array<{ label: string; url: string }> = [{ label: 'this build', url: stack.url }];
let comparison: Awaited<ReturnType<typeof preview>> | null = null;
if (compareDir) {
  const port = await freePort();
  const proxy = {
    '/api': { target: stack.backendUrl, changeOrigin: false },
    '/socket.io': { target: stack.backendUrl, ws: true, changeOrigin: false },
  };
  comparison = await preview({
    root: frontendDir,
    configFile: path.join(frontendDir, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: compareDir },
    preview: { host: '127.0.0.1', port, strictPort: true, proxy },
  });
  targets.unshift({ label: path.basename(compareDir), url: `http://127.0.0.1:${port}` });
}
const browser = await launchBrowser();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: frontendDir, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
})();
try {
  const results = new Map<string, Sample[]>(targets.map((t) => [t.label, []]));
  const token = encodeURIComponent(stack.tokens.viewer);
  // one warm-up load each (the backend's first queries plan and cache), not counted
  for (const target of targets) await sample(browser, `${target.url}/wall?token=${token}`);
  for (let run = 1; run <= runs; run++)
    for (const target of targets) {
      const s = await sample(browser, `${target.url}/wall?token=${token}`);
      results.get(target.label)!.push(s);
      console.log(
        `[wall-paint] ${target.label.padEnd(12)} run ${run}: fcp ${s.fcp.toFixed(0)} ms, meaningful ${s.meaningful.toFixed(0)} ms, ` +
          `first chart ${s.firstChart.toFixed(0)} ms, all charts ${s.allCharts.toFixed(0)} ms, JS ${(s.jsBytes / 1024).toFixed(0)} KB`,
      );
    }
  console.log(
    `\n[wall-paint] commit ${commit}, ${runs} cold loads each, 1920×1080, Chromium headless; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${'build'.padEnd(14)}${['fcp', 'meaningful', 'first chart', 'all charts'].map((h) => h.padStart(12)).join('')}  (median ms)   JS KB`,
  );
  for (const [label, samples] of results)
    console.log(
      `${label.padEnd(14)}${(['fcp', 'meaningful', 'firstChart', 'allCharts'] as const)
        .map((key) =>
          median(samples.map((s) => s[key]))
            .toFixed(0)
            .padStart(12),
        )
        .join('')}               ${(median(samples.map((s) => s.jsBytes)) / 1024).toFixed(0).padStart(6)}`,
    );
} finally {
  await browser.close();
  if (comparison) await new Promise<void>((resolve) => comparison!.httpServer.close(() => resolve()));
  await stack.stop();
}

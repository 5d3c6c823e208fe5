/**
 * Soak: drives the wall with thousands of live updates (and page turns) against the real backend, and prints
 * the page's JS heap (after a forced garbage collection) before and after. Not part of the test suite.
 *
 *   npm run soak -w @dxoc/frontend -- [thousands of updates per round, default 10] [rounds, default 3] [points per batch, default 250]
 *
 * The heap is printed after every round: the panels' buffers fill up to their bounds in the first round, after
 * that the number must stay flat.
 */
import type { CDPSession } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser';
import { PROVINCES } from '../e2e/support/demo-data';
import { startStack } from '../e2e/support/stack';

const thousands = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 3);
const perBatch = Number(process.argv[4] ?? 250);
const total = thousands * 1000;

async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}
/** Millisecond ISO time in Viet Nam: every soak value has its own time. */
const vnIsoMs = (ms: number) => `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 23)}+07:00`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

console.log(`[soak] starting the backend and building the frontend…`);
const stack = await startStack();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}`);
  await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 30_000 });
  await page.waitForTimeout(3000);
  const firstPage = await page.getAttribute('.wall', 'data-page');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const before = await heap(cdp);
  const chartsBefore = await page.evaluate(() => (window as unknown as { __dxocCharts: { alive: number } }).__dxocCharts.alive);
  console.log(`[soak] heap before: ${mb(before)} (${chartsBefore} charts alive); pushing ${total.toLocaleString('vi-VN')} values…`);

  const started = Date.now();
  // times advance 1 ms per value from an hour ago: never in the future, counters never go backwards
  const origin = started - 60 * 60_000;
  let k = 0;
  let ndxp = 2_000_000_000;
  let batch = 0;
  let sent = 0;
  const heaps: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    let inRound = 0;
    while (inRound < total) {
      const points = [];
      for (let i = 0; i < perBatch && inRound + points.length < total; i++) {
        const ts = vnIsoMs(Math.min(origin + k++, Date.now()));
        const kind = i % 3;
        if (kind === 0) points.push({ metric: 'ndxp.transactions', unit: 'VN', ts, value: (ndxp += 1 + (i % 7)) });
        else if (kind === 1)
          points.push({
            metric: 'einvoice.issued',
            unit: PROVINCES[(batch * perBatch + i) % PROVINCES.length]!,
            ts,
            value: 1000 + ((batch * 31 + i) % 5000),
          });
        else
          points.push({
            metric: 'onestop.applications_received',
            unit: PROVINCES[(batch + i) % PROVINCES.length]!,
            ts,
            value: 10 + (i % 90),
          });
      }
      const response = await fetch(`${stack.backendUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${stack.tokens.agentKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ batchId: `soak-${started}-${batch}`, points }),
      });
      if (response.status === 429) {
        await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      if (response.status !== 202) throw new Error(`ingest: ${response.status} ${(await response.text()).slice(0, 400)}`);
      inRound += points.length;
      sent += points.length;
      batch++;
      // turn a page every 20 batches: charts are created and disposed all along
      if (batch % 20 === 0) await page.keyboard.press('ArrowRight');
      await new Promise((r) => setTimeout(r, 50));
    }
    // back on the page measured first, so every number is for the same panels
    for (let i = 0; i < 10 && (await page.getAttribute('.wall', 'data-page')) !== firstPage; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(5000);
    heaps.push(await heap(cdp));
    console.log(`[soak] round ${round}: ${sent.toLocaleString('vi-VN')} values sent, heap ${mb(heaps.at(-1)!)}`);
  }
  const after = heaps.at(-1)!;
  const stats = await page.evaluate(() => ({
    ...(window as unknown as { __dxocCharts: { alive: number; created: number; disposed: number } }).__dxocCharts,
    domNodes: document.getElementsByTagName('*').length,
  }));
  console.log(`[soak] ${sent.toLocaleString('vi-VN')} values in ${((Date.now() - started) / 1000).toFixed(0)} s, ${batch} batches`);
  console.log(
    `[soak] heap before: ${mb(before)}  after: ${mb(after)}  (${after >= before ? '+' : ''}${mb(after - before)}); after the first round: ${heaps.length > 1 ? `${after >= heaps[0]! ? '+' : ''}${mb(after - heaps[0]!)}` : 'n/a'}`,
  );
  console.log(`[soak] charts alive ${stats.alive}, created ${stats.created}, disposed ${stats.disposed}; DOM nodes ${stats.domNodes}`);
} finally {
  await browser.close();
  await stack.stop();
}

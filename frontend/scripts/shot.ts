// Development helper: a screenshot of a page.  npx tsx frontend/scripts/shot.ts <url> <out.png> [width] [height] [waitMs]
import { launchBrowser } from '../e2e/support/browser';

const [url, out, width = '1920', height = '1080', wait = '4000'] = process.argv.slice(2);
if (!url || !out) throw new Error('usage: shot.ts <url> <out.png> [width] [height] [waitMs]');
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log('[console]', m.type(), m.text());
});
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url);
await page.waitForTimeout(Number(wait));
await page.screenshot({ path: out });
await browser.close();
console.log(out);

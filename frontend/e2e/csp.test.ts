/**
 * The wall, the console and the API docs under their Content-Security-Policy, in Debian's Chromium: every page is
 * opened and used, and the browser must report no violation. The web app's policy comes from
 * frontend/security-headers.json (vite preview here, nginx in production); the docs' from the backend (helmet).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { shippedPages } from './support/pages';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

/** A host name that is not "localhost" nor "127.0.0.1" (Swagger UI behaves differently on those) for this machine. */
const DOCS_HOST = 'dxoc-api.test';

const expected = JSON.parse(readFileSync(path.join(frontendDir, 'security-headers.json'), 'utf8')) as Record<string, unknown>;
const WEB_APP_CSP = (expected['Content-Security-Policy'] as string[]).join('; ');

let stack: Stack;
let browser: Browser;
let pageIds: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser([`--host-resolver-rules=MAP ${DOCS_HOST} 127.0.0.1`])]);
  const pages = await stack.api<{ pages: Array<{ id: string }> }>('GET', '/api/v1/dashboards', undefined, stack.tokens.viewer);
  pageIds = pages.body.pages.map((p) => p.id);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/**
 * Every violation the browser reports in this context: the securitypolicyviolation events of each document (the
 * listener is added before any script of the page runs) and Chromium's console messages about the policy.
 */
async function watchedContext(): Promise<{ context: BrowserContext; violations: string[] }> {
  const violations: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(`${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}`);
    });
  });
  context.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(`console: ${message.text()}`);
  });
  context.on('weberror', (error) => console.error('[csp pageerror]', error.error().message));
  return { context, violations };
}

const cspOf = (response: Pick<Response, 'headers'> | null) => response?.headers()['content-security-policy'];

describe('Content-Security-Policy', () => {
  it('the wall: every page, live over the websocket, draws with no violation, and its document carries the policy', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    expect(pageIds.length).toBe(shippedPages);
    for (const id of pageIds) {
      const response = await page.goto(`${stack.url}/wall?token=${encodeURIComponent(stack.tokens.viewer)}&page=${id}`);
      expect(cspOf(response), id).toBe(WEB_APP_CSP);
      expect(response?.headers()).toMatchObject({
        'x-content-type-options': expected['X-Content-Type-Options'],
        'referrer-policy': expected['Referrer-Policy'],
        'x-frame-options': expected['X-Frame-Options'],
      });
      // live: the socket.io websocket to the same origin (ws:) went through connect-src 'self'
      await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid=org-name]')?.textContent !== '');
      await page.waitForFunction(() => document.querySelectorAll('.wall canvas, .wall svg').length > 0, null, { timeout: 60_000 });
      await page.waitForTimeout(800);
    }
    // the app's scripts and styles are files of its own origin, served with the same headers
    const script = await page.$eval('script[type=module][src]', (node) => (node as HTMLScriptElement).src);
    expect(cspOf(await page.request.get(script))).toBe(WEB_APP_CSP);
    expect(violations).toEqual([]);
    // the watch itself works: an inline script is refused and reported
    await page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    expect(violations.some((text) => text.includes('script-src'))).toBe(true);
    await context.close();
  });

  it('the console: sign-in and every section, with no violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    const response = await page.goto(`${stack.url}/console`);
    expect(cspOf(response)).toBe(WEB_APP_CSP);
    await page.fill('input[name=username]', 'staff1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=principal]');
    // no alert has fired here: the alerts section says so once its list is loaded
    await page.waitForSelector('.page .empty, [data-testid=alerts-table]');
    await page.click('.page-head .tabs button:nth-child(2)');
    await page.waitForSelector('.page .empty, [data-testid=alerts-table]');
    await page.click('a[href="/console/rules"]');
    await page.waitForSelector('[data-testid=new-rule]');
    await page.click('a[href="/console/explore"]');
    await page.click('[data-testid=explore-load]');
    await page.waitForSelector('[data-testid=explore-table] tbody tr');
    await page.click('a[href="/console/targets"]');
    await page.waitForSelector('[data-testid=targets-table] tbody tr');
    await page.click('a[href="/console/notifications"]');
    await page.waitForSelector('[data-testid=silences] .empty, [data-testid=silences-table]');
    await page.click('a[href="/console/units"]');
    await page.waitForSelector('[data-testid=units-table] tbody tr [data-testid=unit-indicator-link]', { timeout: 30_000 });
    await page.click('[data-testid=units-table] tbody tr [data-testid=unit-indicator-link]');
    await page.waitForSelector('[data-testid=unit-indicator]');
    await page.waitForTimeout(800);
    // a deep link loads the same document with the same headers
    const reloaded = await page.reload();
    expect(cspOf(reloaded)).toBe(WEB_APP_CSP);
    await page.waitForSelector('[data-testid=unit-indicator]');
    await page.waitForTimeout(500);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the API docs (Swagger UI, on a host name that is not localhost) render under the backend policy with no violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    const port = new URL(stack.backendUrl).port;
    const response = await page.goto(`http://${DOCS_HOST}:${port}/api/docs/`);
    expect(cspOf(response)).toContain("script-src 'self'");
    await page.waitForSelector('.swagger-ui .info .title');
    await page.waitForSelector('.swagger-ui .opblock');
    await page.waitForTimeout(800);
    expect(violations).toEqual([]);
    await context.close();
  });
});

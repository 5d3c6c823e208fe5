/**
 * The second factor in the console, in Debian's Chromium against the real backend on the embedded database: a staff
 * user enrols on the Security page (the secret shown once, confirmed with a code made here with otplib from it),
 * signs out, and signs in again — the code field appears only when the server answers totp_required.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
import { startRunStack } from './support/run-stack';

const STEP_SECONDS = 30;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(path.join(frontendDir, 'test-artifacts'), { recursive: true });
  [stack, browser] = await Promise.all([startRunStack(), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function fillLogin(page: Page, username: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
}

/**
 * The code of the app for a step after `afterStep` (each code is taken once) and within the server's ±1 step: the
 * current step if it is later, else the next one.
 */
function nextCode(secret: string, afterStep: number): Promise<{ code: string; step: number }> {
  const step = Math.max(Math.floor(Date.now() / 1000 / STEP_SECONDS), afterStep + 1);
  return generate({ secret, epoch: step * STEP_SECONDS }).then((code) => ({ code, step }));
}

describe('second factor in the console', () => {
  it('a staff user enrols on the Security page, then signs in with password and code', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
    await page.goto(`${stack.url}/console`);
    // no second factor yet: password alone, no code field
    await fillLogin(page, 'staff1');
    await page.waitForSelector('[data-testid=principal]');

    await page.click('a[href="/console/security"]');
    await page.waitForSelector('[data-testid=totp-state][data-enabled=false]');
    await page.click('[data-testid=totp-enrol]');
    const secret = await (await page.waitForSelector('[data-testid=totp-secret]')).inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = await page.inputValue('[data-testid=totp-uri]');
    expect(uri).toMatch(/^otpauth:\/\/totp\/dxoc:staff1\?/);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);

    const confirm = await nextCode(secret, 0);
    await page.fill('[data-testid=totp-confirm-code]', confirm.code);
    await page.click('[data-testid=totp-confirm]');
    await page.waitForSelector('[data-testid=totp-state][data-enabled=true]');
    // the secret is not on the page any more, nor answered by the status
    expect(await page.$('[data-testid=totp-secret]')).toBeNull();
    expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: path.join(frontendDir, 'test-artifacts', 'console-security-totp.png') });

    await page.click('button:has-text("Đăng xuất")');
    await page.waitForSelector('input[name=username]');
    expect(await page.$('input[name=totpCode]')).toBeNull();
    await fillLogin(page, 'staff1');
    // the server asks for the code: the field appears, with the reason in Vietnamese
    await page.waitForSelector('input[name=totpCode]');
    expect(await page.textContent('[role=alert]')).toContain('xác thực hai lớp');
    expect(await page.$('[data-testid=principal]')).toBeNull();

    await page.fill('input[name=totpCode]', '000000');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[role=alert]')?.textContent?.includes('Mã xác thực sai'));
    expect(await page.$('[data-testid=principal]')).toBeNull();

    const login = await nextCode(secret, confirm.step);
    await page.fill('input[name=totpCode]', login.code);
    await page.click('button[type=submit]');
    expect(await (await page.waitForSelector('[data-testid=principal]')).textContent()).toContain('staff1');

    // off again with the password (a lost phone), from the same page
    await page.click('a[href="/console/security"]');
    await page.waitForSelector('[data-testid=totp-state][data-enabled=true]');
    await page.fill('.security-disable input[name=password]', PASSWORD);
    await page.click('[data-testid=totp-disable]');
    await page.waitForSelector('[data-testid=totp-state][data-enabled=false]');
    await context.close();
  });
});

/**
 * Staff and admins do their job in the console (issue 13 part 5), in Debian's Chromium against the real backend on
 * the embedded database: an admin creates a user (a form error first, in Vietnamese) and a viewer token (the secret
 * shown once, then the token opens the wall and reads the API until it is revoked); staff create and edit a target;
 * the audit log filtered by who shows those changes, each with its before/after.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { frontendDir, PASSWORD, type Stack } from './support/stack';
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

async function signIn(username: string, password = PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[console pageerror]', error.message));
  // revoke, disable and retire ask for a confirmation
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${stack.url}/console`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=principal]');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });
const navLabels = (page: Page) => page.$$eval('.console-nav a', (links) => links.map((a) => a.textContent ?? ''));

describe('staff and admins in the console', () => {
  it('an admin creates a user, after a specific message for a short password', async () => {
    const page = await signIn('admin');
    expect(await navLabels(page)).toEqual(expect.arrayContaining(['Mã xem', 'Người dùng']));
    await page.click('a[href="/console/users"]');
    await page.waitForSelector('[data-testid=users-table] tr[data-username=staff1]');

    await page.fill('[data-testid=user-form] input[name=username]', 'phong.cds');
    await page.selectOption('[data-testid=user-form] select[name=role]', 'operator');
    await page.fill('[data-testid=user-form] input[name=password]', 'ngan');
    await page.click('[data-testid=user-create]');
    // the form says what is wrong with each field, in Vietnamese, and sends nothing
    await page.waitForSelector('.field.has-error');
    const errors = await page.$$eval('.field-error', (nodes) => nodes.map((n) => n.textContent));
    expect(errors).toEqual(expect.arrayContaining(['Tối thiểu 12 ký tự', 'Cán bộ đơn vị phải gắn với một đơn vị']));
    expect(await page.$('[data-testid=users-table] tr[data-username="phong.cds"]')).toBeNull();

    await page.selectOption('[data-testid=user-form] select[name=unitCode]', '79');
    await page.fill('[data-testid=user-form] input[name=password]', 'mat-khau-ban-dau-2026');
    await page.click('[data-testid=user-create]');
    const row = await page.waitForSelector('[data-testid=users-table] tr[data-username="phong.cds"]');
    expect(await row.textContent()).toContain('Cán bộ đơn vị');
    await shot(page, 'console-users.png');
    // the new account signs in with the typed password and is bound to its unit
    const login = await stack.api<{ user: { role: string; unitCode: string } }>('POST', '/api/v1/auth/login', {
      username: 'phong.cds',
      password: 'mat-khau-ban-dau-2026',
    });
    expect(login).toMatchObject({ status: 200, body: { user: { role: 'operator', unitCode: '79' } } });

    // disabled from the console: it can no longer sign in
    await row.$eval('[data-testid=user-toggle]', (button) => (button as HTMLButtonElement).click());
    await page.waitForSelector('[data-testid=users-table] tr[data-username="phong.cds"][data-disabled=true]');
    const refused = await stack.api('POST', '/api/v1/auth/login', { username: 'phong.cds', password: 'mat-khau-ban-dau-2026' });
    expect(refused.status).toBe(401);
    await page.context().close();
  });

  it('an admin creates a viewer token: the secret is shown once, opens the wall, and stops working when revoked', async () => {
    const page = await signIn('admin');
    await page.click('a[href="/console/viewer-tokens"]');
    await page.waitForSelector('[data-testid=viewer-tokens-page]');
    // an empty name is refused in words, without a request
    await page.click('[data-testid=viewer-token-create]');
    expect(await (await page.waitForSelector('.field-error')).textContent()).toBe('Bắt buộc nhập');

    await page.fill('input[name=tokenName]', 'Phòng họp tầng 3');
    await page.click('[data-testid=viewer-token-create]');
    const secret = await (await page.waitForSelector('[data-testid=viewer-token-secret]')).inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await page.textContent('[data-testid=viewer-token-once]')).toContain('sẽ không được hiển thị lại');
    await page.waitForSelector('[data-testid=viewer-tokens-table] tr[data-token-name="Phòng họp tầng 3"]');
    await shot(page, 'console-viewer-token-created.png');
    await page.click('[data-testid=viewer-token-dismiss]');
    await page.waitForSelector('[data-testid=viewer-token-secret]', { state: 'detached' });
    // gone from the page, and the list never carries it
    expect(await page.content()).not.toContain(secret);
    const listed = await stack.api('GET', '/api/v1/viewer-tokens', undefined, stack.tokens.admin);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // the token reads the API as a viewer and opens the wall
    const me = await stack.api<{ role: string; name: string }>('GET', '/api/v1/auth/me', undefined, secret);
    expect(me).toMatchObject({ status: 200, body: { role: 'viewer', name: 'viewer-token:Phòng họp tầng 3' } });
    const wall = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await wall.goto(`${stack.url}/wall?token=${encodeURIComponent(secret)}`);
    await wall.waitForSelector('[data-testid=page-title]');
    await wall.close();

    // its use is shown; revoking it (after the confirmation) ends it
    await page.click('a[href="/console/alerts"]');
    await page.click('a[href="/console/viewer-tokens"]');
    const row = '[data-testid=viewer-tokens-table] tr[data-token-name="Phòng họp tầng 3"]';
    await page.waitForSelector(row);
    expect(await page.textContent(`${row} [data-testid=token-last-used]`)).not.toBe('Chưa dùng');
    await page.click(`${row} [data-testid=viewer-token-revoke]`);
    await page.waitForSelector(`${row}[data-revoked=true]`);
    expect((await stack.api('GET', '/api/v1/auth/me', undefined, secret)).status).toBe(401);
    await page.context().close();
  });

  it('staff create and edit a target, and the audit log filtered by who shows both changes', async () => {
    const page = await signIn('staff1');
    // staff manage viewer tokens but not users
    const labels = await navLabels(page);
    expect(labels).toContain('Mã xem');
    expect(labels).not.toContain('Người dùng');

    await page.click('a[href="/console/targets"]');
    await page.click('[data-testid=target-new]');
    const form = '[data-testid=target-form]';
    await page.selectOption(`${form} select[name=metricCode]`, 'dvc.level4_share');
    await page.selectOption(`${form} select[name=unitCode]`, '79');
    await page.fill(`${form} input[name=value]`, '85,5');
    // a missing deadline and legal source are named, in Vietnamese
    await page.click('[data-testid=target-save]');
    await page.waitForSelector(`${form} .field-error`);
    const errors = await page.$$eval(`${form} .field-error`, (nodes) => nodes.map((n) => n.textContent));
    expect(errors).toEqual(expect.arrayContaining(['Ngày theo dạng 2026-12-31', 'Bắt buộc nhập']));

    await page.fill(`${form} input[name=deadline]`, '2029-12-31');
    await page.fill(`${form} input[name=legalSourceVi]`, 'Kế hoạch e2e 01/KH-UBND');
    await page.fill(`${form} input[name=legalSourceEn]`, 'Plan e2e 01/KH-UBND');
    await page.click('[data-testid=target-save]');
    await page.waitForSelector(form, { state: 'detached' });
    const created = await page.waitForSelector('tr[data-target-id]:has-text("Kế hoạch e2e 01/KH-UBND")');
    const id = Number(await created.getAttribute('data-target-id'));

    await created.$eval('[data-testid=target-edit]', (button) => (button as HTMLButtonElement).click());
    await page.fill(`${form} input[name=value]`, '90');
    await page.click('[data-testid=target-save]');
    await page.waitForSelector(form, { state: 'detached' });
    const targets = await stack.api<{ targets: { target: { id: number; value: number; deadline: string } }[] }>(
      'GET',
      '/api/v1/targets?unit=79',
      undefined,
      stack.tokens.admin,
    );
    expect(targets.body.targets.find((row) => row.target.id === id)?.target).toMatchObject({ value: 90, deadline: '2029-12-31' });

    await page.click('a[href="/console/audit"]');
    await page.fill('[data-testid=audit-filters] input[name=actor]', 'staff1');
    // the unfiltered list (which has these rows too) stays on screen until the filtered answer replaces it
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/audit') && r.url().includes('actor=staff1')),
      page.click('[data-testid=audit-apply]'),
    ]);
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-testid=audit-table] > tbody > tr > td:nth-child(2)')];
      return cells.length > 0 && cells.every((c) => c.textContent === 'staff1');
    });
    await page.waitForSelector('[data-testid=audit-table] tr[data-action="target.update"]');
    await page.waitForSelector('[data-testid=audit-table] tr[data-action="target.create"]');
    // only staff1's entries: the admin's user and token changes are filtered out on the server
    const actors = await page.$$eval('[data-testid=audit-table] > tbody > tr > td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(new Set(actors)).toEqual(new Set(['staff1']));
    const update = await page.textContent('[data-testid=audit-table] tr[data-action="target.update"] [data-testid=audit-diff]');
    expect(update).toContain('85.5');
    expect(update).toContain('90');
    await shot(page, 'console-audit-by-actor.png');

    // the admin's changes under the admin's name
    await page.fill('[data-testid=audit-filters] input[name=actor]', 'admin');
    await page.click('[data-testid=audit-apply]');
    await page.waitForSelector('[data-testid=audit-table] tr[data-action="viewer_token.revoke"]');
    await page.waitForSelector('[data-testid=audit-table] tr[data-action="user.create"]');
    await page.context().close();
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBackendCli, startBackendProcess } from '@dxoc/contracts/testing';
import { generate } from 'otplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { push } from './support/app';
import { freshServerDatabase } from './support/databases';

/** In the "server" project the CLI and `dxoc serve` work on a fresh database of the TimescaleDB server instead. */
const serverUrl = process.env.DXOC_TEST_DRIVER === 'server' ? (process.env.TEST_DATABASE_URL ?? null) : null;

const point = (value: number, unit = '79') => ({ metric: 'dvc.services_online', unit, ts: '2026-03-01T00:00:00+07:00', value });
const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

// Each step starts a real process (tsx + WASM Postgres): generous limits for a loaded 2-core machine.
describe(`dxoc CLI on ${serverUrl ? 'a TimescaleDB server' : 'the embedded database'}`, { timeout: 240_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let fresh: Awaited<ReturnType<typeof freshServerDatabase>> | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-cli-'));
    if (serverUrl) fresh = await freshServerDatabase(serverUrl);
    env = fresh ? { DATABASE_URL: fresh.url } : { DXOC_DATA_DIR: path.join(dir, 'data') };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fresh?.drop();
  });

  it('creates keys before and while the server runs, and a revoked key is refused at once', async () => {
    const before = await runBackendCli(['keys', 'create', '--unit', '79', '--name', 'HCMC one-stop shop'], env);
    expect(before.code, before.stderr).toBe(0);
    const firstKey = lastLine(before.stdout);
    expect(firstKey).toMatch(/^dxoc_[a-f0-9]{16}_[A-Za-z0-9_-]{43}$/);

    const server = await startBackendProcess(env);
    try {
      expect((await push(server.url, firstKey, { batchId: 'cli-1', points: [point(1200)] })).status).toBe(202);

      const during = await runBackendCli(['keys', 'create', '--unit', '01,79'], env);
      expect(during.code, during.stderr).toBe(0);
      // the embedded database is open in the server's process: the CLI goes through it; a server is shared by both
      if (!fresh) expect(during.stdout).toContain('through the running server');
      const secondKey = lastLine(during.stdout);
      expect((await push(server.url, secondKey, { batchId: 'cli-2', points: [point(5, '01')] })).status).toBe(202);

      const list = await runBackendCli(['keys', 'list'], env);
      expect(list.code, list.stderr).toBe(0);
      const firstId = firstKey.split('_')[1] as string;
      expect(list.stdout).toContain(firstId);
      expect(list.stdout).toContain('HCMC one-stop shop');
      // the secret is base64url and may itself contain '_': cut after the id, not at every underscore
      expect(list.stdout).not.toContain(firstKey.slice(`dxoc_${firstId}_`.length));

      const revoke = await runBackendCli(['keys', 'revoke', firstId], env);
      expect(revoke.code, revoke.stderr).toBe(0);
      const refused = await push(server.url, firstKey, { batchId: 'cli-3', points: [point(1300)] });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toContain('revoked');

      const migrate = await runBackendCli(['migrate'], env);
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain('up to date');
    } finally {
      await server.stop();
    }
    if (!fresh) expect(existsSync(`${env.DXOC_DATA_DIR}.lock`)).toBe(false);

    // the data survived the restart; reads need a viewer token, created by the CLI too
    const viewer = await runBackendCli(['viewer-tokens', 'create', '--name', 'Phòng họp'], env);
    expect(viewer.code, viewer.stderr).toBe(0);
    const viewerToken = lastLine(viewer.stdout);
    expect(viewerToken).toMatch(/^dxv_/);
    const again = await startBackendProcess(env);
    try {
      const unauthenticated = await fetch(`${again.url}/api/v1/series?metric=dvc.services_online&unit=79`);
      expect(unauthenticated.status).toBe(401);
      const series = (await fetch(`${again.url}/api/v1/series?metric=dvc.services_online&unit=79`, {
        headers: { authorization: `Bearer ${viewerToken}` },
      }).then((r) => r.json())) as { points: unknown[] };
      expect(series.points).toEqual([{ ts: '2026-02-28T17:00:00.000Z', value: 1200 }]);
    } finally {
      await again.stop();
    }
  });

  it('creates users with the password from DXOC_PASSWORD, and they can sign in', async () => {
    const created = await runBackendCli(['users', 'create', '--username', 'lan.staff', '--role', 'staff'], {
      ...env,
      DXOC_PASSWORD: 'correct horse battery',
    });
    expect(created.code, created.stderr).toBe(0);
    const operator = await runBackendCli(['users', 'create', '--username', 'hcm.ops', '--role', 'operator', '--unit', '79'], {
      ...env,
      DXOC_PASSWORD: 'another long secret',
    });
    expect(operator.code, operator.stderr).toBe(0);
    const noUnit = await runBackendCli(['users', 'create', '--username', 'bad.ops', '--role', 'operator'], {
      ...env,
      DXOC_PASSWORD: 'another long secret',
    });
    expect(noUnit.code).toBe(1);
    expect(noUnit.stderr).toContain('bound to one unit');
    const server = await startBackendProcess(env);
    try {
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'lan.staff', password: 'correct horse battery' }),
      });
      expect(login.status).toBe(200);
      expect(login.headers.get('set-cookie')).toMatch(/dxoc_session=dxs_[^;]+;.*HttpOnly/i);

      // a second factor whose phone is lost, the last admin's too: switched off from the command line
      const { token } = (await login.json()) as { token: string };
      const asStaff = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const enrolled = await fetch(`${server.url}/api/v1/auth/totp/enrol`, { method: 'POST', headers: asStaff });
      const { secret } = (await enrolled.json()) as { secret: string };
      const confirmed = await fetch(`${server.url}/api/v1/auth/totp/confirm`, {
        method: 'POST',
        headers: asStaff,
        body: JSON.stringify({ code: await generate({ secret }) }),
      });
      expect(confirmed.status).toBe(200);
      const signIn = () =>
        fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'lan.staff', password: 'correct horse battery' }),
        });
      expect(await signIn().then((r) => r.json())).toMatchObject({ error: 'totp_required' });
      const reset = await runBackendCli(['users', 'reset-totp', '--username', 'lan.staff'], env);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toContain('second factor of "lan.staff" switched off');
      expect((await signIn()).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('explains what is wrong with a keys command', async () => {
    const missing = await runBackendCli(['keys', 'create'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--unit');

    const dissolved = await runBackendCli(['keys', 'create', '--unit', '74'], env);
    expect(dissolved.code).toBe(1);
    expect(dissolved.stderr).toContain('"79"');

    const unknown = await runBackendCli(['keys', 'create', '--unit', 'XX'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown unit code "XX"');

    const revokeUnknown = await runBackendCli(['keys', 'revoke', '0000000000000000'], env);
    expect(revokeUnknown.code).toBe(1);
    expect(revokeUnknown.stderr).toContain('no agent key');
  });
});

describe('dxoc CLI against DATABASE_URL', () => {
  it('fails with one clear line when the server is unreachable', async () => {
    const result = await runBackendCli(['migrate'], { DATABASE_URL: 'postgres://dxoc:secret@127.0.0.1:1/dxoc' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach the database at postgres://dxoc:***@127.0.0.1:1/dxoc');
    expect(result.stderr).not.toContain('secret');
  });

  // The machine's plain PostgreSQL (no TimescaleDB) proves the missing-extension message.
  const plainPostgres = process.env.TEST_PLAIN_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  it('names the missing TimescaleDB extension and how to install it', async (context) => {
    const client = new pg.Client({ connectionString: plainPostgres, connectionTimeoutMillis: 2000 });
    // the machine's PostgreSQL may be restarted by others: its 'error' events would be unhandled errors that fail the
    // run with no test named; a lost connection also rejects the query in flight, which decides the test
    client.on('error', () => undefined);
    const reachable = await client.connect().then(
      () => true,
      () => false,
    );
    const hasTimescale =
      reachable && (await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`)).rowCount === 1;
    await client.end().catch(() => undefined);
    // Skipped with a reason where no plain PostgreSQL runs (the dev machines and CI here have one on :5432).
    if (!reachable || hasTimescale) return context.skip(`no PostgreSQL without TimescaleDB at ${plainPostgres}`);
    const result = await runBackendCli(['migrate'], { DATABASE_URL: plainPostgres });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('TimescaleDB extension is not installed');
    expect(result.stderr).toContain("shared_preload_libraries = 'timescaledb'");
  });
});

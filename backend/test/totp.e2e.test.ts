import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TOTP_ERRORS, type Role } from '@dxoc/contracts';
import { AuthRepository } from '../src/auth/auth.repository';
import { AuthService } from '../src/auth/auth.service';
import { LOGIN_LIMITS } from '../src/auth/login-throttle';
import { newTotpSecret } from '../src/auth/totp';
import { isSealed, open } from '../src/secrets/seal';
import { callJson, startTestServer, type TestServer } from './support/app';

const PASSWORD = 'a long enough password';
const STEP_MS = 30_000;
// the test servers' DXOC_SECRET_KEY (hex), and another one that does not open what this one sealed
const KEY = '7a'.repeat(32);
const OTHER_KEY = '3c'.repeat(32);

/**
 * The second factor over real HTTP and real SQL (the embedded database, or a TimescaleDB server with
 * TEST_DATABASE_URL). Codes are made here with otplib from the secret the enrolment answered, for the test
 * server's clock, which the test moves step by step: each code's time step is chosen, never waited for.
 */
describe('second factor (TOTP) for admin and staff accounts', () => {
  let server: TestServer;
  // the middle of a 30-second step, so that ±1 step is plain arithmetic
  let nowMs = Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2;
  let admin: string;

  const advance = (steps: number) => {
    nowMs += steps * STEP_MS;
  };
  /** The code of the step `offset` steps from the server's clock, as the user's app shows it. */
  const code = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor((nowMs + offset * STEP_MS) / 1000) });

  async function createUser(role: Role): Promise<string> {
    const username = `${role}-${Math.random().toString(36).slice(2, 10)}`;
    await server.app
      .get(AuthService)
      .createUser({ username, password: PASSWORD, role, unitCode: role === 'operator' ? '01' : null }, 'test');
    return username;
  }

  let sent = 0;
  /**
   * POST /api/v1/auth/login through the test server's trusted proxy (127.0.0.1) for the client `forwardedFor`, by
   * default a new address each time: the failures a test makes on purpose do not lock its next login.
   */
  async function login(
    body: { username: string; password: string; totpCode?: string },
    forwardedFor = `198.18.${Math.floor(sent / 250)}.${(sent++ % 250) + 1}`,
  ) {
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify(body),
    });
    return { status: response.status, cookie: response.headers.get('set-cookie'), body: (await response.json()) as Record<string, any> };
  }

  async function signIn(username: string, totpCode?: string): Promise<string> {
    const answer = await login({ username, password: PASSWORD, ...(totpCode ? { totpCode } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.token as string;
  }

  /** Enrols and confirms with the current code (its step is then taken); answers the secret. */
  async function enable(username: string): Promise<{ secret: string; token: string }> {
    const token = await signIn(username);
    const enrolled = await callJson(server.url, 'POST', '/api/v1/auth/totp/enrol', token);
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    const secret = enrolled.body.secret as string;
    const confirmed = await callJson(server.url, 'POST', '/api/v1/auth/totp/confirm', token, { code: await code(secret) });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    return { secret, token };
  }

  async function audit(action: string): Promise<Array<Record<string, any>>> {
    const answer = await callJson(server.url, 'GET', `/api/v1/audit?action=${action}&limit=1000`, admin);
    expect(answer.status).toBe(200);
    return answer.body.entries;
  }

  beforeAll(async () => {
    server = await startTestServer({
      clock: { now: () => new Date(nowMs) },
      env: { DXOC_TRUSTED_PROXIES: '127.0.0.1', DXOC_SECRET_KEY: KEY },
    });
    admin = await signIn(await createUser('admin'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is refused to operators, viewers and viewer tokens, with a reason', async () => {
    for (const role of ['operator', 'viewer'] as const) {
      const token = await signIn(await createUser(role));
      const answer = await callJson(server.url, 'POST', '/api/v1/auth/totp/enrol', token);
      expect(answer.status, role).toBe(403);
      expect(answer.body.message).toMatch(/admin or staff/);
      // and nothing was stored for them
      expect((await callJson(server.url, 'GET', '/api/v1/auth/totp', token)).body).toEqual({
        enabled: false,
        pending: false,
        enabledAt: null,
      });
    }
    const wall = await callJson(server.url, 'GET', '/api/v1/auth/totp', server.viewerToken);
    expect(wall).toMatchObject({ status: 403, body: { error: 'not_a_user' } });
  });

  it('enrols: the secret is answered once, pending locks nobody out, a wrong code does not switch it on', async () => {
    const staff = await createUser('staff');
    const token = await signIn(staff);
    const enrolled = await callJson(server.url, 'POST', '/api/v1/auth/totp/enrol', token);
    expect(enrolled.status).toBe(201);
    const { secret, otpauthUri } = enrolled.body as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits in base32
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(otpauthUri.startsWith(`otpauth://totp/dxoc:${staff}?`)).toBe(true);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('dxoc');

    expect((await callJson(server.url, 'GET', '/api/v1/auth/totp', token)).body).toEqual({
      enabled: false,
      pending: true,
      enabledAt: null,
    });
    // not confirmed: the password alone still signs in
    await signIn(staff);

    const wrong = await callJson(server.url, 'POST', '/api/v1/auth/totp/confirm', token, { code: await code(secret, 3) });
    expect(wrong).toMatchObject({ status: 400, body: { error: TOTP_ERRORS.invalid } });
    await signIn(staff);

    const confirmed = await callJson(server.url, 'POST', '/api/v1/auth/totp/confirm', token, { code: await code(secret) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ enabled: true, pending: false, enabledAt: new Date(nowMs).toISOString() });

    // the secret is never answered again: not by the status, the user list, a login or the audit log
    const users = await callJson(server.url, 'GET', '/api/v1/users', admin);
    expect(users.body.users.find((u: { username: string }) => u.username === staff)).toMatchObject({ totpEnabled: true });
    const again = await login({ username: staff, password: PASSWORD, totpCode: await code(secret, 1) });
    expect(again.status).toBe(200);
    expect(again.body.user.totpEnabled).toBe(true);
    const answers = [
      (await callJson(server.url, 'GET', '/api/v1/auth/totp', token)).body,
      users.body,
      again.body,
      (await callJson(server.url, 'GET', '/api/v1/audit?limit=1000', admin)).body,
      (await callJson(server.url, 'GET', '/api/openapi.json', null)).body,
    ];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(secret);
    expect((await audit('totp.enable')).map((e) => e.actor)).toContain(staff);

    // a second enrolment while it is on would replace the secret behind the user's back
    expect(await callJson(server.url, 'POST', '/api/v1/auth/totp/enrol', token)).toMatchObject({
      status: 409,
      body: { error: 'totp_already_enabled' },
    });
  });

  it('login asks for the code, refuses a wrong one and issues no session until both are right', async () => {
    const staff = await createUser('staff');
    const { secret } = await enable(staff);
    advance(1);

    const missing = await login({ username: staff, password: PASSWORD });
    expect(missing).toMatchObject({ status: 401, body: { error: TOTP_ERRORS.required } });
    expect(missing.body.token).toBeUndefined();
    expect(missing.cookie).toBeNull();
    // a wrong password is a wrong password, code or not: totp_required tells only the one who knows the password
    expect(await login({ username: staff, password: 'wrong password!' })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await login({ username: staff, password: 'wrong password!', totpCode: await code(secret) })).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });

    for (const totpCode of [await code(secret, 2), await code(secret, -2), '12345', 'abcdef', '1234567']) {
      const wrong = await login({ username: staff, password: PASSWORD, totpCode });
      expect(wrong, totpCode).toMatchObject({ status: 401, body: { error: TOTP_ERRORS.invalid } });
      expect(wrong.cookie).toBeNull();
    }
    const failures = (await audit('login.failure')).filter((e) => e.actor === staff).map((e) => e.after?.reason ?? null);
    expect(failures.sort()).toEqual([null, null, ...Array(5).fill(TOTP_ERRORS.invalid), TOTP_ERRORS.required].sort());

    const right = await login({ username: staff, password: PASSWORD, totpCode: ` ${(await code(secret)).replace(/^(\d{3})/, '$1 ')} ` });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.cookie).toContain('dxoc_session=');
    expect((await callJson(server.url, 'GET', '/api/v1/auth/me', right.body.token)).body.name).toBe(staff);
  });

  it('takes each code once, allows one step of clock skew either way and never an older step', async () => {
    const staff = await createUser('admin');
    const { secret } = await enable(staff); // step S taken
    const sameStep = await code(secret);
    expect(await login({ username: staff, password: PASSWORD, totpCode: sameStep })).toMatchObject({
      status: 401,
      body: { error: TOTP_ERRORS.invalid },
    });

    advance(2); // now S+2
    // the phone's clock a step behind: the code of S+1 is taken …
    const behind = await code(secret, -1);
    await signIn(staff, behind);
    // … and cannot be used again, at once or a step later
    expect((await login({ username: staff, password: PASSWORD, totpCode: behind })).body.error).toBe(TOTP_ERRORS.invalid);
    // a step ahead (S+3) is taken; two ahead (S+4) is not
    expect((await login({ username: staff, password: PASSWORD, totpCode: await code(secret, 2) })).body.error).toBe(TOTP_ERRORS.invalid);
    await signIn(staff, await code(secret, 1));
    // once S+3 is taken, the current step's code (S+2) is older: refused
    expect((await login({ username: staff, password: PASSWORD, totpCode: await code(secret) })).body.error).toBe(TOTP_ERRORS.invalid);
    advance(1); // S+3: its code was taken already
    expect((await login({ username: staff, password: PASSWORD, totpCode: await code(secret) })).body.error).toBe(TOTP_ERRORS.invalid);
    advance(1);
    await signIn(staff, await code(secret));
  });

  it('the same code sent twice at once signs in once', async () => {
    const staff = await createUser('staff');
    const { secret } = await enable(staff);
    advance(1);
    const totpCode = await code(secret);
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => login({ username: staff, password: PASSWORD, totpCode }, `198.51.100.${10 + i}`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401]);
    // the guard that holds when the reads of two instances interleave is the UPDATE's own condition: taking a step
    // that was taken already changes nothing, whatever the caller read before
    // (it compares the secret as stored: sealed)
    const repository = server.app.get(AuthRepository);
    const id = (await repository.findUserByName(staff))?.id as string;
    const stored = (await repository.findTotp(id))?.secret as string;
    const step = Math.floor(nowMs / STEP_MS);
    expect(await repository.takeTotpStep(id, stored, step, null)).toBe(false);
    expect(await repository.takeTotpStep(id, stored, step - 1, null)).toBe(false);
    expect(await repository.takeTotpStep(id, secret, step + 1, null)).toBe(false);
    expect(await repository.takeTotpStep(id, stored, step + 1, null)).toBe(true);
  });

  it('a missing or wrong code counts against the login throttle like a wrong password', async () => {
    const staff = await createUser('staff');
    const { secret } = await enable(staff);
    advance(1);
    const guesser = '203.0.113.77';
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
      const body = i % 2 === 0 ? { username: staff, password: PASSWORD } : { username: staff, password: PASSWORD, totpCode: '000000' };
      expect((await login(body, guesser)).status, `attempt ${i + 1}`).toBe(401);
    }
    // locked: even the right password and the right code are not looked at from there
    const locked = await login({ username: staff, password: PASSWORD, totpCode: await code(secret) }, guesser);
    expect(locked).toMatchObject({ status: 429, body: { error: 'too_many_login_attempts' } });
    expect((await audit('login.lockout')).filter((e) => e.target === staff && e.ip === guesser)).toHaveLength(1);
    // the owner elsewhere gets in, with the code the lockout did not take
    await signIn(staff, await code(secret));
  });

  it('switches off with a current code or the password; a wrong one counts as a failed login and leaves it on', async () => {
    const withCode = await createUser('staff');
    const first = await enable(withCode);
    advance(1);
    const wrongCode = await callJson(server.url, 'POST', '/api/v1/auth/totp/disable', first.token, { code: await code(first.secret, 3) });
    expect(wrongCode).toMatchObject({ status: 403, body: { error: TOTP_ERRORS.invalid } });
    expect((await callJson(server.url, 'POST', '/api/v1/auth/totp/disable', first.token, {})).status).toBe(400);
    expect((await callJson(server.url, 'GET', '/api/v1/auth/totp', first.token)).body.enabled).toBe(true);
    const off = await callJson(server.url, 'POST', '/api/v1/auth/totp/disable', first.token, { code: await code(first.secret) });
    expect(off).toMatchObject({ status: 200, body: { enabled: false, pending: false } });
    await signIn(withCode);

    const withPassword = await createUser('admin');
    const second = await enable(withPassword);
    const wrongPassword = await callJson(server.url, 'POST', '/api/v1/auth/totp/disable', second.token, { password: 'not the password' });
    expect(wrongPassword).toMatchObject({ status: 403, body: { error: 'wrong_password' } });
    const { rows } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM login_failure WHERE username = $1`, [
      withPassword,
    ]);
    expect(rows[0]?.n).toBe(1);
    expect((await callJson(server.url, 'POST', '/api/v1/auth/totp/disable', second.token, { password: PASSWORD })).status).toBe(200);
    await signIn(withPassword);
    expect(
      (await audit('totp.disable'))
        .filter((e) => [withCode, withPassword].includes(e.actor))
        .map((e) => e.after.proof)
        .sort(),
    ).toEqual(['code', 'password']);
  });

  it('an admin resets the second factor of a user who lost the phone, audited; staff may not', async () => {
    const staff = await createUser('staff');
    const { token } = await enable(staff);
    advance(1);
    const id = (await callJson(server.url, 'GET', '/api/v1/users', admin)).body.users.find(
      (u: { username: string }) => u.username === staff,
    ).id as string;
    expect((await login({ username: staff, password: PASSWORD })).body.error).toBe(TOTP_ERRORS.required);

    const otherStaff = await signIn(await createUser('staff'));
    expect((await callJson(server.url, 'DELETE', `/api/v1/users/${id}/totp`, otherStaff)).status).toBe(403);
    expect((await callJson(server.url, 'DELETE', `/api/v1/users/${id}/totp`, token)).status).toBe(403);
    expect((await callJson(server.url, 'DELETE', '/api/v1/users/no-such-user/totp', admin)).status).toBe(404);

    expect((await callJson(server.url, 'DELETE', `/api/v1/users/${id}/totp`, admin)).status).toBe(204);
    await signIn(staff);
    const resets = (await audit('user.totp_reset')).filter((e) => e.target === staff);
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatchObject({ before: { enabled: true, pending: false }, after: { enabled: false } });
    // the user may enrol again, with a new secret
    const again = await callJson(server.url, 'POST', '/api/v1/auth/totp/enrol', token);
    expect(again.status).toBe(201);
  });
  describe('the secret at rest', () => {
    const key = Buffer.from(KEY, 'hex');
    const stored = async (username: string) =>
      (await server.db.query<{ secret: string | null }>(`SELECT totp_secret AS secret FROM app_user WHERE username = $1`, [username]))
        .rows[0]?.secret ?? null;

    /** Another instance on the same database and clock; its JSON log lines (stdout) are kept while it starts and runs `body`. */
    async function withInstance(
      env: Record<string, string | undefined>,
      body: (other: TestServer, log: () => Array<Record<string, any>>) => Promise<void>,
    ) {
      const lines: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(
          ...String(chunk)
            .split('\n')
            .filter((line) => line.startsWith('{')),
        );
        return true;
      });
      let other: TestServer | undefined;
      try {
        other = await startTestServer({
          sameDatabaseAs: server,
          clock: { now: () => new Date(nowMs) },
          env: { DXOC_TRUSTED_PROXIES: '127.0.0.1', ...env },
        });
        await body(other, () => lines.map((line) => JSON.parse(line) as Record<string, any>));
      } finally {
        spy.mockRestore();
        await other?.close();
      }
    }

    async function loginAt(url: string, username: string, totpCode?: string) {
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.19.0.${(sent++ % 250) + 1}` },
        body: JSON.stringify({ username, password: PASSWORD, ...(totpCode ? { totpCode } : {}) }),
      });
      return { status: response.status, cookie: response.headers.get('set-cookie'), body: (await response.json()) as Record<string, any> };
    }

    it('is stored sealed with DXOC_SECRET_KEY, never as the base32 secret, and codes still sign in', async () => {
      const staff = await createUser('staff');
      const { secret } = await enable(staff);
      const value = (await stored(staff)) as string;
      expect(isSealed(value)).toBe(true);
      expect(value).not.toContain(secret);
      expect(open(key, value)).toBe(secret);
      advance(1);
      await signIn(staff, await code(secret));
    });

    it('a secret stored in clear text (before sealing) still verifies, and the next start seals it once', async () => {
      const staff = await createUser('admin');
      const secret = newTotpSecret();
      await server.db.query(`UPDATE app_user SET totp_secret = $2, totp_enabled_at = now() WHERE username = $1`, [staff, secret]);
      advance(1);
      await signIn(staff, await code(secret));

      await withInstance({ DXOC_SECRET_KEY: KEY, DXOC_LOG_LEVEL: 'info' }, async (other, log) => {
        const value = (await stored(staff)) as string;
        expect(isSealed(value)).toBe(true);
        expect(open(key, value)).toBe(secret);
        expect(log().find((line) => line.event === 'auth.totp_secrets_sealed')?.count).toBeGreaterThanOrEqual(1);
        // sealed by compare-and-set: an instance that read the clear value before changes nothing now
        const id = (await other.app.get(AuthRepository).findUserByName(staff))?.id as string;
        expect(await other.app.get(AuthRepository).replaceTotpSecret(id, secret, 'v1.other.instance.value')).toBe(false);
        expect(await stored(staff)).toBe(value);
        advance(1);
        expect((await loginAt(other.url, staff, await code(secret))).status).toBe(200);
      });
      advance(1);
      await signIn(staff, await code(secret));
    });

    it('under another DXOC_SECRET_KEY a code is not judged: 503 totp_unreadable, said in the log, and an admin reset recovers', async () => {
      const staff = await createUser('staff');
      const { secret } = await enable(staff);
      advance(1);
      await withInstance({ DXOC_SECRET_KEY: OTHER_KEY }, async (other, log) => {
        // at start: the secrets it cannot open are counted (those of the tests above, and this one)
        expect(log().find((line) => line.event === 'auth.totp_secrets_unreadable')).toMatchObject({ level: 'error' });
        const refused = await loginAt(other.url, staff, await code(secret));
        expect(refused).toMatchObject({ status: 503, body: { error: TOTP_ERRORS.unreadable } });
        expect(refused.cookie).toBeNull();
        expect(refused.body.message).toMatch(/administrator/);
        // no internals: neither the cipher's complaint nor a stack
        expect(JSON.stringify(refused.body)).not.toMatch(/authenticate data|decipher|at .*\.ts/i);
        const id = (await other.app.get(AuthRepository).findUserByName(staff))?.id as string;
        expect(log().filter((line) => line.event === 'auth.totp_secret_unreadable')).toEqual([
          expect.objectContaining({ level: 'error', userId: id, message: expect.stringMatching(/DXOC_SECRET_KEY/) }),
        ]);
        // the code was not used up: the instance with the right key still takes it
        expect((await loginAt(server.url, staff, await code(secret))).status).toBe(200);
        // the way out when the key is lost: an admin resets the second factor, the password alone signs in
        expect((await callJson(other.url, 'DELETE', `/api/v1/users/${id}/totp`, admin)).status).toBe(204);
        expect((await login({ username: staff, password: PASSWORD })).status).toBe(200);
      });
    });

    it('with a PostgreSQL server and no DXOC_SECRET_KEY it stays in clear text, said at every start, and is sealed once a key is set', async () => {
      const staff = await createUser('staff');
      let secret = '';
      await withInstance({ DATABASE_URL: 'postgres://unused.invalid/dxoc', DXOC_SECRET_KEY: undefined }, async (other, log) => {
        expect(log().find((line) => line.event === 'auth.totp_secrets_unsealed')).toMatchObject({
          level: 'warn',
          message: expect.stringMatching(/clear text/),
        });
        const token = (await loginAt(other.url, staff)).body.token as string;
        const enrolled = await callJson(other.url, 'POST', '/api/v1/auth/totp/enrol', token);
        expect(enrolled.status).toBe(201);
        secret = enrolled.body.secret as string;
        expect(await stored(staff)).toBe(secret);
        expect((await callJson(other.url, 'POST', '/api/v1/auth/totp/confirm', token, { code: await code(secret) })).status).toBe(200);
        advance(1);
        expect((await loginAt(other.url, staff, await code(secret))).status).toBe(200);
      });
      await withInstance({ DXOC_SECRET_KEY: KEY }, async () => {
        expect(open(key, (await stored(staff)) as string)).toBe(secret);
      });
    });
  });
});

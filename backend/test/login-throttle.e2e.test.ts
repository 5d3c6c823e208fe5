import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../src/auth/auth.service';
import { LOGIN_LIMITS } from '../src/auth/login-throttle';
import { callJson, startTestServer, type TestServer } from './support/app';
import { login } from './support/raw-http';

const PASSWORD = 'the right password, long enough';
/** Up to 50 failed logins in a row, each a 32 MiB scrypt verification: far beyond the default on a loaded machine. */
const MANY_LOGINS = { timeout: 240_000 };

/**
 * Login throttling over real HTTP. The test server trusts 127.0.0.1 as its reverse proxy, so X-Forwarded-For names
 * the client; requests sent from 127.0.0.2 come from an untrusted address, whose X-Forwarded-For is ignored.
 */
describe('login throttling', () => {
  let server: TestServer;
  let auditor: string;

  async function createUser(role: 'admin' | 'staff'): Promise<string> {
    const username = `${role}-${Math.random().toString(36).slice(2, 10)}`;
    await server.app.get(AuthService).createUser({ username, password: PASSWORD, role, unitCode: null }, 'test');
    return username;
  }

  async function lockouts(): Promise<Array<{ actor: string; target: string; ip: string; after: { scope: string } }>> {
    const answer = await callJson(server.url, 'GET', '/api/v1/audit?action=login.lockout&limit=100', auditor);
    expect(answer.status).toBe(200);
    return answer.body.entries;
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_TRUSTED_PROXIES: '127.0.0.1' } });
    const username = await createUser('admin');
    auditor = (await login(server.url, username, PASSWORD, { forwardedFor: '192.0.2.250' })).body.token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('30 failed logins for made-up usernames lock their address, never the admin signing in from elsewhere', MANY_LOGINS, async () => {
    const admin = await createUser('admin');
    const attacker = '203.0.113.7';
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      const answer = await login(server.url, `nobody-${i}`, 'guess', { forwardedFor: attacker });
      expect(answer.status, `attempt ${i + 1}`).toBe(401);
    }
    // the attacker's address is locked, for real usernames too, with a Retry-After …
    const locked = await login(server.url, admin, 'another guess', { forwardedFor: attacker });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('too_many_login_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_LIMITS.windowMs / 1000);
    // … while the admin, from another address behind the same proxy, signs in
    const signedIn = await login(server.url, admin, PASSWORD, { forwardedFor: '198.51.100.20' });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    // the lockout is audited once, naming the address
    expect((await lockouts()).filter((entry) => entry.target === attacker)).toEqual([
      expect.objectContaining({ ip: attacker, after: expect.objectContaining({ scope: 'address' }) }),
    ]);
  });

  it('an untrusted client cannot pick its address with X-Forwarded-For', MANY_LOGINS, async () => {
    const staff = await createUser('staff');
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      const answer = await login(server.url, `ghost-${i}`, 'guess', { localAddress: '127.0.0.2', forwardedFor: `198.18.0.${i + 1}` });
      expect(answer.status, `attempt ${i + 1}`).toBe(401);
    }
    const locked = await login(server.url, staff, PASSWORD, { localAddress: '127.0.0.2', forwardedFor: '198.18.1.1' });
    expect(locked.status).toBe(429);
    expect((await lockouts()).some((entry) => entry.target === '127.0.0.2' && entry.after.scope === 'address')).toBe(true);
    // its own address is locked, not the proxy's: the same user through the proxy still gets in
    expect((await login(server.url, staff, PASSWORD, { forwardedFor: '198.18.1.1' })).status).toBe(200);
  });

  it('guessing one account from one address locks that pair only: its owner signs in from another address', async () => {
    const staff = await createUser('staff');
    const guesser = '203.0.113.40';
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
      expect((await login(server.url, staff, `wrong ${i}`, { forwardedFor: guesser })).status).toBe(401);
    }
    // locked even with the right password: the guesser cannot tell it from a wrong one
    const locked = await login(server.url, staff, PASSWORD, { forwardedFor: guesser });
    expect(locked.status).toBe(429);
    expect(locked.body.details).toEqual({ scopes: ['account_address'] });
    expect((await login(server.url, staff, PASSWORD, { forwardedFor: '198.51.100.41' })).status).toBe(200);
    expect(
      (await lockouts()).some((entry) => entry.target === staff && entry.ip === guesser && entry.after.scope === 'account_address'),
    ).toBe(true);
  });

  it('a guess spread over many addresses locks the account for new addresses, not for one it signed in from', MANY_LOGINS, async () => {
    const staff = await createUser('staff');
    const home = '198.51.100.77';
    expect((await login(server.url, staff, PASSWORD, { forwardedFor: home })).status).toBe(200);
    const perAddress = LOGIN_LIMITS.perAccountAddress - 1;
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      const from = `203.0.114.${Math.floor(i / perAddress) + 1}`;
      expect((await login(server.url, staff, `wrong ${i}`, { forwardedFor: from })).status, `attempt ${i + 1}`).toBe(401);
    }
    const fresh = await login(server.url, staff, PASSWORD, { forwardedFor: '198.51.100.78' });
    expect(fresh.status).toBe(429);
    expect(fresh.body.details).toEqual({ scopes: ['account'] });
    expect((await login(server.url, staff, PASSWORD, { forwardedFor: home })).status).toBe(200);
    expect((await lockouts()).some((entry) => entry.target === staff && entry.after.scope === 'account')).toBe(true);
  });

  it('counts failures in the database: another instance on it sees the lockout', async () => {
    const other = await startTestServer({ sameDatabaseAs: server, env: { DXOC_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const staff = await createUser('staff');
      const guesser = '203.0.113.90';
      for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
        expect((await login(server.url, staff, `wrong ${i}`, { forwardedFor: guesser })).status).toBe(401);
      }
      const elsewhere = await login(other.url, staff, PASSWORD, { forwardedFor: guesser });
      expect(elsewhere.status).toBe(429);
      expect(Number(elsewhere.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});

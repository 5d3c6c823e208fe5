import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../src/auth/auth.service';
import { loadConfig } from '../src/config/config';
import { startTestServer, type TestServer } from './support/app';
import { login, rawRequest, type RawAnswer } from './support/raw-http';

const PASSWORD = 'the right password, long enough';

function sessionCookie(answer: RawAnswer): string {
  const cookies = (answer.headers['set-cookie'] ?? []) as string[];
  const cookie = cookies.find((line) => line.startsWith('dxoc_session='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return cookie;
}
const isSecure = (cookie: string) => cookie.split(';').some((part) => part.trim().toLowerCase() === 'secure');

/** The test server trusts 127.0.0.1 as its TLS-terminating proxy; requests from 127.0.0.2 come from elsewhere. */
describe('transport: Secure cookies and no-store', () => {
  let server: TestServer;
  let username: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_TRUSTED_PROXIES: '127.0.0.1' } });
    username = `admin-${Math.random().toString(36).slice(2, 10)}`;
    await server.app.get(AuthService).createUser({ username, password: PASSWORD, role: 'admin', unitCode: null }, 'test');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('marks the session cookie Secure when a trusted proxy says the request came over https', async () => {
    const answer = await login(server.url, username, PASSWORD, { forwardedProto: 'https' });
    expect(answer.status).toBe(200);
    expect(isSecure(sessionCookie(answer))).toBe(true);
    expect(sessionCookie(answer)).toMatch(/HttpOnly/i);
    expect(sessionCookie(answer)).toMatch(/SameSite=Strict/i);
    // logging out clears the cookie with the same attributes (a browser only replaces a Secure cookie with one)
    const token = answer.body.token as string;
    const logout = await rawRequest(server.url, 'POST', '/api/v1/auth/logout', {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-proto': 'https' },
    });
    expect(logout.status).toBe(204);
    expect(isSecure(sessionCookie(logout))).toBe(true);
  });

  it('ignores X-Forwarded-Proto from an untrusted address, and plain http is not Secure', async () => {
    const untrusted = await login(server.url, username, PASSWORD, { forwardedProto: 'https', localAddress: '127.0.0.2' });
    expect(untrusted.status).toBe(200);
    expect(isSecure(sessionCookie(untrusted))).toBe(false);
    const plain = await login(server.url, username, PASSWORD);
    expect(isSecure(sessionCookie(plain))).toBe(false);
  });

  it('DXOC_SECURE_COOKIES=always marks it Secure on any request', async () => {
    const forced = await startTestServer({ sameDatabaseAs: server, env: { DXOC_SECURE_COOKIES: 'always' } });
    try {
      const answer = await login(forced.url, username, PASSWORD);
      expect(answer.status).toBe(200);
      expect(isSecure(sessionCookie(answer))).toBe(true);
    } finally {
      await forced.close();
    }
  });

  it('answers every sign-in and secret-bearing request with Cache-Control: no-store', async () => {
    const signedIn = await login(server.url, username, PASSWORD);
    const refused = await login(server.url, username, 'wrong password');
    const bearer = { authorization: `Bearer ${signedIn.body.token as string}` };
    const me = await rawRequest(server.url, 'GET', '/api/v1/auth/me', { headers: bearer });
    const viewerToken = await rawRequest(server.url, 'POST', '/api/v1/viewer-tokens', { headers: bearer, body: { name: 'wall 1' } });
    const agentKey = await rawRequest(server.url, 'POST', '/api/v1/keys', { headers: bearer, body: { units: ['79'], name: 'agent 1' } });
    const logout = await rawRequest(server.url, 'POST', '/api/v1/auth/logout', { headers: bearer });
    const answers = { signedIn, refused, me, viewerToken, agentKey, logout };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      signedIn: 200,
      refused: 401,
      me: 200,
      viewerToken: 201,
      agentKey: 201,
      logout: 204,
    });
    for (const [name, answer] of Object.entries(answers)) expect(answer.headers['cache-control'], name).toBe('no-store');
  });
});

describe('DXOC_TRUSTED_PROXIES', () => {
  it('takes addresses, CIDRs and named ranges, and refuses anything else', () => {
    const base = { DXOC_DATA_DIR: '/nonexistent-unused' };
    expect(loadConfig(base).trustedProxies).toEqual([]);
    expect(loadConfig({ ...base, DXOC_TRUSTED_PROXIES: '10.0.0.5, 172.16.0.0/12,fd00::/8,loopback' }).trustedProxies).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.1/8/1', '*']) {
      expect(() => loadConfig({ ...base, DXOC_TRUSTED_PROXIES: bad }), bad).toThrow(/DXOC_TRUSTED_PROXIES/);
    }
  });
});

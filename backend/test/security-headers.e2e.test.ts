import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/app';
import { rawRequest, type RawAnswer } from './support/raw-http';

/** The policy as a map of directive → sources, so the assertion does not depend on helmet's order. */
function csp(answer: RawAnswer): Record<string, string[]> {
  const header = answer.headers['content-security-policy'];
  if (typeof header !== 'string') throw new Error(`no single Content-Security-Policy: ${JSON.stringify(header)}`);
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

const API_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
};

/** The test server trusts 127.0.0.1 as its TLS-terminating proxy; requests from 127.0.0.2 come from elsewhere. */
describe('security headers (helmet) on the backend', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends helmet headers and the API policy on JSON answers, errors included', async () => {
    const health = await rawRequest(server.url, 'GET', '/api/v1/health');
    const missing = await rawRequest(server.url, 'GET', '/api/v1/no-such-route');
    expect(missing.status).toBe(404);
    for (const answer of [health, missing]) {
      expect(csp(answer)).toEqual(API_POLICY);
      expect(answer.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'x-permitted-cross-domain-policies': 'none',
      });
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends the same policy on the Swagger UI page and its scripts, which are all same-origin files', async () => {
    const page = await rawRequest(server.url, 'GET', '/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(csp(page)).toEqual(API_POLICY);
    // the policy allows no inline script: the page must load every script from a file of its own
    const html = page.body as string;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body?.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes ?? '')?.[1] ?? '';
      expect(src).toMatch(/^\.\//);
      const script = await rawRequest(server.url, 'GET', new URL(src, `${server.url}/api/docs/`).pathname);
      expect([src, script.status]).toEqual([src, 200]);
      expect(csp(script)).toEqual(API_POLICY);
    }
  });

  it('keeps Cache-Control: no-store on /api/v1/auth answers', async () => {
    const refused = await rawRequest(server.url, 'POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'x' } });
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(csp(refused)).toEqual(API_POLICY);
  });

  it('sends Strict-Transport-Security only when the request came over TLS (a trusted proxy says https)', async () => {
    const secure = await rawRequest(server.url, 'GET', '/api/v1/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000');
    const plain = await rawRequest(server.url, 'GET', '/api/v1/health');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // X-Forwarded-Proto from an address that is not a trusted proxy is the client's word only
    const forged = await rawRequest(server.url, 'GET', '/api/v1/health', {
      headers: { 'x-forwarded-proto': 'https' },
      localAddress: '127.0.0.2',
    });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
    expect(csp(forged)).toEqual(API_POLICY);
  });

  it('DXOC_SECURE_COOKIES=always (TLS ends before an untrusted hop) sends it on every answer', async () => {
    const forced = await startTestServer({ sameDatabaseAs: server, env: { DXOC_SECURE_COOKIES: 'always' } });
    try {
      const answer = await rawRequest(forced.url, 'GET', '/api/v1/health');
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await forced.close();
    }
  });
});

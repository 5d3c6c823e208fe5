/**
 * Requests are validated by one zod pipe (ValidBody / ValidQuery with the contract's schema): a problem answers
 * 400 { error: 'invalid_query', message, details: [{ field, message }] }, and a malformed path id is answered
 * about the id first, whatever the body, as when each handler validated by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, getJson, signInAs, startTestServer, type TestServer } from './support/app';

describe('request validation', () => {
  let server: TestServer;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    staff = (await signInAs(server, 'staff')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a bad query string with every problem', async () => {
    const r = await getJson(server.url, '/api/v1/series?bucket=2h');
    expect(r.status).toBe(400);
    expect(Object.keys(r.body).sort()).toEqual(['details', 'error', 'message']);
    expect(r.body.error).toBe('invalid_query');
    expect(r.body.message).toMatch(/^invalid request: /);
    expect(r.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'metric' }), expect.objectContaining({ field: 'unit' })]),
    );
    for (const detail of r.body.details) expect(Object.keys(detail).sort()).toEqual(['field', 'message']);
  });

  it('answers a bad body, and a missing one, the same way (a missing body is validated as {})', async () => {
    const bad = await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_query');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['password', 'username']);
    const missing = await callJson(server.url, 'POST', '/api/v1/alerts/1/ack', staff);
    expect(missing).toEqual({
      status: 400,
      body: {
        error: 'invalid_query',
        message: 'invalid request: comment: Invalid input: expected string, received undefined',
        details: [{ field: 'comment', message: 'Invalid input: expected string, received undefined' }],
      },
    });
  });

  it('answers a malformed path id before looking at the body', async () => {
    expect(await callJson(server.url, 'PUT', '/api/v1/alert-rules/abc', staff, { nope: 1 })).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no alert rule with id "abc"' },
    });
    expect(await callJson(server.url, 'POST', '/api/v1/alerts/abc/ack', staff, {})).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no alert with id "abc"' },
    });
    expect(await callJson(server.url, 'PUT', '/api/v1/targets/abc', staff, {})).toEqual({
      status: 400,
      body: { error: 'http_error', message: 'Validation failed (numeric string is expected)' },
    });
  });

  it('answers a body that is not JSON with 415 on every route that reads one, naming the accepted types', async () => {
    const send = async (method: string, path: string, token: string | null, contentType: string | null, body: string | FormData) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (contentType) headers['content-type'] = contentType;
      const response = await fetch(`${server.url}${path}`, { method, headers, body });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    const form = new FormData();
    form.set('username', 'admin');
    const cases = [
      ['POST', '/api/v1/auth/login', null, 'text/plain', '{"username":"a","password":"b"}', 'text/plain'],
      ['POST', '/api/v1/alert-rules', staff, 'application/xml', '<rule/>', 'application/xml'],
      [
        'PUT',
        '/api/v1/catalog/metrics/dvc.services_online',
        staff,
        'application/x-www-form-urlencoded',
        'max=5',
        'application/x-www-form-urlencoded',
      ],
      ['POST', '/api/v1/auth/login', null, null, form, /^multipart\/form-data; boundary=/],
    ] as const;
    for (const [method, path, token, contentType, body, named] of cases) {
      const answer = await send(method, path, token, contentType, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(answer.body)}`).toBe(415);
      expect(answer.body.error).toBe('unsupported_media_type');
      expect(answer.body.message).toMatch(/must be JSON, sent with Content-Type: application\/json \(or an application\/\*\+json type\)/);
      expect(answer.body.details.accepted).toEqual(['application/json', 'application/*+json']);
      expect(answer.body.details.contentType).toMatch(named);
    }
    // JSON under another +json name is read as JSON; a request without a body passes whatever its Content-Type says
    const vendor = await send('POST', '/api/v1/auth/login', null, 'application/vnd.dxoc+json', '{"username":7}');
    expect(vendor.status).toBe(400);
    expect(vendor.body.error).toBe('invalid_query');
    const empty = await send('POST', '/api/v1/alerts/1/ack', staff, 'text/plain', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('invalid_query');
  });

  it('checks the role before the body', async () => {
    const viewer = (await signInAs(server, 'viewer')).token;
    expect((await callJson(server.url, 'POST', '/api/v1/alert-rules', viewer, { nope: 1 })).status).toBe(403);
  });
});

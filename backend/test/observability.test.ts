import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLogger, requestContext } from '../src/observability/logger';
import { startTestServer, push, type TestServer } from './support/app';
import { startServer } from '../src/server';
import { loadConfig } from '../src/config/config';

describe('structured logs', () => {
  it('writes one JSON line per event with the request id and never a secret', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (line) => lines.push(line));
    requestContext.run({ requestId: 'req-42' }, () =>
      logger.info('login.success', { username: 'lan', password: 'hunter2', authorization: 'Bearer dxs_x', agentKey: 'dxoc_1_2' }),
    );
    logger.debug('too.detailed');
    logger.warn('upstream.refused', {
      headers: { Authorization: 'Bearer dxv_y', cookie: 'dxoc_session=s3', accept: 'text/html' },
      token: 'dxv_z',
    });
    expect(lines).toHaveLength(2);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ level: 'info', event: 'login.success', requestId: 'req-42', username: 'lan', password: '[redacted]' });
    expect(entry.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[0]).not.toMatch(/hunter2|dxs_x|dxoc_1_2/);
    // one level down too (headers, bodies), and no request id outside a request
    const nested = JSON.parse(lines[1] as string);
    expect(nested).toEqual({
      level: 'warn',
      ts: expect.any(String),
      event: 'upstream.refused',
      token: '[redacted]',
      headers: { Authorization: '[redacted]', cookie: '[redacted]', accept: 'text/html' },
    });
  });
});

describe('GET /metrics and request ids', () => {
  let server: TestServer;
  let metricsUrl: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    // a second app on the same database whose logs we capture and whose metrics we scrape
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DXOC_METRICS_PORT: '0', DXOC_DATA_DIR: '/unused' });
    const started = await startServer({
      config,
      db: server.db,
      clock: { now: () => new Date() },
      logger: new JsonLogger('info', (line) => logLines.push(line)),
    });
    metricsUrl = started.metricsUrl as string;
    const key = await server.createKey(['79']);
    const url = started.url;
    const ok = await push(
      url,
      key,
      { batchId: 'm-1', points: [{ metric: 'dvc.services_online', unit: '79', ts: '2026-03-01T00:00:00+07:00', value: 5 }] },
      { 'x-request-id': 'agent-hcm-0001' },
    );
    expect(ok.status).toBe(202);
    expect(ok.headers.get('x-request-id')).toBe('agent-hcm-0001');
    const bad = await push(url, key, {
      batchId: 'm-2',
      points: [{ metric: 'nope', unit: '79', ts: '2026-03-01T00:00:00+07:00', value: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    afterAll(() => started.close());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves Prometheus metrics on the internal port, not on the API port', async () => {
    const text = await fetch(metricsUrl).then((r) => r.text());
    expect(text).toMatch(/dxoc_ingest_points_total\{result="accepted",reason=""\} 1/);
    expect(text).toMatch(/dxoc_ingest_points_total\{result="rejected",reason="invalid_batch"\} 1/);
    expect(text).toMatch(/dxoc_ingest_batch_duration_seconds_count 2/);
    expect(text).toContain('dxoc_db_query_duration_seconds_bucket');
    expect(text).toContain('dxoc_socket_clients');
    expect(text).toContain('dxoc_process_resident_memory_bytes');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('logs every request as one JSON line carrying its request id, without the key', () => {
    const requests = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'http.request');
    expect(requests).toContainEqual(
      expect.objectContaining({ requestId: 'agent-hcm-0001', method: 'POST', path: '/api/v1/ingest', status: 202 }),
    );
    expect(logLines.join('\n')).not.toContain('dxoc_');
  });
});

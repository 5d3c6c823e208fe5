/**
 * ingestBody (backend/src/ingest/ingest-body.ts) over real HTTP, in an express app with the JSON parser the API
 * uses: a plain batch reaches the route decoded from its bytes (BytesBatch), compressed or not; anything else
 * reaches it as express.json reads it, with express.json's answers; other routes are not touched.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_PATH, MAX_BODY_BYTES } from '@dxoc/contracts';
import { refuseDuplicateKeys } from '../src/http/duplicate-keys';
import { JSON_MEDIA_TYPES } from '../src/http/media-type';
import { BytesBatch } from '../src/ingest/batch-bytes';
import { decodeBatch } from '../src/ingest/batch-decoder';
import { ingestBody } from '../src/ingest/ingest-body';

let server: Server;
let url: string;

beforeAll(async () => {
  const app = express();
  const json = express.json({ limit: MAX_BODY_BYTES, type: JSON_MEDIA_TYPES, verify: refuseDuplicateKeys });
  app.use(ingestBody(json));
  app.use(json);
  // what the route got: the way it was read and the batch it holds
  app.post(/.*/, (req: Request, res: Response) => {
    const batch = decodeBatch(req.body);
    res.json({
      read: req.body instanceof BytesBatch ? 'bytes' : 'json',
      body: req.body instanceof BytesBatch ? null : (req.body as unknown),
      batch: batch && {
        batchId: batch.batchId,
        metric: batch.metric,
        unit: batch.unit,
        ts: batch.ts,
        value: batch.value,
        tsText: batch.metric.map((_, i) => batch.tsText(i)),
      },
    });
  });
  app.use((error: { status?: number; type?: string; message: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ type: error.type ?? null, message: error.message });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const plain = JSON.stringify({
  batchId: 'hcm:2026-12-07.1',
  points: [
    { metric: 'dvc.services_online', unit: '79', ts: '2026-12-07T08:00:00+07:00', value: 3552 },
    { metric: 'dvc.services_online', unit: '01', ts: '2026-12-07T01:00:00Z', value: 0.25 },
  ],
});
const expectedBatch = {
  batchId: 'hcm:2026-12-07.1',
  metric: ['dvc.services_online', 'dvc.services_online'],
  unit: ['79', '01'],
  ts: [Date.UTC(2026, 11, 7, 1), Date.UTC(2026, 11, 7, 1)],
  value: [3552, 0.25],
  tsText: ['2026-12-07T08:00:00+07:00', '2026-12-07T01:00:00Z'],
};

async function post(body: string | Buffer, headers: Record<string, string> = {}, path = INGEST_PATH) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('ingestBody', () => {
  it('hands the route a plain batch decoded from its bytes, also gzip-compressed or with charset=utf-8', async () => {
    for (const [body, headers] of [
      [plain, {}],
      [gzipSync(plain), { 'content-encoding': 'gzip' }],
      [plain, { 'content-type': 'application/json; charset=UTF-8' }],
    ] as const) {
      expect(await post(body, headers)).toEqual({ status: 200, body: { read: 'bytes', body: null, batch: expectedBatch } });
    }
  });

  it('leaves any other batch to the JSON parser, which reads the same points', async () => {
    const escaped = plain.replace('"unit"', '"\\u0075nit"');
    expect(await post(escaped)).toMatchObject({ status: 200, body: { read: 'json', batch: expectedBatch } });
    const spaced = `\ufeff${plain}`;
    expect(await post(spaced)).toMatchObject({ status: 200, body: { read: 'json', batch: expectedBatch } });
  });

  it('answers what the JSON parser answers when the body is not a batch', async () => {
    const malformed = await post('{"batchId": "b", "points": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('entity.parse.failed');
    const repeated = await post(plain.replace('"unit":"79"', '"unit":"79","unit":"80"'));
    expect(repeated.status).toBe(400);
    expect(repeated.body.message).toContain('key "unit" appears twice');
    const tooLarge = await post(`{"batchId":"b","points":[${' '.repeat(MAX_BODY_BYTES)}]}`);
    expect(tooLarge).toMatchObject({ status: 413, body: { type: 'entity.too.large' } });
    expect(await post('')).toMatchObject({ status: 200, body: { read: 'json', body: {}, batch: null } });
    expect(await post('[1]')).toMatchObject({ status: 200, body: { read: 'json', body: [1], batch: null } });
  });

  it('leaves a body in another charset, and every other route, to the JSON parser', async () => {
    const utf16 = await post(Buffer.from(plain, 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' });
    expect(utf16).toMatchObject({ status: 200, body: { read: 'json', batch: expectedBatch } });
    const latin1 = await post(plain, { 'content-type': 'application/json; charset=iso-8859-1' });
    expect(latin1).toMatchObject({ status: 415, body: { type: 'charset.unsupported' } });
    expect(await post(plain, {}, '/api/v1/other')).toMatchObject({ status: 200, body: { read: 'json', batch: expectedBatch } });
  });
});

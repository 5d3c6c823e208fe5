import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/notifications/crypto';
import { sendWebhook } from '../src/notifications/webhook-sender';

const SECRET = 'hcmc-webhook-secret-0123';

describe('webhook sender against a real HTTP receiver', () => {
  let server: Server;
  let url: string;
  const statuses: number[] = [];
  const received: { verified: boolean; body: unknown; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const verified = verifyWebhook(
          SECRET,
          { signature: req.headers['x-dxoc-signature'] as string, timestamp: req.headers['x-dxoc-timestamp'] as string },
          raw,
          Math.floor(Date.now() / 1000),
        );
        received.push({ verified, body: JSON.parse(raw.toString('utf8')), headers: req.headers });
        res.statusCode = verified ? (statuses.shift() ?? 200) : 401;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts JSON the receiver verifies with the shared secret', async () => {
    const payload = { kind: 'firing', alert: { id: 7, unit: '79', value: 12.5, messageVi: 'Tỷ lệ vượt ngưỡng' } };
    const result = await sendWebhook(url, SECRET, payload);
    expect(result).toEqual({ ok: true, status: 200, error: null });
    const last = received.at(-1)!;
    expect(last.verified).toBe(true);
    expect(last.body).toEqual(payload);
    expect(last.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(last.headers)).not.toContain(SECRET);
  });

  it('reports a 500 as a failure, the retry then succeeds; a wrong secret is refused by the receiver', async () => {
    statuses.push(500);
    expect(await sendWebhook(url, SECRET, { n: 1 })).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
    expect(await sendWebhook(url, SECRET, { n: 1 })).toMatchObject({ ok: true, status: 200 });
    expect(await sendWebhook(url, 'another-secret-entirely', { n: 2 })).toMatchObject({ ok: false, status: 401 });
  });

  it('reports a refused connection without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await sendWebhook(`http://127.0.0.1:${port}/`, SECRET, {});
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.error).toBeTruthy();
  });
});

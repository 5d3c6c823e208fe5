/**
 * Bodies that cannot be read are the client's fault: 400 with { error, message, details } and nothing stored, never
 * 500 (issue 12: Content-Encoding gzip or br on a plain body answered 500 internal_error). A client that goes away
 * mid-body (a slow link, a killed agent) is no server error either: logged at debug, with no error line and no 500.
 * Raw HTTP over sockets, so the bytes on the wire are exactly the ones under test.
 */
import { request } from 'node:http';
import net from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './support/app';

/** One POST of exactly these bytes (node:http sends them as given, with their length); answers status and JSON body. */
function send(server: TestServer, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/v1/ingest`,
      { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any> }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('corrupt and aborted request bodies', () => {
  let server: TestServer;
  let key: string;
  const logLines: string[] = [];
  const batch = (batchId: string) =>
    Buffer.from(
      JSON.stringify({ batchId, points: [{ metric: 'einvoice.issued', unit: '79', ts: '2026-03-18T09:00:00+07:00', value: 3 }] }),
    );

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_LOG_LEVEL: 'debug' } });
    key = await server.createKey(['79']);
    // the server's JSON log lines go to process.stdout: keep them here instead (debug is verbose)
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
  });

  const rows = async () => (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation`)).rows[0]!.n;
  const stored = async (batchId: string) =>
    (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE batch_id = $1`, [batchId])).rows[0]!.n;

  const gzipped = gzipSync(batch('truncated-gzip'));
  const cases: [string, Record<string, string>, Buffer][] = [
    ['gzip on a plain body', { 'Content-Encoding': 'gzip' }, batch('plain-gzip')],
    ['br on a plain body', { 'Content-Encoding': 'br' }, batch('plain-br')],
    ['deflate on a plain body', { 'Content-Encoding': 'deflate' }, batch('plain-deflate')],
    ['a truncated gzip body', { 'Content-Encoding': 'gzip' }, gzipped.subarray(0, Math.floor(gzipped.length / 2))],
    ['a brotli body cut short', { 'Content-Encoding': 'br' }, brotliCompressSync(batch('truncated-br')).subarray(0, 20)],
    ['a deflate body with a flipped byte', { 'Content-Encoding': 'deflate' }, flip(deflateSync(batch('flipped-deflate')))],
    ['JSON that ends too soon', {}, batch('cut-json').subarray(0, 30)],
    ['gzip of invalid JSON', { 'Content-Encoding': 'gzip' }, gzipSync(Buffer.from('{"batchId": "gz-bad-json", points: ['))],
  ];

  it.each(cases)('answers 400 with the error shape to %s, and stores nothing', async (_name, headers, body) => {
    const before = logLines.length;
    const rowsBefore = await rows();
    const answer = await send(server, { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...headers }, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_batch', message: expect.stringMatching(/Nothing was stored/) });
    expect(answer.body.details).toEqual([expect.objectContaining({ index: null, field: 'body', message: expect.any(String) })]);
    expect(await rows()).toBe(rowsBefore);
    const errors = logLines.slice(before).filter((line) => line.includes('"level":"error"'));
    expect(errors).toEqual([]);
  });

  it('logs a client that goes away mid-body at debug, with no error line and no 500', async () => {
    const before = logLines.length;
    const url = new URL(server.url);
    const body = batch('aborted');
    const aborts = 10;
    for (let i = 0; i < aborts; i += 1) {
      const socket = net.connect(Number(url.port), url.hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /api/v1/ingest HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length * 100}\r\n\r\n`,
      );
      socket.write(body);
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    const since = () =>
      logLines.slice(before).flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
    const abortLines = () => since().filter((entry) => entry.event === 'http.request_aborted');
    for (let waited = 0; abortLines().length < aborts && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(abortLines().map((entry) => entry.level)).toEqual(Array.from({ length: aborts }, () => 'debug'));
    const lines = since();
    expect(lines.filter((entry) => entry.level === 'error')).toEqual([]);
    expect(lines.filter((entry) => entry.status === 500)).toEqual([]);
    expect(await stored('aborted')).toBe(0);
  });
});

/** The same bytes with one in the middle inverted. */
function flip(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = (copy[middle] as number) ^ 0xff;
  return copy;
}

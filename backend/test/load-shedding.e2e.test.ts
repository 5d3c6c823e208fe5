import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { push, startTestServer, type TestServer } from './support/app';
import { overSocket } from './support/databases';

// Through pg (real I/O between the backend and its database), as in production with DATABASE_URL: requests
// overlap while they wait for the database, which is where shedding applies.
describe('load shedding on ingest', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: overSocket, env: { DXOC_INGEST_MAX_IN_FLIGHT: '1' } });
    key = await server.createKey(null);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 server_busy at once past the in-flight limit, and a retry with the same batchId stores it once', async () => {
    const batches = Array.from({ length: 8 }, (_, b) => ({
      batchId: `busy-${b}`,
      points: Array.from({ length: 1000 }, (_, i) => ({
        metric: 'einvoice.issued',
        unit: '79',
        ts: new Date(Date.UTC(2026, 0, 1) + (b * 1000 + i) * 60_000).toISOString(),
        value: i,
      })),
    }));
    const first = await Promise.all(batches.map((batch) => push(server.url, key, batch)));
    const busy = first.filter((answer) => answer.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body).toMatchObject({ error: 'rate_limited', details: { limit: 'server_busy' } });
    }
    expect(first.every((answer) => answer.status === 202 || answer.status === 429)).toBe(true);

    for (const [i, answer] of first.entries()) {
      if (answer.status !== 429) continue;
      const retried = await push(server.url, key, batches[i]);
      expect(retried.status).toBe(202);
    }
    const { rows } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE metric = 'einvoice.issued' AND unit = '79'`);
    expect(rows[0]?.n).toBe(8000);
  });
});

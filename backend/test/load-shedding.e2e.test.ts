import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { push, startTestServer, type TestServer } from './support/app';
import { overSocket } from './support/databases';
import { METRICS, type Metrics } from '../src/observability/metrics';
import { IngestLogService } from '../src/ingest/ingest-log.service';

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
    const { rows } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM observation WHERE metric = 'einvoice.issued' AND unit = '79'`,
    );
    expect(rows[0]?.n).toBe(8000);

    // the key's operator finds the shed batches in the ingest log: one row counting them all
    await server.app.get(IngestLogService).flush();
    const { rows: shed } = await server.db.query<{ count: string; error: string }>(
      `SELECT count::text AS count, error FROM ingest_refusal WHERE key_id = $1 AND status = 429`,
      [key.split('_')[1]],
    );
    expect(shed).toEqual([{ count: String(busy.length), error: 'rate_limited' }]);
  });

  it('counts every answer and refusal in the ingest metrics: accepted, duplicate, busy and a refused key', async () => {
    const metrics = server.app.get<Metrics>(METRICS);
    const read = async () => {
      // copies: prom-client hands out its live value objects
      const points = (await metrics.ingestPoints.get()).values.map((v) => ({ labels: { ...v.labels }, value: v.value }));
      const batches = (await metrics.ingestBatches.get()).values.map((v) => ({ labels: { ...v.labels }, value: v.value }));
      const seconds = {
        ...(await metrics.ingestBatchSeconds.get()).values.find((v) => v.metricName === 'dxoc_ingest_batch_duration_seconds_count'),
      };
      return {
        points: (result: string, reason: string) =>
          points.find((v) => v.labels.result === result && v.labels.reason === reason)?.value ?? 0,
        batches: (status: number) => batches.find((v) => v.labels.status === String(status))?.value ?? 0,
        answered: seconds?.value ?? 0,
      };
    };
    const before = await read();
    const batches = Array.from({ length: 6 }, (_, b) => ({
      batchId: `metered-${b}`,
      points: Array.from({ length: 500 }, (_, i) => ({
        metric: 'einvoice.issued',
        unit: '01',
        ts: new Date(Date.UTC(2026, 1, 1) + (b * 500 + i) * 60_000).toISOString(),
        value: i,
      })),
    }));
    const answers = await Promise.all(batches.map((batch) => push(server.url, key, batch)));
    const accepted = answers.filter((a) => a.status === 202);
    const busy = answers.filter((a) => a.status === 429);
    expect(accepted.length + busy.length).toBe(6);
    const repeated = await push(server.url, key, batches[answers.findIndex((a) => a.status === 202)]);
    expect(repeated.status).toBe(200);
    const refused = await push(server.url, null, batches[0]);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');

    const after = await read();
    expect(after.batches(202) - before.batches(202)).toBe(accepted.length);
    expect(after.batches(429) - before.batches(429)).toBe(busy.length);
    expect(after.batches(200) - before.batches(200)).toBe(1);
    expect(after.batches(401) - before.batches(401)).toBe(1);
    expect(after.points('accepted', '') - before.points('accepted', '')).toBe(500 * accepted.length);
    expect(after.points('duplicate', '') - before.points('duplicate', '')).toBe(500);
    expect(after.points('rejected', 'rate_limited') - before.points('rejected', 'rate_limited')).toBe(500 * busy.length);
    expect(after.points('rejected', 'unauthorized') - before.points('rejected', 'unauthorized')).toBe(500);
    expect(after.answered - before.answered).toBe(8);
  });
});

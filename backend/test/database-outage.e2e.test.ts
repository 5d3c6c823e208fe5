/**
 * The database going away the two ways it does in production, through a TCP proxy between the backend and its
 * database (the embedded one over pglite-socket, or the TimescaleDB server in the "server" project):
 * - it stops answering without closing anything (a network black hole, a hung server): /api/v1/health must still
 *   answer, 503 after DXOC_HEALTH_TIMEOUT_MS, and ingest 503 after DXOC_DB_QUERY_TIMEOUT_MS, instead of hanging for
 *   as long as TCP takes to give up; the frozen connection is closed, not handed to the next request, so everything
 *   works again once the network does, and the agent's retry of the batch is stored once, also when the black hole
 *   swallowed the answer to its COMMIT (the batch was stored, the agent was told 503);
 * - its connections are reset and new ones refused (a restart): ingest answers 503 with Retry-After and stores
 *   nothing, and everything works again once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, push, startTestServer, type TestServer } from './support/app';
import { proxiedDriver } from './support/databases';

/** A request that is not answered in this long has hung: far above the health timeout, far below TCP's own. */
const HUNG_MS = 4000;
/** DXOC_DB_QUERY_TIMEOUT_MS here; an ingest request not answered within INGEST_HUNG_MS, far above it, has hung. */
const QUERY_TIMEOUT_MS = 1500;
const INGEST_HUNG_MS = 10_000;

async function health(server: TestServer) {
  const response = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(HUNG_MS) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

/** POST /api/v1/ingest, given up (the test fails) after INGEST_HUNG_MS. */
async function ingest(server: TestServer, key: string, batch: unknown) {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(batch),
    signal: AbortSignal.timeout(INGEST_HUNG_MS),
  });
  const body = (await response.json()) as Record<string, any>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: Math.round(performance.now() - started) };
}

/** What an agent does with 503: send the same batch again after a while, until it is answered otherwise. */
async function retryUntilAnswered(server: TestServer, key: string, batch: unknown) {
  let answer = await ingest(server, key, batch);
  for (let i = 0; i < 20 && answer.status === 503; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await ingest(server, key, batch);
  }
  return answer;
}

async function storedRows(server: TestServer, batchId: string): Promise<{ values: number; batches: number }> {
  const values = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE batch_id = $1`, [batchId]);
  const batches = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ingest_batch WHERE batch_id = $1`, [batchId]);
  return { values: values.rows[0]!.n, batches: batches.rows[0]!.n };
}

describe('when the database stops answering or restarts', () => {
  const driver = proxiedDriver();
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({
      driver,
      env: { DXOC_HEALTH_TIMEOUT_MS: '500', DXOC_DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS) },
    });
    key = await server.createKey(['79']);
  });
  afterAll(async () => {
    driver.proxy().restore();
    await server?.close();
  });

  it('health answers 503 within its timeout while the database is a black hole, and 200 once it answers again', async () => {
    expect((await health(server)).status).toBe(200);
    driver.proxy().freeze();
    const frozen = await health(server);
    expect(frozen.status).toBe(503);
    expect(frozen.body).toMatchObject({ status: 'unavailable', db: { reachable: false } });
    expect(Number(frozen.retryAfter)).toBeGreaterThanOrEqual(1);
    // a second probe while the first one's query still waits on the frozen connection answers the same way
    expect((await health(server)).status).toBe(503);
    driver.proxy().restore();
    let back = await health(server);
    for (let i = 0; i < 20 && back.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      back = await health(server);
    }
    expect(back.status).toBe(200);
  });

  it('ingest answers 503 with Retry-After while connections are refused, stores nothing, and the retry is stored once', async () => {
    const ts = '2026-03-18T09:00:00+07:00';
    const batch = { batchId: 'outage-1', points: [{ metric: 'einvoice.issued', unit: '79', ts, value: 7 }] };
    driver.proxy().cut();
    const refused = await push(server.url, key, batch);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('database_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await health(server)).status).toBe(503);

    driver.proxy().restore();
    const stored = await push(server.url, key, batch);
    expect(stored.status).toBe(202);
    expect(stored.body).toEqual({ batchId: 'outage-1', accepted: 1, duplicate: false, revised: 0 });
    const rows = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE batch_id = 'outage-1'`);
    expect(rows.rows[0]!.n).toBe(1);
    expect((await getJson(server.url, '/api/v1/health')).status).toBe(200);
  });
  it('ingest answers 503 with Retry-After within DXOC_DB_QUERY_TIMEOUT_MS while the database is a black hole, and the batch is stored once: by the statement the black hole held, or by the retry', async () => {
    const points = [
      { metric: 'einvoice.issued', unit: '79', ts: '2026-03-19T09:00:00+07:00', value: 8 },
      { metric: 'einvoice.issued', unit: '79', ts: '2026-03-19T10:00:00+07:00', value: 9 },
    ];
    const batch = { batchId: 'outage-silent', points };
    driver.proxy().freeze();
    const silent = await ingest(server, key, batch);
    console.log(
      `[bench] ingest answered ${silent.status} after ${silent.ms} ms of a black hole (DXOC_DB_QUERY_TIMEOUT_MS=${QUERY_TIMEOUT_MS})`,
    );
    expect(silent.status).toBe(503);
    expect(silent.body).toMatchObject({ error: 'database_unavailable' });
    // a batch of new points is one statement, its own commit: held in the black hole, it may still arrive
    expect(silent.body.message).toMatch(/did not answer in time.*may have stored the batch.*same batchId is safe/);
    expect(Number(silent.retryAfter)).toBeGreaterThanOrEqual(1);
    // the next request is not handed the frozen connection: it, too, is answered
    expect((await ingest(server, key, batch)).status).toBe(503);

    driver.proxy().restore();
    // the statement the black hole held reaches the database once it is restored (stored: the retry is a duplicate),
    // or not (the retry stores it): either way the batch is stored once
    const stored = await retryUntilAnswered(server, key, batch);
    expect([200, 202]).toContain(stored.status);
    expect(stored.body).toEqual({ batchId: 'outage-silent', accepted: 2, duplicate: stored.status === 200, revised: 0 });
    expect(await storedRows(server, 'outage-silent')).toEqual({ values: 2, batches: 1 });
    expect((await health(server)).status).toBe(200);
  });

  // a batch with a counter is written in a transaction (its COMMIT is the commit); one of new gauge points is one
  // statement, its own commit
  it.each([
    ['a COMMIT', 'outage-commit-lost', { metric: 'ndxp.transactions', unit: '79', ts: '2026-03-20T09:00:00+07:00', value: 4 }, 'COMMIT'],
    [
      'a batch’s one statement',
      'outage-statement-lost',
      { metric: 'einvoice.issued', unit: '79', ts: '2026-03-20T09:00:00+07:00', value: 4 },
      null,
    ],
  ])(
    '%s whose answer the black hole swallows is answered 503, and the retry finds the batch stored, once',
    async (_what, batchId, point, marker) => {
      const batch = { batchId, points: [point] };
      // the connection that carries this batch freezes right after sending it: the server commits, the answer never
      // comes back
      if (marker) driver.proxy().freezeAfter(batchId, marker);
      else driver.proxy().freezeAfter(batchId);
      const unknown = await ingest(server, key, batch);
      expect(unknown.status).toBe(503);
      expect(unknown.body).toMatchObject({ error: 'database_unavailable' });
      expect(Number(unknown.retryAfter)).toBeGreaterThanOrEqual(1);

      driver.proxy().restore();
      const retried = await retryUntilAnswered(server, key, batch);
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual({ batchId, accepted: 1, duplicate: true, revised: 0 });
      expect(await storedRows(server, batchId)).toEqual({ values: 1, batches: 1 });
    },
  );
});

/**
 * The database going away the two ways it does in production, through a TCP proxy between the backend and its
 * database (the embedded one over pglite-socket, or the TimescaleDB server in the "server" project):
 * - it stops answering without closing anything (a network black hole, a hung server): /api/v1/health must still
 *   answer, 503 after DXOC_HEALTH_TIMEOUT_MS, instead of hanging for as long as TCP takes to give up;
 * - its connections are reset and new ones refused (a restart): ingest answers 503 with Retry-After and stores
 *   nothing, and everything works again once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, push, startTestServer, type TestServer } from './support/app';
import { proxiedDriver } from './support/databases';

/** A request that is not answered in this long has hung: far above the health timeout, far below TCP's own. */
const HUNG_MS = 4000;

async function health(server: TestServer) {
  const response = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(HUNG_MS) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

describe('when the database stops answering or restarts', () => {
  const driver = proxiedDriver();
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DXOC_HEALTH_TIMEOUT_MS: '500' } });
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
});

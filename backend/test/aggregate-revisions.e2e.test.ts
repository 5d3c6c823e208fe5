/**
 * A revision of a value whose hour or day the continuous aggregates have already materialised must reach the
 * bucketed answers at once, not at the next policy refresh (up to 5 minutes for days): an agent revises today's
 * running amount, dated at the day's start, every poll. Found on a restarted `npm start`: the wall showed
 * "293.169 hóa đơn" from the raw values while GET /series?bucket=1d said 285,967 and ?bucket=1h 291,729, the raw
 * value being 294,610. Each refresh here is the backend's own: nothing in the test refreshes after the revision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, push, startTestServer, type TestServer } from './support/app';

const METRIC = 'einvoice.issued';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('bucketed answers after a revision of a materialised bucket', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer();
    key = await server.createKey(null);
  });
  afterAll(async () => server?.close());

  const bucketed = async (unit: string, from: Date, bucket: string) => {
    const params = new URLSearchParams({ metric: METRIC, unit, from: from.toISOString(), bucket, agg: 'sum' });
    const answer = await getJson(server.url, `/api/v1/series?${params}`);
    expect(answer.status).toBe(200);
    return (answer.body.points as { ts: string; value: number }[]).map((p) => [p.ts, p.value]);
  };

  const eventually = async (read: () => Promise<unknown>, expected: unknown) => {
    // the refresh runs right after the batch's answer (a moment later, never before the 202): read until it shows
    let last: unknown;
    for (let attempt = 0; attempt < 100; attempt++) {
      last = await read();
      if (JSON.stringify(last) === JSON.stringify(expected)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(last).toEqual(expected);
  };

  // offsets from the start of today in Viet Nam (00:00 UTC+7 = 17:00 UTC)
  it.each([
    ["today's start (a running amount, revised on every poll)", 0, '48'],
    ['the start of a day two days ago', -2 * DAY, '79'],
    ['05:00 yesterday', -DAY + 5 * HOUR, '01'],
  ])('%s: hour and day buckets show the revised value', async (_name, offset, unit) => {
    const todayStart = Math.floor((Date.now() + 7 * HOUR) / DAY) * DAY - 7 * HOUR;
    const ts = new Date(todayStart + offset);
    // in the first hour of a Vietnamese day, today's start is the current hour: the real-time part's, not refreshed
    if (Date.now() - ts.getTime() < HOUR + 60_000) return;
    const from = new Date(ts.getTime() - DAY);
    const hourStart = new Date(Math.floor(ts.getTime() / HOUR) * HOUR).toISOString();
    const vnDayStart = new Date(Math.floor((ts.getTime() + 7 * HOUR) / DAY) * DAY - 7 * HOUR).toISOString();
    const point = (value: number) => ({ metric: METRIC, unit, ts: ts.toISOString(), value });

    expect((await push(server.url, key, { batchId: `first-${unit}`, points: [point(1000)] })).status).toBe(202);
    await eventually(() => bucketed(unit, from, '1h'), [[hourStart, 1000]]);
    // materialised through and through, as the policies would have done by now
    await server.db.query(`CALL refresh_continuous_aggregate('observation_hourly', NULL, NULL)`);
    await server.db.query(`CALL refresh_continuous_aggregate('observation_daily', NULL, NULL)`);
    const materialised = await server.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM observation_hourly WHERE unit = $1) + (SELECT count(*) FROM observation_daily WHERE unit = $1) AS n`,
      [unit],
    );
    expect(Number(materialised.rows[0]?.n)).toBe(2);

    expect((await push(server.url, key, { batchId: `revised-${unit}`, points: [point(1750)] })).status).toBe(202);
    await eventually(() => bucketed(unit, from, '1h'), [[hourStart, 1750]]);
    await eventually(() => bucketed(unit, from, '1d'), [[vnDayStart, 1750]]);
  });
});

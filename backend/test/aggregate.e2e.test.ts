import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimescaleRepository } from '../src/db/timescale.repository';
import { getJson, push, startTestServer, type TestServer } from './support/app';

const day = (d: string) => `${d}T00:00:00+07:00`;

describe('GET /api/v1/aggregate: one value per unit over a range', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const key = await server.createKey(null);
    const points = [
      { unit: '79', ts: day('2025-06-29'), value: 10 },
      { unit: '79', ts: day('2025-06-30'), value: 20 },
      { unit: '79', ts: day('2025-07-01'), value: 40 },
      { unit: '74', ts: day('2025-06-30'), value: 5 }, // Bình Dương, absorbed by 79 on 1 Jul 2025
      { unit: '01', ts: day('2025-06-30'), value: 7 },
      { unit: '01', ts: '2025-07-01T12:00:00+07:00', value: 3 },
    ].map((p) => ({ metric: 'einvoice.issued', ...p }));
    expect((await push(server.url, key, { batchId: 'agg', points })).status).toBe(202);
  });
  afterAll(async () => {
    await server?.close();
  });

  const query = (params: string) => getJson(server.url, `/api/v1/aggregate?metric=einvoice.issued&${params}`);
  const byUnit = (body: Record<string, any>) =>
    Object.fromEntries((body.values as { unit: string; value: number }[]).map((v) => [v.unit, v.value]));

  it('sums per unit over whole Vietnamese days, the same from the daily aggregate as from raw values', async () => {
    const range = `from=${encodeURIComponent(day('2025-06-29'))}&to=${encodeURIComponent(day('2025-07-02'))}`;
    const live = await query(`unitKind=province&${range}&agg=sum`);
    expect(live.status).toBe(200);
    expect(byUnit(live.body)).toEqual({ '01': 10, '79': 70 });
    // materialise the continuous aggregates: the answer must not change
    const timescale = server.app.get(TimescaleRepository);
    for (const job of await timescale.listJobs())
      if (job.procName === 'policy_refresh_continuous_aggregate') await timescale.runJob(job.jobId);
    expect(byUnit((await query(`unitKind=province&${range}&agg=sum`)).body)).toEqual({ '01': 10, '79': 70 });
    // a range that is not whole days is read raw
    expect(
      byUnit(
        (
          await query(
            `units=01&from=${encodeURIComponent('2025-07-01T06:00:00+07:00')}&to=${encodeURIComponent(day('2025-07-02'))}&agg=sum`,
          )
        ).body,
      ),
    ).toEqual({ '01': 3 });
  });

  it("folds an absorbed unit's history into its successor only when asked, and only before the merger", async () => {
    const range = `from=${encodeURIComponent(day('2025-06-29'))}&to=${encodeURIComponent(day('2025-07-02'))}`;
    expect(byUnit((await query(`units=79&${range}&agg=sum&includePredecessors=true`)).body)).toEqual({ '79': 75 });
    expect(byUnit((await query(`units=79&${range}&agg=max`)).body)).toEqual({ '79': 40 });
  });

  it('ranks the units in force at the end of the range, ended ones only when asked', async () => {
    const across = `from=${encodeURIComponent(day('2025-06-29'))}&to=${encodeURIComponent(day('2025-07-02'))}`;
    const across1 = await query(`unitKind=province&${across}&agg=sum`);
    expect(across1.body.includeEnded).toBe(false);
    expect(Object.keys(byUnit(across1.body))).not.toContain('74');
    const withEnded = await query(`unitKind=province&${across}&agg=sum&includeEnded=true`);
    expect(withEnded.body.includeEnded).toBe(true);
    expect(byUnit(withEnded.body)).toEqual({ '01': 10, '74': 5, '79': 70 });
    // a range that ends before the merger: the 63 provinces of the time, 74 among them
    const before = await query(
      `unitKind=province&from=${encodeURIComponent(day('2025-06-29'))}&to=${encodeURIComponent(day('2025-07-01'))}&agg=sum`,
    );
    expect(byUnit(before.body)).toEqual({ '01': 7, '74': 5, '79': 30 });
    // a range that starts after it: 74 is not listed even when ended units are asked for (not in force in the range)
    const after = await query(
      `unitKind=province&from=${encodeURIComponent(day('2025-07-01'))}&to=${encodeURIComponent(day('2025-07-02'))}&agg=sum&includeEnded=true`,
    );
    expect(byUnit(after.body)).toEqual({ '01': 3, '79': 40 });
  });

  it('explains bad queries', async () => {
    expect((await query('unitKind=province')).status).toBe(400); // no from
    expect((await query(`from=${encodeURIComponent(day('2025-06-29'))}`)).status).toBe(400); // no units
    expect((await query(`units=XX&from=${encodeURIComponent(day('2025-06-29'))}`)).status).toBe(404);
  });
});

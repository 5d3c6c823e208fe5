/**
 * GET /api/v1/history over a real port and the real database: every revision of one value with the batch that
 * brought it, the key that sent it (id and name, as the wall's "where does this number come from?" shows them)
 * and when it was received; the seed's reference figures name their pseudo-key; reads need a session or token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysService } from '../src/keys/keys.service';
import { getJson, push, startTestServer, type TestServer } from './support/app';

const SERVICES = 'dvc.services_online';

function history(params: Record<string, string>) {
  return `/api/v1/history?${new URLSearchParams(params)}`;
}

describe('GET /api/v1/history', () => {
  let server: TestServer;
  let hanoi: { id: string; key: string };
  let portal: { id: string; key: string };

  beforeAll(async () => {
    server = await startTestServer();
    const keys = server.app.get(KeysService);
    hanoi = await keys.create({ unitCodes: ['01'], name: 'Hà Nội một cửa' });
    portal = await keys.create({ unitCodes: null, name: 'Cổng DVC quốc gia' });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('lists each revision with its batch, key id, key name and received time, newest first', async () => {
    const ts = '2026-04-10T00:00:00+07:00';
    const point = (value: number) => ({ metric: SERVICES, unit: '01', ts, value });
    expect((await push(server.url, hanoi.key, { batchId: 'hn-2026-04-10-a', points: [point(1200)] })).status).toBe(202);
    expect((await push(server.url, portal.key, { batchId: 'portal-0410', points: [point(1210)] })).status).toBe(202);
    expect((await push(server.url, hanoi.key, { batchId: 'hn-2026-04-10-b', points: [point(1215)] })).status).toBe(202);

    const r = await getJson(server.url, history({ metric: SERVICES, unit: '01', ts }));
    expect(r.status).toBe(200);
    expect(r.body.revisions).toEqual([
      {
        revision: 3,
        value: 1215,
        batchId: 'hn-2026-04-10-b',
        keyId: hanoi.id,
        keyName: 'Hà Nội một cửa',
        receivedAt: expect.any(String),
        supersededAt: null,
      },
      {
        revision: 2,
        value: 1210,
        batchId: 'portal-0410',
        keyId: portal.id,
        keyName: 'Cổng DVC quốc gia',
        receivedAt: expect.any(String),
        supersededAt: expect.any(String),
      },
      {
        revision: 1,
        value: 1200,
        batchId: 'hn-2026-04-10-a',
        keyId: hanoi.id,
        keyName: 'Hà Nội một cửa',
        receivedAt: expect.any(String),
        supersededAt: expect.any(String),
      },
    ]);
    expect(r.body.current).toEqual(r.body.revisions[0]);
    // each revision was superseded when the next one was received
    expect(r.body.revisions[1].supersededAt).toBe(r.body.revisions[0].receivedAt);
    expect(r.body.revisions[2].supersededAt).toBe(r.body.revisions[1].receivedAt);
  });

  it('names the key as it is now, also for a revoked key', async () => {
    const ts = '2026-04-11T00:00:00+07:00';
    const spare = await server.app.get(KeysService).create({ unitCodes: ['01'], name: 'Khóa dự phòng' });
    expect(
      (await push(server.url, spare.key, { batchId: 'spare-1', points: [{ metric: SERVICES, unit: '01', ts, value: 1300 }] })).status,
    ).toBe(202);
    await server.app.get(KeysService).revoke(spare.id);
    const r = await getJson(server.url, history({ metric: SERVICES, unit: '01', ts }));
    expect(r.status).toBe(200);
    expect(r.body.current).toMatchObject({ batchId: 'spare-1', keyId: spare.id, keyName: 'Khóa dự phòng', value: 1300 });
  });

  it("names the seed's pseudo-key for the reference figures from government notices", async () => {
    const series = await getJson(server.url, `/api/v1/series?${new URLSearchParams({ metric: 'egdi.rank', unit: 'VN' })}`);
    const last = series.body.points.at(-1) as { ts: string };
    const r = await getJson(server.url, history({ metric: 'egdi.rank', unit: 'VN', ts: last.ts }));
    expect(r.status).toBe(200);
    expect(r.body.current).toMatchObject({ keyId: 'seed', keyName: 'Reference figures from government notices' });
  });

  it('needs a session or a viewer token', async () => {
    const r = await getJson(server.url, history({ metric: SERVICES, unit: '01', ts: '2026-04-10T00:00:00+07:00' }), null);
    expect(r.status).toBe(401);
  });
});

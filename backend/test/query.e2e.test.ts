/**
 * The read side, end to end over a real port: catalog, series (raw and bucketed), latest, health, the OpenAPI
 * document, the bundled API docs and the error answers. Values are pushed through the ingest API with fixed
 * timestamps in the past; the server runs on the real clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BATCH_ID_PATTERN, MAX_POINTS_PER_BATCH } from '@dxoc/contracts';
import { getJson, push, startTestServer, type Point, type TestServer } from './support/app';

const APPLICATIONS = 'onestop.applications_received'; // gauge, default aggregation sum
const SERVICES = 'dvc.services_online'; // gauge, default aggregation last
const LEVEL4 = 'dvc.level4_share'; // ratio
const PROJECT06 = 'dvc.project06_services'; // gauge 0..25

interface Unit {
  code: string;
  kind: 'nation' | 'province' | 'ministry';
  validUntil: string | null;
  successors: string[];
  predecessors: string[];
}

function query(path: string, params: Record<string, string>) {
  return `${path}?${new URLSearchParams(params)}`;
}

describe('query API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const key = await server.createKey(null);
    const batches: { batchId: string; points: Point[] }[] = [
      {
        // unit 01 (Hà Nội), deliberately out of time order; 06:30 on the 11th (VN) is still the 10th in UTC
        batchId: 'q-applications',
        points: [
          { metric: APPLICATIONS, unit: '01', ts: '2026-03-10T09:15:00+07:00', value: 30 },
          { metric: APPLICATIONS, unit: '01', ts: '2026-03-10T08:00:00+07:00', value: 10 },
          { metric: APPLICATIONS, unit: '01', ts: '2026-03-11T06:30:00+07:00', value: 1 },
          { metric: APPLICATIONS, unit: '01', ts: '2026-03-10T08:30:00+07:00', value: 20 },
          { metric: APPLICATIONS, unit: '01', ts: '2026-03-11T10:00:00+07:00', value: 5 },
          { metric: APPLICATIONS, unit: '01', ts: '2026-04-02T12:00:00+07:00', value: 7 },
        ],
      },
      {
        // Hồ Chí Minh City (79) absorbed Bình Dương (74) and Bà Rịa - Vũng Tàu (77) on 2025-07-01
        batchId: 'q-merger',
        points: [
          { metric: SERVICES, unit: '74', ts: '2025-05-01T00:00:00+07:00', value: 90 },
          { metric: SERVICES, unit: '74', ts: '2025-06-01T00:00:00+07:00', value: 100 },
          { metric: SERVICES, unit: '77', ts: '2025-06-01T00:00:00+07:00', value: 50 },
          { metric: SERVICES, unit: '79', ts: '2025-06-01T00:00:00+07:00', value: 300 },
          { metric: SERVICES, unit: '79', ts: '2025-08-01T00:00:00+07:00', value: 500 },
          { metric: LEVEL4, unit: '74', ts: '2025-06-01T00:00:00+07:00', value: 40 },
          { metric: LEVEL4, unit: '77', ts: '2025-06-01T00:00:00+07:00', value: 60 },
          { metric: LEVEL4, unit: '79', ts: '2025-06-01T00:00:00+07:00', value: 80 },
          { metric: PROJECT06, unit: '74', ts: '2025-06-01T00:00:00+07:00', value: 5 },
          { metric: PROJECT06, unit: '79', ts: '2025-08-01T00:00:00+07:00', value: 20 },
        ],
      },
      {
        batchId: 'q-latest',
        points: [
          { metric: SERVICES, unit: '01', ts: '2026-03-10T00:00:00+07:00', value: 200 },
          { metric: SERVICES, unit: '01', ts: '2026-03-12T00:00:00+07:00', value: 210 },
          { metric: SERVICES, unit: 'BCA', ts: '2026-03-01T00:00:00+07:00', value: 12 },
        ],
      },
    ];
    for (const batch of batches) {
      const r = await push(server.url, key, batch);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('GET /api/v1/catalog/units', () => {
    let units: Unit[];
    beforeAll(async () => {
      const r = await getJson(server.url, '/api/v1/catalog/units');
      expect(r.status).toBe(200);
      units = r.body.units;
    });
    const byCode = (code: string) => units.find((u) => u.code === code) as Unit;

    it('has the nation VN', () => {
      expect(units.filter((u) => u.kind === 'nation').map((u) => u.code)).toEqual(['VN']);
    });

    it('has 34 current provinces and 29 dissolved on 2025-07-01, each with its successor', () => {
      const provinces = units.filter((u) => u.kind === 'province');
      const current = provinces.filter((u) => u.validUntil === null);
      const dissolved = provinces.filter((u) => u.validUntil !== null);
      expect(current).toHaveLength(34);
      expect(dissolved).toHaveLength(29);
      const currentCodes = new Set(current.map((u) => u.code));
      for (const unit of dissolved) {
        expect(unit.validUntil).toBe('2025-07-01');
        expect(unit.successors).toHaveLength(1);
        expect(currentCodes.has(unit.successors[0] as string)).toBe(true);
      }
      for (const unit of current) expect(unit.successors).toEqual([]);
      expect(byCode('74')).toMatchObject({ validUntil: '2025-07-01', successors: ['79'] });
      expect(byCode('77')).toMatchObject({ validUntil: '2025-07-01', successors: ['79'] });
      expect(byCode('79')).toMatchObject({ validUntil: null, predecessors: ['74', '77'] });
    });

    it('has 17 current ministries and 7 dissolved on 2025-03-01, e.g. BTTTT merged into BKHCN', () => {
      const ministries = units.filter((u) => u.kind === 'ministry');
      expect(ministries.filter((u) => u.validUntil === null)).toHaveLength(17);
      const dissolved = ministries.filter((u) => u.validUntil !== null);
      expect(dissolved.map((u) => u.code).sort()).toEqual(['BGTVT', 'BKHDT', 'BLDTBXH', 'BNNPTNT', 'BTNMT', 'BTTTT', 'UBDT']);
      for (const unit of dissolved) expect(unit.validUntil).toBe('2025-03-01');
      expect(byCode('BTTTT')).toMatchObject({ successors: ['BKHCN'] });
      expect(byCode('BKHCN').predecessors).toContain('BTTTT');
      expect(byCode('BKHDT')).toMatchObject({ successors: ['BTC'] });
    });
  });

  describe('GET /api/v1/catalog/metrics', () => {
    it('lists the metrics with their targets: dvc.level4_share ≥ 30% by 2020-12-31 citing 17/NQ-CP', async () => {
      const r = await getJson(server.url, '/api/v1/catalog/metrics');
      expect(r.status).toBe(200);
      const metrics = r.body.metrics as { code: string; kind: string; targets: Record<string, unknown>[] }[];
      expect(metrics.map((m) => m.code)).toEqual(
        expect.arrayContaining([APPLICATIONS, SERVICES, LEVEL4, 'egdi.rank', 'population.citizen_records']),
      );
      for (const metric of metrics) expect(Array.isArray(metric.targets)).toBe(true);
      const level4 = metrics.find((m) => m.code === LEVEL4);
      expect(level4).toMatchObject({ kind: 'ratio', min: 0, max: 100 });
      expect(level4?.targets).toEqual([
        expect.objectContaining({
          metricCode: LEVEL4,
          unitCode: 'VN',
          value: 30,
          comparator: '>=',
          deadline: '2020-12-31',
          legalSourceVi: expect.stringContaining('17/NQ-CP'),
        }),
      ]);
      const egdi = metrics.find((m) => m.code === 'egdi.rank');
      expect(egdi?.targets).toEqual([expect.objectContaining({ value: 70, comparator: '<=', deadline: '2025-12-31' })]);
    });
  });

  describe('GET /api/v1/series', () => {
    const range = { from: '2026-03-01T00:00:00+07:00', to: '2026-05-01T00:00:00+07:00' };

    it('returns raw values in time order', async () => {
      const r = await getJson(server.url, query('/api/v1/series', { metric: APPLICATIONS, unit: '01', ...range }));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        metric: APPLICATIONS,
        unit: '01',
        bucket: null,
        agg: null,
        units: ['01'],
        source: 'raw',
        points: [
          { ts: '2026-03-10T01:00:00.000Z', value: 10 },
          { ts: '2026-03-10T01:30:00.000Z', value: 20 },
          { ts: '2026-03-10T02:15:00.000Z', value: 30 },
          { ts: '2026-03-10T23:30:00.000Z', value: 1 },
          { ts: '2026-03-11T03:00:00.000Z', value: 5 },
          { ts: '2026-04-02T05:00:00.000Z', value: 7 },
        ],
      });
    });

    it('treats from as inclusive and to as exclusive', async () => {
      const r = await getJson(
        server.url,
        query('/api/v1/series', { metric: APPLICATIONS, unit: '01', from: '2026-03-10T08:30:00+07:00', to: '2026-03-11T10:00:00+07:00' }),
      );
      expect(r.body.points.map((p: { value: number }) => p.value)).toEqual([20, 30, 1]);
    });

    // Buckets are Vietnamese hours, days and months (01:00Z = 08:00 in Hà Nội; days start at 17:00Z).
    const H = [
      '2026-03-10T01:00:00.000Z',
      '2026-03-10T02:00:00.000Z',
      '2026-03-10T23:00:00.000Z',
      '2026-03-11T03:00:00.000Z',
      '2026-04-02T05:00:00.000Z',
    ];
    const D = ['2026-03-09T17:00:00.000Z', '2026-03-10T17:00:00.000Z', '2026-04-01T17:00:00.000Z'];
    const M = ['2026-02-28T17:00:00.000Z', '2026-03-31T17:00:00.000Z'];
    const bucketed: { bucket: string; agg: string | undefined; interval: string; source: string; ts: string[]; values: number[] }[] = [
      { bucket: '1h', agg: undefined, interval: '1 hour', source: 'hourly', ts: H, values: [30, 30, 1, 5, 7] },
      { bucket: '1h', agg: 'avg', interval: '1 hour', source: 'hourly', ts: H, values: [15, 30, 1, 5, 7] },
      { bucket: '1h', agg: 'min', interval: '1 hour', source: 'hourly', ts: H, values: [10, 30, 1, 5, 7] },
      { bucket: '1h', agg: 'max', interval: '1 hour', source: 'hourly', ts: H, values: [20, 30, 1, 5, 7] },
      { bucket: '1h', agg: 'last', interval: '1 hour', source: 'hourly', ts: H, values: [20, 30, 1, 5, 7] },
      { bucket: '1d', agg: 'sum', interval: '1 day', source: 'daily', ts: D, values: [60, 6, 7] },
      { bucket: '1d', agg: 'avg', interval: '1 day', source: 'daily', ts: D, values: [20, 3, 7] },
      { bucket: '1d', agg: 'min', interval: '1 day', source: 'daily', ts: D, values: [10, 1, 7] },
      { bucket: '1d', agg: 'max', interval: '1 day', source: 'daily', ts: D, values: [30, 5, 7] },
      { bucket: '1d', agg: 'last', interval: '1 day', source: 'daily', ts: D, values: [30, 5, 7] },
      { bucket: '1mo', agg: 'sum', interval: '1 month', source: 'daily', ts: M, values: [66, 7] },
      { bucket: '1mo', agg: 'avg', interval: '1 month', source: 'daily', ts: M, values: [13.2, 7] },
      { bucket: '1mo', agg: 'min', interval: '1 month', source: 'daily', ts: M, values: [1, 7] },
      { bucket: '1mo', agg: 'max', interval: '1 month', source: 'daily', ts: M, values: [30, 7] },
      { bucket: '1mo', agg: 'last', interval: '1 month', source: 'daily', ts: M, values: [5, 7] },
      {
        bucket: '15m',
        agg: 'sum',
        interval: '15 minutes',
        source: 'raw',
        ts: [
          '2026-03-10T01:00:00.000Z',
          '2026-03-10T01:30:00.000Z',
          '2026-03-10T02:15:00.000Z',
          '2026-03-10T23:30:00.000Z',
          '2026-03-11T03:00:00.000Z',
          '2026-04-02T05:00:00.000Z',
        ],
        values: [10, 20, 30, 1, 5, 7],
      },
    ];

    async function checkBucketed({ bucket, agg, interval, source, ts, values }: (typeof bucketed)[number]) {
      const r = await getJson(
        server.url,
        query('/api/v1/series', { metric: APPLICATIONS, unit: '01', ...range, bucket, ...(agg ? { agg } : {}) }),
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ bucket: interval, agg: agg ?? 'sum', source, units: ['01'] });
      expect(r.body.points.map((p: { ts: string }) => p.ts)).toEqual(ts);
      const got = r.body.points.map((p: { value: number }) => p.value) as number[];
      expect(got).toHaveLength(values.length);
      got.forEach((value, i) => expect(value).toBeCloseTo(values[i] as number, 9));
    }

    it.each(bucketed)('bucket=$bucket agg=$agg', checkBucketed);

    it('gives the same bucketed answers once the continuous aggregates are materialised', async () => {
      await server.db.query(`CALL refresh_continuous_aggregate('observation_hourly', NULL, NULL)`);
      await server.db.query(`CALL refresh_continuous_aggregate('observation_daily', NULL, NULL)`);
      const { rows } = await server.db.query<{ name: string }>(
        `SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) AS name
         FROM timescaledb_information.continuous_aggregates WHERE view_name IN ('observation_hourly', 'observation_daily')`,
      );
      expect(rows).toHaveLength(2);
      for (const { name } of rows) {
        const materialised = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
        expect(materialised.rows[0]?.n, name).toBeGreaterThan(0);
      }
      for (const c of bucketed) await checkBucketed(c);
    });

    it('includePredecessors=true for 79 adds the values of 74 and 77 before 2025-07-01: sum for gauges', async () => {
      const year = { from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' };
      const alone = await getJson(server.url, query('/api/v1/series', { metric: SERVICES, unit: '79', ...year }));
      expect(alone.body.units).toEqual(['79']);
      expect(alone.body.points).toEqual([
        { ts: '2025-05-31T17:00:00.000Z', value: 300 },
        { ts: '2025-07-31T17:00:00.000Z', value: 500 },
      ]);
      const merged = await getJson(
        server.url,
        query('/api/v1/series', { metric: SERVICES, unit: '79', ...year, includePredecessors: 'true' }),
      );
      expect(merged.status).toBe(200);
      expect(merged.body.units).toEqual(['79', '74', '77']);
      expect(merged.body.points).toEqual([
        { ts: '2025-04-30T17:00:00.000Z', value: 90 },
        { ts: '2025-05-31T17:00:00.000Z', value: 450 },
        { ts: '2025-07-31T17:00:00.000Z', value: 500 },
      ]);
      const monthly = await getJson(
        server.url,
        query('/api/v1/series', { metric: SERVICES, unit: '79', ...year, includePredecessors: 'true', bucket: '1mo' }),
      );
      expect(monthly.body.points).toEqual([
        { ts: '2025-04-30T17:00:00.000Z', value: 90 },
        { ts: '2025-05-31T17:00:00.000Z', value: 450 },
        { ts: '2025-07-31T17:00:00.000Z', value: 500 },
      ]);
      const explicitFalse = await getJson(
        server.url,
        query('/api/v1/series', { metric: SERVICES, unit: '79', ...year, includePredecessors: 'false' }),
      );
      expect(explicitFalse.body.units).toEqual(['79']);
    });

    it('includePredecessors=true averages ratios', async () => {
      const params = { metric: LEVEL4, unit: '79', from: '2025-06-01T00:00:00+07:00', to: '2025-06-02T00:00:00+07:00' };
      expect((await getJson(server.url, query('/api/v1/series', params))).body.points).toEqual([
        { ts: '2025-05-31T17:00:00.000Z', value: 80 },
      ]);
      const merged = await getJson(server.url, query('/api/v1/series', { ...params, includePredecessors: 'true' }));
      expect(merged.body.points).toEqual([{ ts: '2025-05-31T17:00:00.000Z', value: 60 }]);
    });

    it('includePredecessors ignores values of an absorbed unit dated after its dissolution', async () => {
      // The ingest API refuses such values; rows can still predate the catalog's record of the merger.
      await server.db.query(
        `INSERT INTO observation (metric, unit, ts, value, batch_id, key_id, received_at) VALUES ($1, '74', '2025-08-01T00:00:00+07:00', 9, 'legacy', 'seed', now())`,
        [PROJECT06],
      );
      const params = {
        metric: PROJECT06,
        unit: '79',
        from: '2025-01-01T00:00:00+07:00',
        to: '2026-01-01T00:00:00+07:00',
        includePredecessors: 'true',
      };
      expect((await getJson(server.url, query('/api/v1/series', params))).body.points).toEqual([
        { ts: '2025-05-31T17:00:00.000Z', value: 5 },
        { ts: '2025-07-31T17:00:00.000Z', value: 20 },
      ]);
      // ...while the absorbed unit's own series still shows what is stored
      expect(
        (await getJson(server.url, query('/api/v1/series', { ...params, unit: '74', includePredecessors: 'false' }))).body.points,
      ).toHaveLength(2);
    });

    it('serves the seeded UN EGDI rank history of Viet Nam: 99, 89, 88, 86, 86, 71', async () => {
      const r = await getJson(server.url, query('/api/v1/series', { metric: 'egdi.rank', unit: 'VN' }));
      expect(r.status).toBe(200);
      expect(r.body.points.map((p: { value: number }) => p.value)).toEqual([99, 89, 88, 86, 86, 71]);
      expect(r.body.points.map((p: { ts: string }) => p.ts.slice(0, 4))).toEqual(['2014', '2016', '2018', '2020', '2022', '2024']);
      expect(r.body.points.at(-1)).toEqual({ ts: '2024-09-16T17:00:00.000Z', value: 71 });
    });

    const bad: { name: string; params: Record<string, string>; status: number; error: string; says: string }[] = [
      { name: 'unknown metric', params: { metric: 'dvc.nope', unit: 'VN' }, status: 404, error: 'not_found', says: '"dvc.nope"' },
      { name: 'unknown unit', params: { metric: SERVICES, unit: 'ZZ' }, status: 404, error: 'not_found', says: '"ZZ"' },
      { name: 'metric missing', params: { unit: 'VN' }, status: 400, error: 'invalid_query', says: 'metric' },
      { name: 'bad bucket', params: { metric: SERVICES, unit: 'VN', bucket: '5x' }, status: 400, error: 'invalid_query', says: 'bucket' },
      { name: 'zero bucket', params: { metric: SERVICES, unit: 'VN', bucket: '0h' }, status: 400, error: 'invalid_query', says: '"0h"' },
      {
        name: 'unknown agg',
        params: { metric: SERVICES, unit: 'VN', bucket: '1d', agg: 'median' },
        status: 400,
        error: 'invalid_query',
        says: 'agg',
      },
      {
        name: 'from after to',
        params: { metric: SERVICES, unit: 'VN', from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        status: 400,
        error: 'invalid_query',
        says: 'must be before',
      },
      {
        name: 'from equal to to',
        params: { metric: SERVICES, unit: 'VN', from: '2026-03-01T00:00:00Z', to: '2026-03-01T07:00:00+07:00' },
        status: 400,
        error: 'invalid_query',
        says: 'must be before',
      },
      {
        name: 'from without offset',
        params: { metric: SERVICES, unit: 'VN', from: '2026-03-01T00:00:00' },
        status: 400,
        error: 'invalid_query',
        says: '"2026-03-01T00:00:00"',
      },
      {
        name: 'to past the year 9999',
        params: { metric: SERVICES, unit: 'VN', to: '9999-12-31T23:59:59-14:00' },
        status: 400,
        error: 'invalid_query',
        says: '9999-12-31T23:59:59-14:00',
      },
      {
        name: 'includePredecessors not true/false',
        params: { metric: SERVICES, unit: '79', includePredecessors: 'yes' },
        status: 400,
        error: 'invalid_query',
        says: 'includePredecessors',
      },
    ];

    it.each(bad)('answers $status {error, message} for $name', async ({ params, status, error, says }) => {
      const r = await getJson(server.url, query('/api/v1/series', params));
      expect(r.status).toBe(status);
      expect(r.body.error).toBe(error);
      expect(typeof r.body.message).toBe('string');
      expect(r.body.message).toContain(says);
    });
  });

  describe('GET /api/v1/latest', () => {
    it('returns one row per unit in force now with its latest value', async () => {
      const r = await getJson(server.url, query('/api/v1/latest', { metric: SERVICES }));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ metric: SERVICES, includeEnded: false });
      // 74 and 77 ended at the 2025 merger: their last values are history, not current provinces
      expect(r.body.values.map(({ unit, ts, value }: { unit: string; ts: string; value: number }) => ({ unit, ts, value }))).toEqual([
        { unit: '01', ts: '2026-03-11T17:00:00.000Z', value: 210 },
        { unit: '79', ts: '2025-07-31T17:00:00.000Z', value: 500 },
        { unit: 'BCA', ts: '2026-02-28T17:00:00.000Z', value: 12 },
        { unit: 'VN', ts: '2024-08-30T17:00:00.000Z', value: 4400 },
      ]);
      for (const row of r.body.values) expect(Number.isNaN(Date.parse(row.receivedAt))).toBe(false);
    });

    it('lists ended units too only when asked (includeEnded=true), and says so', async () => {
      const r = await getJson(server.url, query('/api/v1/latest', { metric: SERVICES, includeEnded: 'true' }));
      expect(r.body.includeEnded).toBe(true);
      expect(r.body.values.map((v: { unit: string }) => v.unit)).toEqual(['01', '74', '77', '79', 'BCA', 'VN']);
      const provinces = await getJson(
        server.url,
        query('/api/v1/latest', { metric: SERVICES, unitKind: 'province', includeEnded: 'true' }),
      );
      expect(provinces.body.values.map((v: { unit: string }) => v.unit)).toEqual(['01', '74', '77', '79']);
      expect((await getJson(server.url, query('/api/v1/latest', { metric: SERVICES, includeEnded: 'yes' }))).status).toBe(400);
    });

    it('filters by unitKind', async () => {
      const units = async (unitKind: string) =>
        (await getJson(server.url, query('/api/v1/latest', { metric: SERVICES, unitKind }))).body.values.map(
          (v: { unit: string }) => v.unit,
        );
      expect(await units('nation')).toEqual(['VN']);
      expect(await units('ministry')).toEqual(['BCA']);
      expect(await units('province')).toEqual(['01', '79']);
    });

    it('answers as of a past time with asOf, with the units in force then', async () => {
      const before = await getJson(
        server.url,
        query('/api/v1/latest', { metric: SERVICES, unitKind: 'province', asOf: '2025-06-30T23:59:59+07:00' }),
      );
      expect(before.body.asOf).toBe('2025-06-30T16:59:59.000Z');
      expect(before.body.values.map(({ unit, value }: { unit: string; value: number }) => [unit, value])).toEqual([
        ['74', 100],
        ['77', 50],
        ['79', 300],
      ]);
      // at midnight on 1 July 2025 74 and 77 are no longer in force (validity is half-open local days)
      const after = await getJson(
        server.url,
        query('/api/v1/latest', { metric: SERVICES, unitKind: 'province', asOf: '2025-07-01T00:00:00+07:00' }),
      );
      expect(after.body.asOf).toBe('2025-06-30T17:00:00.000Z');
      expect(after.body.values.map(({ unit, value }: { unit: string; value: number }) => [unit, value])).toEqual([['79', 300]]);
    });

    it('answers 404 for an unknown metric and 400 for an unknown unitKind', async () => {
      const unknown = await getJson(server.url, query('/api/v1/latest', { metric: 'dvc.nope' }));
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: 'not_found', message: expect.stringContaining('"dvc.nope"') });
      const badKind = await getJson(server.url, query('/api/v1/latest', { metric: SERVICES, unitKind: 'city' }));
      expect(badKind.status).toBe(400);
      expect(badKind.body).toMatchObject({ error: 'invalid_query', message: expect.stringContaining('unitKind') });
    });
  });

  it('GET /api/v1/health answers {status: ok, db, timescaledb: version, jobs, scheduler, storage}', async () => {
    const r = await getJson(server.url, '/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      // degraded only while a TimescaleDB job is failing or overdue (job-health.e2e.test.ts breaks one on purpose)
      status: r.body.jobs.length > 0 ? 'degraded' : 'ok',
      // the driver of the database this suite runs on: 'pglite' embedded, 'pg' on a TimescaleDB server
      db: { driver: server.db.driver, reachable: true, latencyMs: expect.any(Number) },
      timescaledb: expect.stringMatching(/^\d+\.\d+\.\d+/),
      jobs: expect.any(Array),
      // a server runs TimescaleDB's scheduler for the database (scheduler-health.e2e.test.ts stops it); the embedded
      // database has none
      scheduler: server.db.driver === 'pglite' ? null : 'running',
      // not writable only after a write refused for the storage (disk-faults.e2e.test.ts fills a disk)
      storage: { writable: true, since: null, reason: null },
    });
    // the embedded database's jobs are run by dxoc itself: nothing failing on a fresh database
    if (server.db.driver === 'pglite') expect(r.body.jobs).toEqual([]);
  });

  it('GET /api/openapi.json is an OpenAPI 3.1 document with the ingest path and its request schema', async () => {
    const r = await getJson(server.url, '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/ingest',
        '/api/v1/series',
        '/api/v1/latest',
        '/api/v1/history',
        '/api/v1/health',
        '/api/v1/catalog/units',
        '/api/v1/catalog/metrics',
      ]),
    );
    const ingest = r.body.paths['/api/v1/ingest'].post;
    expect(Object.keys(ingest.responses).sort()).toEqual(['200', '202', '400', '401', '403', '409', '413', '415', '429', '503']);
    const schema = ingest.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['batchId', 'points'],
      additionalProperties: false,
      properties: {
        batchId: { type: 'string', pattern: BATCH_ID_PATTERN.source },
        points: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_POINTS_PER_BATCH,
          items: { type: 'object', required: ['metric', 'unit', 'ts', 'value'], additionalProperties: false },
        },
      },
    });
    expect(schema.properties.points.items.properties.value).toEqual({ type: 'number' });
  });

  it('GET /api/docs/ serves HTML that loads only local swagger-ui assets, and each asset answers 200', async () => {
    const page = await fetch(`${server.url}/api/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(expect.arrayContaining(['./swagger-ui.css', './swagger-ui-bundle.js', './docs-init.js']));
    for (const asset of assets) {
      const url = new URL(asset, `${server.url}/api/docs/`);
      expect(url.origin).toBe(server.url);
      const answer = await fetch(url);
      expect(answer.status, asset).toBe(200);
      expect((await answer.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await fetch(`${server.url}/api/docs/docs-init.js`)).text();
    expect(init).toContain("'/api/openapi.json'");
    const noSlash = await fetch(`${server.url}/api/docs`, { redirect: 'manual' });
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get('location')).toBe('/api/docs/');
  });

  it('answers an unknown route with 404 JSON {error, message}', async () => {
    for (const path of ['/api/v1/nope', '/nope']) {
      const r = await getJson(server.url, path);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: 'not_found', message: expect.any(String) });
    }
    const wrongMethod = await fetch(`${server.url}/api/v1/series`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers an unexpected error with 500 and no internals (the cause goes to the log)', async () => {
    // A NUL byte is valid in a query string but Postgres refuses it in a text parameter: nothing in the
    // product expects that, so it reaches the catch-all error path.
    const logged: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    try {
      const r = await getJson(server.url, '/api/v1/history?metric=%00&unit=79&ts=2026-03-01T00:00:00Z');
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'internal_error', message: 'an unexpected error occurred; it has been logged' });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(logged.join('')).toMatch(/unexpected.error.*0x00/);
  });
});

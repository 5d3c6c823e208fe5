/**
 * The ingest contract of POST /api/v1/ingest, end to end: a real backend on a real port over a fresh embedded
 * TimescaleDB, spoken to with fetch. Data pushed here is dated in the past (2025/2026) so the "future" rule never
 * interferes; the server runs on the real clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@dxoc/contracts';
import { getJson, push, revokeKey, startTestServer, type Point, type TestServer } from './support/app';
import { inWorker } from './support/databases';
import { stoppableOverSocket } from './support/databases';

const SERVICES = 'dvc.services_online'; // gauge, 0..+inf, nation/province/ministry
const LEVEL4 = 'dvc.level4_share'; // ratio 0..100
const CITIZENS = 'population.citizen_records'; // counter, nation/province

/** A point for unit 79 (Hồ Chí Minh City) on a day of March 2026, Vietnamese time. */
function pt(overrides: Partial<Record<keyof Point, unknown>> & Record<string, unknown> = {}): Record<string, unknown> {
  return { metric: SERVICES, unit: '79', ts: '2026-03-02T08:00:00+07:00', value: 1, ...overrides };
}

function vnTime(epochMs: number): string {
  return `${new Date(epochMs + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

function keyId(key: string): string {
  return /^dxoc_([a-f0-9]{16})_/.exec(key)?.[1] as string;
}

async function count(server: TestServer, table: 'observation' | 'ingest_batch' | 'observation_revision'): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n as number;
}

async function counts(server: TestServer) {
  return {
    observation: await count(server, 'observation'),
    batches: await count(server, 'ingest_batch'),
    revisions: await count(server, 'observation_revision'),
  };
}

async function series(server: TestServer, params: Record<string, string>) {
  return getJson(server.url, `/api/v1/series?${new URLSearchParams(params)}`);
}

/** Raw values of one series on one Vietnamese day of March 2026. */
async function day(server: TestServer, metric: string, unit: string, dayOfMonth: number) {
  const d = String(dayOfMonth).padStart(2, '0');
  const next = String(dayOfMonth + 1).padStart(2, '0');
  const answer = await series(server, { metric, unit, from: `2026-03-${d}T00:00:00+07:00`, to: `2026-03-${next}T00:00:00+07:00` });
  expect(answer.status).toBe(200);
  return answer.body.points as { ts: string; value: number }[];
}

describe('POST /api/v1/ingest', () => {
  let server: TestServer;
  let key79: string;
  let keyAll: string;

  beforeAll(async () => {
    server = await startTestServer();
    key79 = await server.createKey(['79']);
    keyAll = await server.createKey(null);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('accepted batches', () => {
    it('answers 202 {batchId, accepted, duplicate: false, revised: 0} and the points are readable via GET /api/v1/series', async () => {
      const before = await counts(server);
      const points = [
        pt({ ts: '2026-03-01T08:00:00+07:00', value: 10 }),
        pt({ ts: '2026-03-01T09:00:00+07:00', value: 11 }),
        pt({ ts: '2026-03-01T03:00:00Z', value: 12.5 }),
      ];
      const r = await push(server.url, key79, { batchId: 'hcm-2026-03-01.a', points });
      expect(r.status).toBe(202);
      expect(r.body).toEqual({ batchId: 'hcm-2026-03-01.a', accepted: 3, duplicate: false, revised: 0 });
      expect(await day(server, SERVICES, '79', 1)).toEqual([
        { ts: '2026-03-01T01:00:00.000Z', value: 10 },
        { ts: '2026-03-01T02:00:00.000Z', value: 11 },
        { ts: '2026-03-01T03:00:00.000Z', value: 12.5 },
      ]);
      expect(await counts(server)).toEqual({ ...before, observation: before.observation + 3, batches: before.batches + 1 });
    });

    it('answers 200 duplicate: true when the same key re-sends the same batchId and content, also with ts in another offset notation, and writes nothing twice', async () => {
      const points = [pt({ ts: '2026-03-04T08:00:00+07:00', value: 5 }), pt({ ts: '2026-03-04T09:30:00+07:00', value: 6 })];
      const first = await push(server.url, key79, { batchId: 'dup-1', points });
      expect(first.status).toBe(202);
      const before = await counts(server);

      const again = await push(server.url, key79, { batchId: 'dup-1', points });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ batchId: 'dup-1', accepted: 2, duplicate: true, revised: 0 });

      const inUtc = [pt({ ts: '2026-03-04T01:00:00Z', value: 5 }), pt({ ts: '2026-03-04T02:30:00.000Z', value: 6 })];
      const otherNotation = await push(server.url, key79, { batchId: 'dup-1', points: inUtc });
      expect(otherNotation.status).toBe(200);
      expect(otherNotation.body).toEqual({ batchId: 'dup-1', accepted: 2, duplicate: true, revised: 0 });

      const compactOffset = [pt({ ts: '2026-03-04T08:00+0700', value: 5 }), pt({ ts: '2026-03-04T09:30:00+0700', value: 6 })];
      expect((await push(server.url, key79, { batchId: 'dup-1', points: compactOffset })).status).toBe(200);

      expect(await counts(server)).toEqual(before);
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM observation WHERE metric = $1 AND unit = '79' AND batch_id = 'dup-1'`,
        [SERVICES],
      );
      expect(rows[0]?.n).toBe(2);
    });

    it('answers 409 batch_conflict when the same key re-sends a batchId with different content, and stores nothing', async () => {
      const points = [pt({ ts: '2026-03-06T08:00:00+07:00', value: 7 })];
      expect((await push(server.url, key79, { batchId: 'conflict-1', points })).status).toBe(202);
      const before = await counts(server);

      const r = await push(server.url, key79, { batchId: 'conflict-1', points: [pt({ ts: '2026-03-06T08:00:00+07:00', value: 8 })] });
      expect(r.status).toBe(409);
      expect(r.body.error).toBe('batch_conflict');
      expect(r.body.message).toContain('"conflict-1"');
      expect(r.body.details).toEqual({ batchId: 'conflict-1' });
      expect(await counts(server)).toEqual(before);
      expect(await day(server, SERVICES, '79', 6)).toEqual([{ ts: '2026-03-06T01:00:00.000Z', value: 7 }]);
    });

    it('scopes batchIds to the key: another key may use the same batchId', async () => {
      const points = [pt({ ts: '2026-03-06T10:00:00+07:00', value: 9 })];
      expect((await push(server.url, key79, { batchId: 'shared-id', points })).status).toBe(202);
      const other = await push(server.url, keyAll, {
        batchId: 'shared-id',
        points: [pt({ unit: '01', ts: '2026-03-06T10:00:00+07:00', value: 3 })],
      });
      expect(other.status).toBe(202);
      expect(other.body.duplicate).toBe(false);
    });

    it('accepts a batchId of exactly 128 characters of the allowed alphabet', async () => {
      const batchId = `A.b_c:d-9${'x'.repeat(119)}`;
      expect(batchId).toHaveLength(128);
      const r = await push(server.url, key79, { batchId, points: [pt({ ts: '2026-03-06T11:00:00+07:00' })] });
      expect(r.status).toBe(202);
      expect(r.body.batchId).toBe(batchId);
    });

    it('lets the key for 79 write its predecessors 74 and 77 for days before 2025-07-01 (Vietnamese calendar)', async () => {
      const r = await push(server.url, key79, {
        batchId: 'hcm-history-1',
        points: [
          pt({ unit: '74', ts: '2025-06-30T23:59:59+07:00', value: 120 }),
          pt({ unit: '77', ts: '2025-06-30T16:59:59Z', value: 80 }),
        ],
      });
      expect(r.status).toBe(202);
      expect(r.body.accepted).toBe(2);
      const answer = await series(server, {
        metric: SERVICES,
        unit: '74',
        from: '2025-06-30T00:00:00+07:00',
        to: '2025-07-01T00:00:00+07:00',
      });
      expect(answer.body.points).toEqual([{ ts: '2025-06-30T16:59:59.000Z', value: 120 }]);
    });

    it("accepts a ts a minute ahead of the server clock (agents' clocks drift a little)", async () => {
      const r = await push(server.url, keyAll, {
        batchId: 'skew-1',
        points: [pt({ metric: 'dvc.project06_services', unit: '01', ts: vnTime(Date.now() + 60_000), value: 3 })],
      });
      expect(r.status).toBe(202);
    });

    it('accepts a counter value between its stored neighbours', async () => {
      const seed = await push(server.url, key79, {
        batchId: 'ctr-base',
        points: [
          pt({ metric: CITIZENS, ts: '2026-03-20T00:00:00+07:00', value: 1000 }),
          pt({ metric: CITIZENS, ts: '2026-03-25T00:00:00+07:00', value: 2000 }),
        ],
      });
      expect(seed.status).toBe(202);
      const between = await push(server.url, key79, {
        batchId: 'ctr-between',
        points: [pt({ metric: CITIZENS, ts: '2026-03-22T00:00:00+07:00', value: 1500 })],
      });
      expect(between.status).toBe(202);
    });
  });

  describe('400 invalid_batch lists every invalid point', () => {
    const future = vnTime(Date.now() + 3600_000);
    const longId = `b${'0123456789'.repeat(12)}12345678`;
    /** [index, field, ...text the message must contain (the offending value, quoted)] */
    type Expected = [index: number | null, field: string, ...fragments: (string | RegExp)[]];
    const cases: { name: string; body: unknown; all?: boolean; details: Expected[] }[] = [
      {
        name: 'unknown metric',
        body: { batchId: 'bad-1', points: [pt({ metric: 'dvc.no_such_metric' })] },
        details: [[0, 'metric', 'unknown metric "dvc.no_such_metric"']],
      },
      { name: 'unknown unit', body: { batchId: 'bad-1', points: [pt({ unit: '99' })] }, details: [[0, 'unit', 'unknown unit "99"']] },
      { name: 'value a boolean', body: { batchId: 'bad-1', points: [pt({ value: true })] }, details: [[0, 'value', 'got a boolean true']] },
      { name: 'value null', body: { batchId: 'bad-1', points: [pt({ value: null })] }, details: [[0, 'value', /got null$/]] },
      {
        name: 'value an object',
        body: { batchId: 'bad-1', points: [pt({ value: { n: 3 } })] },
        details: [[0, 'value', 'got an object {"n":3}']],
      },
      {
        name: 'value as a string',
        body: { batchId: 'bad-1', points: [pt({ value: '12' })] },
        details: [[0, 'value', 'got a string "12"']],
      },
      {
        name: 'value out of double range (1e999 in the JSON text)',
        body: `{"batchId":"bad-1","points":[{"metric":"${SERVICES}","unit":"79","ts":"2026-03-02T08:00:00+07:00","value":1e999}]}`,
        details: [[0, 'value', 'Infinity']],
      },
      {
        name: 'ratio above 100',
        body: { batchId: 'bad-1', points: [pt({ metric: LEVEL4, value: 101 })] },
        details: [[0, 'value', '101 is above', '0..100']],
      },
      {
        name: 'egdi.rank 0 (ranks start at 1)',
        all: true,
        body: { batchId: 'bad-1', points: [pt({ metric: 'egdi.rank', unit: 'VN', value: 0 })] },
        details: [[0, 'value', '0 is below', '1..193']],
      },
      { name: 'gauge below 0', body: { batchId: 'bad-1', points: [pt({ value: -1 })] }, details: [[0, 'value', '-1 is below']] },
      {
        name: 'ts without offset',
        body: { batchId: 'bad-1', points: [pt({ ts: '2026-03-02T08:00:00' })] },
        details: [[0, 'ts', '"2026-03-02T08:00:00"']],
      },
      {
        name: 'ts on 30 February',
        body: { batchId: 'bad-1', points: [pt({ ts: '2025-02-30T00:00:00Z' })] },
        details: [[0, 'ts', '"2025-02-30T00:00:00Z"']],
      },
      {
        name: 'ts in the year 26 (not silently 1926)',
        body: { batchId: 'bad-1', points: [pt({ ts: '0026-03-02T08:00:00+07:00' })] },
        details: [[0, 'ts', '"0026-03-02T08:00:00+07:00"']],
      },
      {
        name: 'ts a date, not a date-time',
        body: { batchId: 'bad-1', points: [pt({ ts: '2026-03-02' })] },
        details: [[0, 'ts', '"2026-03-02"']],
      },
      {
        name: 'ts more than 5 minutes in the future',
        body: { batchId: 'bad-1', points: [pt({ ts: future })] },
        details: [[0, 'ts', `"${future}"`, 'more than 5 minutes in the future']],
      },
      {
        name: 'missing fields',
        body: { batchId: 'bad-1', points: [{}] },
        details: [
          [0, 'metric', '"metric" is missing'],
          [0, 'unit', '"unit" is missing'],
          [0, 'ts', '"ts" is missing'],
          [0, 'value', '"value" is missing'],
        ],
      },
      {
        name: 'extra field in a point',
        body: { batchId: 'bad-1', points: [pt({ source: 'x' })] },
        details: [[0, 'point', 'unknown field(s) "source"']],
      },
      {
        name: 'a point that is not an object',
        body: { batchId: 'bad-1', points: [pt(), 'x'] },
        details: [[1, 'point', 'a point must be an object', 'a string']],
      },
      {
        name: 'extra field in the batch',
        body: { batchId: 'bad-1', points: [pt()], agent: 'x' },
        details: [[null, 'body', 'unknown field(s) "agent"']],
      },
      { name: 'points empty', body: { batchId: 'bad-1', points: [] }, details: [[null, 'points', '"points" is empty']] },
      { name: 'points missing', body: { batchId: 'bad-1' }, details: [[null, 'points', '"points" is missing']] },
      {
        name: '5001 points',
        body: {
          batchId: 'bad-1',
          points: Array.from({ length: 5001 }, (_, i) => pt({ ts: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() })),
        },
        details: [[null, 'points', 'too many points: 5001', 'at most 5000']],
      },
      { name: 'batchId with a space', body: { batchId: 'hcm 2026', points: [pt()] }, details: [[null, 'batchId', '"hcm 2026"']] },
      {
        name: 'batchId of 129 characters',
        body: { batchId: longId, points: [pt()] },
        details: [[null, 'batchId', `"${longId.slice(0, 76)}...`]],
      },
      { name: 'batchId missing', body: { points: [pt()] }, details: [[null, 'batchId', '"batchId" is missing']] },
      { name: 'batchId a number', body: { batchId: 42, points: [pt()] }, details: [[null, 'batchId', 'got a number 42']] },
      { name: 'body a JSON array, not an object', body: [pt()], details: [[null, 'body', 'must be a JSON object']] },
      { name: 'body a JSON string, not an object', body: '"hello"', details: [[null, 'body', 'malformed JSON']] },
      { name: 'malformed JSON text', body: '{"batchId": "bad-1", "points": [', details: [[null, 'body', 'malformed JSON']] },
      {
        name: 'counter going backwards within the batch',
        body: {
          batchId: 'bad-1',
          points: [
            pt({ metric: CITIZENS, ts: '2026-03-11T00:00:00+07:00', value: 90 }),
            pt({ metric: CITIZENS, ts: '2026-03-10T00:00:00+07:00', value: 100 }),
          ],
        },
        details: [[0, 'value', 'went backwards', '90', '100', 'point 1 of this batch']],
      },
      {
        name: 'the same (metric, unit, ts) twice in one batch, in two notations',
        body: {
          batchId: 'bad-1',
          points: [pt({ ts: '2026-03-02T08:00:00+07:00', value: 1 }), pt({ ts: '2026-03-02T01:00:00Z', value: 2 })],
        },
        details: [[1, 'ts', '"2026-03-02T01:00:00Z"', 'point 0']],
      },
      {
        name: 'dissolved provinces 74 and 77 after 2025-07-01 (message names the successor 79)',
        body: {
          batchId: 'bad-1',
          points: [pt({ unit: '74', ts: '2025-07-01T00:00:00+07:00' }), pt({ unit: '77', ts: '2025-06-30T17:00:00Z' })],
        },
        details: [
          [0, 'unit', 'unit "74"', 'merged into "79"', 'send values for 2025-07-01 as "79"'],
          [1, 'unit', 'unit "77"', 'merged into "79"'],
        ],
      },
      {
        name: 'a metric for a unit kind it does not allow (egdi.rank for a province)',
        body: { batchId: 'bad-1', points: [pt({ metric: 'egdi.rank', value: 50 })] },
        details: [[0, 'unit', 'metric "egdi.rank" is reported for nation units', 'province "79"']],
      },
    ];

    it.each(cases)('$name', async ({ body, all, details }) => {
      const before = await counts(server);
      const r = await push(server.url, all ? keyAll : key79, body);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_batch');
      expect(r.body.message).toContain('Nothing');
      expect(r.body.details.map((d: { index: number | null; field: string }) => [d.index, d.field])).toEqual(
        details.map(([index, field]) => [index, field]),
      );
      details.forEach(([, , ...fragments], n) => {
        for (const fragment of fragments) expect(r.body.details[n].message).toMatch(fragment);
      });
      expect(await counts(server)).toEqual(before);
    });

    it('reports a counter lower than the stored value before it, or higher than the one after it', async () => {
      const seed = await push(server.url, key79, {
        batchId: 'ctr-stored',
        points: [
          pt({ metric: CITIZENS, ts: '2026-03-26T00:00:00+07:00', value: 5000 }),
          pt({ metric: CITIZENS, ts: '2026-03-28T00:00:00+07:00', value: 6000 }),
        ],
      });
      expect(seed.status).toBe(202);
      const before = await counts(server);
      const r = await push(server.url, key79, {
        batchId: 'ctr-bad',
        points: [
          pt({ metric: CITIZENS, ts: '2026-03-27T00:00:00+07:00', value: 4999 }),
          pt({ metric: CITIZENS, ts: '2026-03-27T12:00:00+07:00', value: 5500 }),
          pt({ metric: CITIZENS, ts: '2026-03-27T18:00:00+07:00', value: 6001 }),
        ],
      });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([
        { index: 0, field: 'value', message: expect.stringContaining('4999') },
        { index: 2, field: 'value', message: expect.stringContaining('6001') },
      ]);
      expect(r.body.details[0].message).toContain('less than 5000');
      expect(r.body.details[0].message).toContain('the stored value');
      expect(r.body.details[1].message).toContain('more than the stored value 6000');
      expect(await counts(server)).toEqual(before);
    });

    it('lists every invalid point of a batch in one answer, whatever kind of problem each has', async () => {
      const r = await push(server.url, key79, {
        batchId: 'many-problems',
        points: [
          pt({ ts: '2026-03-09T08:00:00+07:00', value: 1 }), // 0 ok
          pt({ ts: '2026-03-09T09:00:00+07:00', value: '7' }), // 1 shape: value a string
          pt({ ts: '2026-03-09T10:00:00+07:00', value: 2 }), // 2 ok
          pt({ metric: 'dvc.nope', ts: '2026-03-09T11:00:00+07:00' }), // 3 catalog: unknown metric
          pt({ ts: '2026-03-09T12:00:00' }), // 4 shape: no offset
          pt({ unit: '74', ts: '2025-08-01T00:00:00+07:00' }), // 5 catalog: dissolved unit
          pt({ metric: CITIZENS, ts: '2026-03-12T00:00:00+07:00', value: 100 }), // 6 ok
          pt({ metric: CITIZENS, ts: '2026-03-13T00:00:00+07:00', value: 90 }), // 7 counter backwards
          pt({ ts: '2026-03-09T01:00:00Z', value: 3 }), // 8 repeats point 0
        ],
      });
      expect(r.status).toBe(400);
      expect([...new Set(r.body.details.map((d: { index: number }) => d.index))]).toEqual([1, 3, 4, 5, 7, 8]);
      expect(r.body.message).toContain('6 place(s)');
    });

    it('writes nothing from a failed batch: valid points plus one invalid point leave observation and ingest_batch unchanged', async () => {
      const before = await counts(server);
      const valid = [
        pt({ ts: '2026-03-03T08:00:00+07:00', value: 1 }),
        pt({ ts: '2026-03-03T09:00:00+07:00', value: 2 }),
        pt({ metric: LEVEL4, ts: '2026-03-03T09:00:00+07:00', value: 40 }),
      ];
      const r = await push(server.url, key79, {
        batchId: 'atomic-1',
        points: [...valid, pt({ metric: LEVEL4, ts: '2026-03-03T10:00:00+07:00', value: 101 })],
      });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ index: 3, field: 'value', message: expect.stringContaining('101') }]);
      expect(await counts(server)).toEqual(before);
      expect(await day(server, SERVICES, '79', 3)).toEqual([]);

      // the batchId was not used up: the corrected batch goes through under the same id
      const fixed = await push(server.url, key79, {
        batchId: 'atomic-1',
        points: [...valid, pt({ metric: LEVEL4, ts: '2026-03-03T10:00:00+07:00', value: 100 })],
      });
      expect(fixed.status).toBe(202);
      expect(fixed.body).toEqual({ batchId: 'atomic-1', accepted: 4, duplicate: false, revised: 0 });
      expect(await day(server, SERVICES, '79', 3)).toHaveLength(2);
    });
  });

  describe('revisions', () => {
    it('keeps history: a new value for the same (metric, unit, ts) in a new batch is a revision, newest first in /history', async () => {
      const ts = '2026-03-05T12:00:00+07:00';
      const first = await push(server.url, key79, { batchId: 'rev-a', points: [pt({ ts, value: 50 })] });
      expect(first.body).toEqual({ batchId: 'rev-a', accepted: 1, duplicate: false, revised: 0 });
      const before = await counts(server);

      const second = await push(server.url, keyAll, { batchId: 'rev-b', points: [pt({ ts: '2026-03-05T05:00:00Z', value: 55 })] });
      expect(second.status).toBe(202);
      expect(second.body).toEqual({ batchId: 'rev-b', accepted: 1, duplicate: false, revised: 1 });
      expect(await counts(server)).toEqual({
        observation: before.observation,
        batches: before.batches + 1,
        revisions: before.revisions + 1,
      });
      expect(await day(server, SERVICES, '79', 5)).toEqual([{ ts: '2026-03-05T05:00:00.000Z', value: 55 }]);

      const history = await getJson(server.url, `/api/v1/history?${new URLSearchParams({ metric: SERVICES, unit: '79', ts })}`);
      expect(history.status).toBe(200);
      expect(history.body.ts).toBe('2026-03-05T05:00:00.000Z');
      expect(history.body.revisions).toEqual([
        {
          revision: 2,
          value: 55,
          batchId: 'rev-b',
          keyId: keyId(keyAll),
          keyName: 'agent for all units',
          receivedAt: expect.any(String),
          supersededAt: null,
        },
        {
          revision: 1,
          value: 50,
          batchId: 'rev-a',
          keyId: keyId(key79),
          keyName: 'agent for 79',
          receivedAt: expect.any(String),
          supersededAt: expect.any(String),
        },
      ]);
      expect(history.body.current).toEqual(history.body.revisions[0]);
      expect(history.body.revisions[1].supersededAt).toBe(history.body.revisions[0].receivedAt);

      // the same value again is not a new revision
      const same = await push(server.url, key79, { batchId: 'rev-c', points: [pt({ ts, value: 55 })] });
      expect(same.body).toEqual({ batchId: 'rev-c', accepted: 1, duplicate: false, revised: 0 });
      const unchanged = await getJson(
        server.url,
        `/api/v1/history?${new URLSearchParams({ metric: SERVICES, unit: '79', ts: '2026-03-05T05:00:00Z' })}`,
      );
      expect(unchanged.body.revisions.map((x: { batchId: string }) => x.batchId)).toEqual(['rev-b', 'rev-a']);
    });

    it('answers 404 from /history for a value never stored', async () => {
      const r = await getJson(
        server.url,
        `/api/v1/history?${new URLSearchParams({ metric: SERVICES, unit: '79', ts: '2026-03-05T12:00:01+07:00' })}`,
      );
      expect(r.status).toBe(404);
      expect(r.body.error).toBe('not_found');
      expect(r.body.message).toContain('2026-03-05T05:00:01.000Z');
    });
  });

  describe('401 unauthorized', () => {
    const body = { batchId: 'auth-1', points: [pt({ ts: '2026-03-07T08:00:00+07:00' })] };
    const cases: { name: string; authorization: string | null; says: string }[] = [
      { name: 'no Authorization header', authorization: null, says: 'missing agent key' },
      { name: 'a Basic header', authorization: 'Basic ZHhvYzpzZWNyZXQ=', says: 'must be "Bearer <agent key>"' },
      { name: 'Bearer without a key', authorization: 'Bearer', says: 'must be "Bearer <agent key>"' },
      { name: 'a token that is not a dxoc key', authorization: 'Bearer abc.def.ghi', says: 'does not look like a dxoc key' },
      {
        name: 'a well-formed key nobody issued',
        authorization: `Bearer dxoc_0123456789abcdef_${'A'.repeat(43)}`,
        says: 'unknown agent key',
      },
    ];

    it.each(cases)('$name', async ({ authorization, says }) => {
      const before = await counts(server);
      const r = await push(server.url, null, body, authorization ? { authorization } : {});
      expect(r.status).toBe(401);
      expect(r.body.error).toBe('unauthorized');
      expect(r.body.message).toContain(says);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(await counts(server)).toEqual(before);
    });

    it('refuses an issued key id with the wrong secret', async () => {
      const wrongSecret = `dxoc_${keyId(key79)}_${'B'.repeat(43)}`;
      const r = await push(server.url, wrongSecret, body);
      expect(r.status).toBe(401);
      expect(r.body.message).toContain('unknown agent key');
    });

    it('refuses a revoked key at once', async () => {
      const key = await server.createKey(['79']);
      expect((await push(server.url, key, { batchId: 'before-revoke', points: [pt({ ts: '2026-03-07T09:00:00+07:00' })] })).status).toBe(
        202,
      );
      await revokeKey(server, key);
      const before = await counts(server);
      const r = await push(server.url, key, { batchId: 'after-revoke', points: [pt({ ts: '2026-03-07T10:00:00+07:00' })] });
      expect(r.status).toBe(401);
      expect(r.body.error).toBe('unauthorized');
      expect(r.body.message).toContain(`agent key ${keyId(key)} was revoked`);
      expect(await counts(server)).toEqual(before);
    });
  });

  describe('403 forbidden_unit', () => {
    it('lists the indexes of the points for units the key may not write, and stores nothing', async () => {
      const before = await counts(server);
      const r = await push(server.url, key79, {
        batchId: 'forbidden-1',
        points: [
          pt({ ts: '2026-03-08T08:00:00+07:00' }),
          pt({ unit: '01', ts: '2026-03-08T08:00:00+07:00' }),
          pt({ unit: '74', ts: '2025-05-01T00:00:00+07:00' }),
          pt({ unit: '48', ts: '2026-03-08T08:00:00+07:00' }),
          pt({ unit: 'VN', ts: '2026-03-08T08:00:00+07:00' }),
        ],
      });
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('forbidden_unit');
      expect(r.body.message).toContain('"01", "48", "VN"');
      expect(r.body.details).toEqual([
        { index: 1, field: 'unit', message: 'unit "01" is not granted to this key' },
        { index: 3, field: 'unit', message: 'unit "48" is not granted to this key' },
        { index: 4, field: 'unit', message: 'unit "VN" is not granted to this key' },
      ]);
      expect(await counts(server)).toEqual(before);
    });

    it('lets a key created for all units (units null) write any unit', async () => {
      const r = await push(server.url, keyAll, {
        batchId: 'all-units-1',
        points: ['VN', '01', '48', '79', 'BCA', 'BKHCN'].map((unit) => pt({ unit, ts: '2026-03-08T12:00:00+07:00', value: 4 })),
      });
      expect(r.status).toBe(202);
      expect(r.body.accepted).toBe(6);
    });
  });

  it('answers 413 payload_too_large, naming the limit, for a body over 2 MB', async () => {
    const before = await counts(server);
    const big = JSON.stringify({ batchId: 'big-1', points: [pt({ metric: 'x'.repeat(MAX_BODY_BYTES + 1) })] });
    const r = await push(server.url, key79, big);
    expect(r.status).toBe(413);
    expect(r.body.error).toBe('payload_too_large');
    expect(r.body.message).toContain(String(MAX_BODY_BYTES));
    expect(await counts(server)).toEqual(before);
  });
});

describe('POST /api/v1/ingest with requests overlapping (the database in a worker thread, as dxoc serve runs it)', () => {
  let racing: TestServer;
  let racingKey: string;
  beforeAll(async () => {
    racing = await startTestServer({ driver: inWorker });
    racingKey = await racing.createKey(null);
  });
  afterAll(() => racing?.close());

  it('checks counters inside the write: of two batches that contradict each other, sent at once, one is refused', async () => {
    // each is valid on its own; together the later time would hold the lower total (every round above the last)
    for (let round = 0; round < 5; round += 1) {
      const day = `2026-04-0${round + 1}`;
      const base = 100_000 * (round + 1);
      const before = await counts(racing);
      const [earlier, later] = await Promise.all([
        push(racing.url, racingKey, {
          batchId: `ctr-race-a-${round}`,
          points: [pt({ metric: CITIZENS, unit: '48', ts: `${day}T10:00:00+07:00`, value: base + 9000 })],
        }),
        push(racing.url, racingKey, {
          batchId: `ctr-race-b-${round}`,
          points: [pt({ metric: CITIZENS, unit: '48', ts: `${day}T10:30:00+07:00`, value: base + 10 })],
        }),
      ]);
      expect([earlier.status, later.status].sort()).toEqual([202, 400]);
      const refused = earlier.status === 400 ? earlier : later;
      expect(refused.body.details[0].message).toContain('the stored value');
      expect((await counts(racing)).observation).toBe(before.observation + 1);
    }
  });

  it('stores a counter batch that repeats a stored point, whatever the stored history around it', async () => {
    // the repeat makes the plain insert fail and roll back to its savepoint while the counter check is in flight:
    // every statement of the write must still run in a usable transaction
    const first = await push(racing.url, racingKey, {
      batchId: 'ctr-repeat-1',
      points: [pt({ metric: CITIZENS, unit: '31', ts: '2026-05-01T00:00:00+07:00', value: 100 })],
    });
    expect(first.status).toBe(202);
    const again = await push(racing.url, racingKey, {
      batchId: 'ctr-repeat-2',
      points: [
        pt({ metric: CITIZENS, unit: '31', ts: '2026-05-01T00:00:00+07:00', value: 100 }),
        pt({ metric: CITIZENS, unit: '31', ts: '2026-05-20T00:00:00+07:00', value: 150 }),
      ],
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ batchId: 'ctr-repeat-2', accepted: 2, duplicate: false, revised: 0 });
  });
});

describe('POST /api/v1/ingest rate limits (2 batches/s, 100 points/s per key)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_RATE_LIMIT_BATCHES_PER_SEC: '2', DXOC_RATE_LIMIT_POINTS_PER_SEC: '100' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends batches back to back until one is refused (at most `max`); returns the statuses and the refusal. */
  async function untilRefused(key: string, pointsPerBatch: number, max: number, dayOfMarch: number) {
    const statuses: number[] = [];
    for (let i = 0; i < max; i += 1) {
      const points = Array.from({ length: pointsPerBatch }, (_, n) =>
        pt({ unit: '01', ts: new Date(Date.UTC(2026, 2, dayOfMarch) + (i * pointsPerBatch + n) * 60_000).toISOString() }),
      );
      const r = await push(server.url, key, { batchId: `rl-${i}`, points });
      statuses.push(r.status);
      if (r.status !== 202) return { statuses, refused: r };
    }
    return { statuses, refused: null };
  }

  it('answers 429 rate_limited with Retry-After and the limit name when a key sends batches too often', async () => {
    const key = await server.createKey(['01']);
    const { statuses, refused } = await untilRefused(key, 1, 12, 14);
    // a full bucket holds 2 batches; 12 batches back to back would need more than 5 s to pass
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(refused?.status).toBe(429);
    expect(refused?.body.error).toBe('rate_limited');
    expect(refused?.body.message).toContain('"batches_per_second"');
    expect(refused?.body.details).toEqual({ limit: 'batches_per_second', perSecond: 2 });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 429 naming points_per_second when a key sends too many points, with a Retry-After that covers the debt', async () => {
    const key = await server.createKey(['01']);
    const batch = (batchId: string, hour: number) => ({
      batchId,
      points: Array.from({ length: 300 }, (_, n) => pt({ unit: '01', ts: new Date(Date.UTC(2026, 2, 15, hour) + n * 1000).toISOString() })),
    });
    // a full bucket (100 points) lets one larger batch through: the key now owes 200 points, i.e. 3 s until it holds 100 again
    expect((await push(server.url, key, batch('pts-1', 0))).status).toBe(202);
    const before = await count(server, 'observation');
    const refused = await push(server.url, key, batch('pts-2', 1));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(refused.body.message).toContain('"points_per_second"');
    expect(refused.body.details).toEqual({ limit: 'points_per_second', perSecond: 100 });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(refused.body.message).toContain(`retry after ${retryAfter} s`);
    expect(await count(server, 'observation')).toBe(before);
  });

  it('keeps one bucket per key: another key is not slowed down', async () => {
    const key = await server.createKey(['01']);
    const r = await push(server.url, key, { batchId: 'other-key', points: [pt({ unit: '01', ts: '2026-03-16T00:00:00+07:00' })] });
    expect(r.status).toBe(202);
  });
});

describe('POST /api/v1/ingest with a rate below one batch per second (DXOC_RATE_LIMIT_BATCHES_PER_SEC=0.5)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_RATE_LIMIT_BATCHES_PER_SEC: '0.5' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets one batch through, then asks to wait for the next (one batch every 2 s)', async () => {
    const key = await server.createKey(['79']);
    const first = await push(server.url, key, { batchId: 'slow-1', points: [pt({ ts: '2026-03-19T08:00:00+07:00' })] });
    expect(first.status).toBe(202);
    const second = await push(server.url, key, { batchId: 'slow-2', points: [pt({ ts: '2026-03-19T09:00:00+07:00' })] });
    expect(second.status).toBe(429);
    expect(second.body.details).toEqual({ limit: 'batches_per_second', perSecond: 0.5 });
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
  });
});

describe('POST /api/v1/ingest when the database goes away', () => {
  const driver = stoppableOverSocket();
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer({ driver });
    key = await server.createKey(['79']);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 database_unavailable with Retry-After, health answers 503, and nothing is half-written', async () => {
    expect((await push(server.url, key, { batchId: 'up-1', points: [pt({ ts: '2026-03-18T08:00:00+07:00' })] })).status).toBe(202);
    const before = await counts(server);
    const batch = { batchId: 'down-1', points: [pt({ ts: '2026-03-18T09:00:00+07:00' }), pt({ ts: '2026-03-18T10:00:00+07:00' })] };

    await driver.stop();
    const r = await push(server.url, key, batch);
    expect(r.status).toBe(503);
    expect(r.body.error).toBe('database_unavailable');
    expect(r.body.message).toContain('nothing was stored');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const health = await getJson(server.url, '/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', db: { driver: 'pg', reachable: false } });
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await driver.start();
    expect((await getJson(server.url, '/api/v1/health')).status).toBe(200);
    expect(await counts(server)).toEqual(before);
    // the batch was not recorded either: sending it again stores it, it is no "duplicate"
    const retry = await push(server.url, key, batch);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual({ batchId: 'down-1', accepted: 2, duplicate: false, revised: 0 });
  });
});

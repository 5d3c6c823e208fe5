/**
 * Operators see their own unit (issue 13 part 4), over real HTTP on the embedded database: the alerts API shows an
 * operator the alerts about its unit only (the list is narrowed to it, another unit's list is refused, another
 * unit's alert and its history do not exist for it); staff see every unit. The ingest log: accepted batches with
 * their units, accepted and revised counts; refused batches with status, error code and a short message,
 * aggregated per key, status and code so a flood adds no rows; an operator sees its own unit's only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import type { Alert, ReceivedBatch, RefusedBatch } from '@dxoc/contracts';
import { INGEST_PATH, MAX_BODY_BYTES } from '@dxoc/contracts';
import { callJson, push, revokeKey, signInAs, startTestServer, type TestServer } from './support/app';

const LEVEL4 = 'dvc.level4_share'; // ratio 0..100, monthly, nation/provinces/ministries
const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('operators see their own unit', () => {
  let server: TestServer;
  let staff: { token: string };
  let operator01: { token: string };

  beforeAll(async () => {
    server = await startTestServer();
    staff = await signInAs(server, 'staff');
    operator01 = await signInAs(server, 'operator'); // bound to unit 01
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an accepted batch with revisions shows its units and counts', async () => {
    const key = await server.createKey(['01']);
    const ts = ago(2 * MINUTE);
    const first = await push(server.url, key, { batchId: 'log-1', points: [{ metric: LEVEL4, unit: '01', ts, value: 40 }] });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const second = await push(server.url, key, {
      batchId: 'log-2',
      points: [
        { metric: LEVEL4, unit: '01', ts, value: 41 },
        { metric: LEVEL4, unit: '01', ts: ago(3 * MINUTE), value: 42 },
      ],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(202);
    const keyId = key.split('_')[1] as string;
    const log = await callJson(server.url, 'GET', `/api/v1/ingest-log/batches?key=${keyId}`, operator01.token);
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    const batches = log.body.batches as ReceivedBatch[];
    expect(batches.map((b) => [b.batchId, b.units, b.accepted, b.revised])).toEqual([
      ['log-2', ['01'], 2, 1],
      ['log-1', ['01'], 1, 0],
    ]);
  });

  it('refused batches are recorded with their reasons, aggregated, and shown to their unit only', async () => {
    const key01 = await server.createKey(['01']);
    const key79 = await server.createKey(['79']);
    const id01 = key01.split('_')[1] as string;
    const id79 = key79.split('_')[1] as string;
    // a flood of the same mistake is one row that counts
    for (let i = 0; i < 25; i += 1) {
      const bad = await push(server.url, key01, {
        batchId: `bad-${i}`,
        points: [{ metric: 'no.such.metric', unit: '01', ts: ago(MINUTE), value: 1 }],
      });
      expect(bad.status).toBe(400);
    }
    const foreign = await push(server.url, key01, {
      batchId: 'foreign',
      points: [{ metric: LEVEL4, unit: '79', ts: ago(MINUTE), value: 1 }],
    });
    expect(foreign.status).toBe(403);
    expect((await push(server.url, key79, { batchId: 'b79', points: 'nope' })).status).toBe(400);

    const refusalsOf = async (token: string, query = '') => {
      // recorded without blocking the answer: read until the flood's last refusal is counted
      for (;;) {
        const response = await callJson(server.url, 'GET', `/api/v1/ingest-log/refusals${query}`, token);
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        const refusals = response.body.refusals as RefusedBatch[];
        const flood = refusals.find((r) => r.keyId === id01 && r.status === 400);
        const written = refusals.filter((r) => r.keyId === id01 || r.keyId === id79).length;
        // an operator's list holds its own key's two rows; staff see all three
        if (flood && flood.count >= 25 && written >= (token === staff.token ? 3 : 2)) return refusals;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const all = await refusalsOf(staff.token);
    const flood = all.find((r) => r.keyId === id01 && r.status === 400);
    expect(flood).toMatchObject({ count: 25, batchId: 'bad-24', error: 'invalid_batch' });
    expect(flood!.message).toContain('no.such.metric');
    expect(flood!.message.length).toBeLessThanOrEqual(500);
    expect(all.find((r) => r.keyId === id01 && r.status === 403)).toMatchObject({ count: 1, batchId: 'foreign' });
    expect(all.some((r) => r.keyId === id79)).toBe(true);
    expect(all.filter((r) => r.keyId === id01 || r.keyId === id79)).toHaveLength(3);

    const mine = await refusalsOf(operator01.token);
    expect(mine.some((r) => r.keyId === id01)).toBe(true);
    expect(
      mine.some((r) => r.keyId === id79),
      "unit 79's key is not shown to 01's operator",
    ).toBe(false);
    expect((await callJson(server.url, 'GET', '/api/v1/ingest-log/refusals?unit=79', operator01.token)).status).toBe(403);
    expect((await callJson(server.url, 'GET', '/api/v1/ingest-log/batches?unit=79', operator01.token)).status).toBe(403);
    const batches79 = await callJson(server.url, 'GET', '/api/v1/ingest-log/batches', operator01.token);
    expect((batches79.body.batches as ReceivedBatch[]).every((b) => b.units.includes('01'))).toBe(true);
  });

  it('an operator sees the alerts about its unit only', async () => {
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, {
      name: 'operator view',
      metric: LEVEL4,
      scope: { kind: 'units', units: ['01', '79'] },
      condition: { type: 'above', value: 80 },
      severity: 'warning',
      messageVi: '{unit} vượt {threshold}',
      messageEn: '{unit} above {threshold}',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const key = await server.createKey(['01', '79']);
    const pushed = await push(server.url, key, {
      batchId: 'operator-alerts',
      points: ['01', '79'].map((unit) => ({ metric: LEVEL4, unit, ts: ago(MINUTE), value: 95 })),
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
    await server.app.get(AlertEvaluator).idle();

    const all = await callJson(server.url, 'GET', `/api/v1/alerts?metric=${LEVEL4}`, staff.token);
    expect(all.status).toBe(200);
    const byUnit = new Map((all.body.alerts as Alert[]).map((alert) => [alert.unit, alert]));
    const own = byUnit.get('01');
    const other = byUnit.get('79');
    expect(own, 'staff see the alert about 01').toBeDefined();
    expect(other, 'staff see the alert about 79').toBeDefined();

    const mine = await callJson(server.url, 'GET', `/api/v1/alerts?metric=${LEVEL4}`, operator01.token);
    expect(mine.status).toBe(200);
    expect((mine.body.alerts as Alert[]).map((alert) => alert.unit)).toEqual(['01']);

    const otherList = await callJson(server.url, 'GET', '/api/v1/alerts?unit=79', operator01.token);
    expect(otherList.status).toBe(403);
    expect(otherList.body.error).toBe('forbidden_unit');

    expect((await callJson(server.url, 'GET', `/api/v1/alerts/${own!.id}`, operator01.token)).status).toBe(200);
    expect((await callJson(server.url, 'GET', `/api/v1/alerts/${own!.id}/events`, operator01.token)).status).toBe(200);
    expect((await callJson(server.url, 'GET', `/api/v1/alerts/${other!.id}`, operator01.token)).status).toBe(404);
    expect((await callJson(server.url, 'GET', `/api/v1/alerts/${other!.id}/events`, operator01.token)).status).toBe(404);

    // the timeline of state changes in a time range: the operator's holds its own unit's only
    const from = new Date(Date.now() - 10 * MINUTE).toISOString();
    const timeline = await callJson(
      server.url,
      'GET',
      `/api/v1/alert-events?from=${encodeURIComponent(from)}&metric=${LEVEL4}`,
      staff.token,
    );
    expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
    const units = (timeline.body.events as { unit: string; alertId: number }[]).map((e) => e.unit);
    expect(units).toContain('01');
    expect(units).toContain('79');
    const ownTimeline = await callJson(server.url, 'GET', `/api/v1/alert-events?from=${encodeURIComponent(from)}`, operator01.token);
    expect(ownTimeline.status).toBe(200);
    expect(new Set((ownTimeline.body.events as { unit: string }[]).map((e) => e.unit))).toEqual(new Set(['01']));
    const future = new Date(Date.now() + 10 * MINUTE).toISOString();
    const empty = await callJson(server.url, 'GET', `/api/v1/alert-events?from=${encodeURIComponent(future)}`, staff.token);
    expect(empty.body.events).toEqual([]);
  });

  it('refusals before the batch is read are recorded for a key that exists: a stale secret, a revoked key, a body that is not JSON or too large', async () => {
    const raw = (key: string, body: string | Buffer) =>
      fetch(`${server.url}${INGEST_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
    const unreadable = await server.createKey(['01']);
    const unreadableId = unreadable.split('_')[1] as string;
    expect((await raw(unreadable, '{"batchId": "half')).status).toBe(400);
    expect((await raw(unreadable, Buffer.alloc(MAX_BODY_BYTES + 10, 0x20))).status).toBe(413);

    const stale = await server.createKey(['01']);
    const staleId = stale.split('_')[1] as string;
    const wrongSecret = `dxoc_${staleId}_${'x'.repeat(43)}`;
    const refusedSecret = await push(server.url, wrongSecret, { batchId: 'stale-1', points: [] });
    expect(refusedSecret.status).toBe(401);

    const revoked = await server.createKey(['01']);
    const revokedId = revoked.split('_')[1] as string;
    await revokeKey(server, revoked);
    const refusedRevoked = await push(server.url, revoked, { batchId: 'after-revoke', points: [] });
    expect(refusedRevoked.status).toBe(401);
    // a key that does not exist has no operator to tell: nothing is recorded, and the answer is the same 401
    expect((await push(server.url, `dxoc_${'0'.repeat(16)}_${'y'.repeat(43)}`, { batchId: 'x', points: [] })).status).toBe(401);

    const expected = [
      [unreadableId, 400, 'invalid_batch'],
      [unreadableId, 413, 'payload_too_large'],
      [staleId, 401, 'unauthorized'],
      [revokedId, 401, 'unauthorized'],
    ] as const;
    let refusals: RefusedBatch[] = [];
    for (;;) {
      const response = await callJson(server.url, 'GET', '/api/v1/ingest-log/refusals', staff.token);
      expect(response.status).toBe(200);
      refusals = response.body.refusals as RefusedBatch[];
      const found = expected.filter(([key, status]) => refusals.some((r) => r.keyId === key && r.status === status));
      if (found.length === expected.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const [key, status, error] of expected) {
      expect(refusals.find((r) => r.keyId === key && r.status === status)).toMatchObject({ count: 1, error });
    }
    expect(refusals.find((r) => r.keyId === revokedId)).toMatchObject({ batchId: 'after-revoke' });
    expect(refusals.find((r) => r.keyId === revokedId)!.message).toContain('revoked');
    expect(refusals.find((r) => r.keyId === unreadableId && r.status === 400)!.message).toContain('not valid JSON');
    expect(refusals.some((r) => r.keyId === '0'.repeat(16))).toBe(false);
  });
});

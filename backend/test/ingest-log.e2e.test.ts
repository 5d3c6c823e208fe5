/**
 * Operators see their own unit (issue 13 part 4), over real HTTP on the embedded database: the alerts API shows an
 * operator the alerts about its unit only (the list is narrowed to it, another unit's list is refused, another
 * unit's alert and its history do not exist for it); staff see every unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import type { Alert } from '@dxoc/contracts';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';

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
  });
});

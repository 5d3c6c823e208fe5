/**
 * Two backend instances on one database (two Nest apps in this process sharing one embedded database, each with
 * its own port, instance id and sweep timer): concurrent evaluations of one (rule, unit) write one alert and one
 * transition; the sweep runs on the lease holder only, and the other instance takes over when the holder stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator, SWEEP_LEASE } from '../src/alerts/alert-evaluator';
import { ObservationsRepository } from '../src/ingest/observations.repository';
import type { AlertRule } from '@dxoc/contracts';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';
import { LeaseRepository } from '../src/db/lease.repository';

const LEVEL4 = 'dvc.level4_share';
const EINVOICE = 'einvoice.issued';

async function waitFor(check: () => Promise<boolean> | boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('alerts on two instances sharing one database', () => {
  let a: TestServer;
  let b: TestServer;
  const closed = new Set<TestServer>();
  let staffToken: string;
  let key: string;
  let batch = 0;

  beforeAll(async () => {
    a = await startTestServer({ env: { DXOC_ALERT_SWEEP_MS: '300', DXOC_INSTANCE_ID: 'instance-a' } });
    b = await startTestServer({ sameDatabaseAs: a, env: { DXOC_ALERT_SWEEP_MS: '300', DXOC_INSTANCE_ID: 'instance-b' } });
    staffToken = (await signInAs(a, 'staff')).token;
    key = await a.createKey(null);
  });
  afterAll(async () => {
    for (const server of [b, a]) if (server && !closed.has(server)) await server.app.close();
    await a?.closeDatabase();
  });

  const evaluator = (server: TestServer) => server.app.get(AlertEvaluator);
  const count = async (sql: string, params: unknown[]) => Number((await a.db.query<{ n: number }>(sql, params)).rows[0]?.n);
  const alertRows = (ruleId: number) =>
    a.db.query<{ id: number; state: string }>(`SELECT id::int AS id, state FROM alert WHERE rule_id = $1 ORDER BY id`, [ruleId]);
  const transitions = async (ruleId: number) =>
    (
      await a.db.query<{ transition: string }>(
        `SELECT e.transition FROM alert_event e JOIN alert x ON x.id = e.alert_id WHERE x.rule_id = $1 ORDER BY e.seq`,
        [ruleId],
      )
    ).rows.map((r) => r.transition);

  async function createRule(server: TestServer, body: Record<string, unknown>): Promise<AlertRule> {
    const response = await callJson(server.url, 'POST', '/api/v1/alert-rules', staffToken, {
      name: 'two instances',
      severity: 'warning',
      messageVi: '{unit}',
      messageEn: '{unit}',
      ...body,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as AlertRule;
  }

  async function send(server: TestServer, points: { metric: string; unit: string; value: number; ts?: string }[]) {
    batch += 1;
    const response = await push(server.url, key, {
      batchId: `instances-${batch}`,
      points: points.map((p) => ({ ts: new Date().toISOString(), ...p })),
    });
    expect(response.status).toBe(202);
  }

  /** Stores values without going through ingest, so no evaluation starts before the test starts its own. */
  async function storeQuietly(points: { metric: string; unit: string; value: number; ts: number }[]) {
    batch += 1;
    await a.db.transaction((tx) => a.app.get(ObservationsRepository).store(tx, points, `quiet-${batch}`, 'test', new Date()));
  }

  it('evaluations of the same rule and unit on both instances at once write one alert and one transition each', async () => {
    // a disabled rule is left alone; enabled behind the API's back, nothing has evaluated it yet
    const rule = await createRule(a, {
      metric: LEVEL4,
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'above', value: 80 },
      enabled: false,
    });
    await storeQuietly([{ metric: LEVEL4, unit: '01', value: 95, ts: Date.now() - 60_000 }]);
    await a.db.query(`UPDATE alert_rule SET enabled = true WHERE id = $1`, [rule.id]);
    const race = () =>
      Promise.all([
        evaluator(a).evaluateRuleNow(rule.id),
        evaluator(b).evaluateRuleNow(rule.id),
        evaluator(a).sweepOnce(),
        evaluator(b).sweepOnce(),
      ]);
    await race();
    expect((await alertRows(rule.id)).rows.map((r) => r.state)).toEqual(['firing']);
    expect(await transitions(rule.id)).toEqual(['firing']);

    await storeQuietly([{ metric: LEVEL4, unit: '01', value: 10, ts: Date.now() - 30_000 }]);
    await race();
    expect((await alertRows(rule.id)).rows.map((r) => r.state)).toEqual(['resolved']);
    expect(await transitions(rule.id)).toEqual(['firing', 'resolved']);
  });

  it('a lease is renewed by its holder and taken over by another only once it has expired', async () => {
    const repository = a.app.get(LeaseRepository);
    expect(await repository.acquireLease('test-lease', 'x', 60_000)).toBe(true);
    expect(await repository.acquireLease('test-lease', 'y', 60_000)).toBe(false);
    expect(await repository.acquireLease('test-lease', 'x', 60_000)).toBe(true);
    // x dies: it stops renewing and the lease runs out
    await a.db.query(`UPDATE lease SET expires_at = now() - interval '1 second' WHERE name = 'test-lease'`);
    expect(await repository.acquireLease('test-lease', 'y', 60_000)).toBe(true);
    expect(await repository.acquireLease('test-lease', 'x', 60_000)).toBe(false);
  });

  it('the sweep runs on exactly one instance; when that instance stops, the other takes over', async () => {
    const rule = await createRule(b, {
      metric: EINVOICE,
      scope: { kind: 'units', units: ['48'] },
      condition: { type: 'no_data', after: '1s' },
    });
    await waitFor(async () => (await alertRows(rule.id)).rows.some((r) => r.state === 'firing'), 'the no-data alert to fire');

    const holderId = (await a.db.query<{ holder: string }>(`SELECT holder FROM lease WHERE name = $1`, [SWEEP_LEASE])).rows[0]?.holder;
    const [holder, other] = holderId === 'instance-a' ? [a, b] : [b, a];
    expect([a.config.instanceId, b.config.instanceId]).toContain(holderId);
    const otherSweeps = evaluator(other).sweepsRun;
    const holderSweeps = evaluator(holder).sweepsRun;
    await waitFor(() => evaluator(holder).sweepsRun >= holderSweeps + 5, 'five more sweeps');
    expect(evaluator(other).sweepsRun).toBe(otherSweeps);
    expect((await alertRows(rule.id)).rows).toHaveLength(1);
    expect(await transitions(rule.id)).toEqual(['firing']);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM alert_event e JOIN alert x ON x.id = e.alert_id WHERE x.rule_id = $1 AND e.transition = 'firing'`,
        [rule.id],
      ),
    ).toBe(1);

    // the holder stops; the other instance takes the lease and drives the later transitions
    await holder.app.close();
    closed.add(holder);
    await waitFor(() => evaluator(other).sweepsRun > otherSweeps, 'the other instance to take over the sweep');
    expect((await a.db.query<{ holder: string }>(`SELECT holder FROM lease WHERE name = $1`, [SWEEP_LEASE])).rows[0]?.holder).toBe(
      other.config.instanceId,
    );
    await send(other, [{ metric: EINVOICE, unit: '48', value: 3 }]);
    await waitFor(async () => (await transitions(rule.id)).length === 3, 'a second no-data episode');
    expect(await transitions(rule.id)).toEqual(['firing', 'resolved', 'firing']);
    expect((await alertRows(rule.id)).rows.map((r) => r.state)).toEqual(['resolved', 'firing']);
  });
});

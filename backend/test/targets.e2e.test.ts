/**
 * Target status and the one projection method, end to end on the seeded database: GET /api/v1/targets judges the
 * seeded national targets on the seeded figures (and values pushed through the ingest API) as the committee means
 * them; Holt's method runs on the seeded EGDI series read back from the database; the target_at_risk preview and
 * the live rule project alike, never from two values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSeries, type Alert, type AlertRule, type TargetStatusRow, type TargetsResponse } from '@dxoc/contracts';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import { seedHistory } from '../src/catalog/seed/history';
import { callJson, getJson, push, signInAs, startTestServer, type TestServer } from './support/app';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('targets as the committee means them', () => {
  let server: TestServer;
  let key: string;
  let staff: { token: string };

  beforeAll(async () => {
    server = await startTestServer({ env: { DXOC_ALERT_SWEEP_MS: '60000' } });
    key = await server.createKey(null);
    staff = await signInAs(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
  });

  async function targets(query = ''): Promise<TargetsResponse> {
    const response = await getJson(server.url, `/api/v1/targets${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as TargetsResponse;
  }
  const find = (rows: TargetStatusRow[], metric: string, deadline: string) =>
    rows.find((r) => r.target.metricCode === metric && r.target.deadline === deadline && r.target.unitCode === 'VN');

  it('a target reached only after its deadline is met late, with the date it was reached', async () => {
    // seeded: 11 of 25 Project 06 services on 27 Apr 2022; 25 arrive years later, as the simulator sends them
    const late = '2026-11-05T00:00:00+07:00';
    const response = await push(server.url, key, {
      batchId: 'targets-p06',
      points: [
        { metric: 'dvc.project06_services', unit: 'VN', ts: late, value: 25 },
        { metric: 'dvc.project06_services', unit: 'VN', ts: '2026-11-06T00:00:00+07:00', value: 25 },
        { metric: 'training.officials_trained', unit: 'VN', ts: '2026-11-05T00:00:00+07:00', value: 41_000 },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const all = (await targets()).targets;
    const p06 = find(all, 'dvc.project06_services', '2022-06-30');
    expect(p06).toMatchObject({ status: 'met_late', current: false, atDeadline: { value: 11 }, projection: null });
    expect(Date.parse(p06!.reachedAt!)).toBe(Date.parse(late));
    expect(find(all, 'training.officials_trained', '2022-10-31')).toMatchObject({ status: 'met_late' });
  });

  it('judges every seeded target; expired ones are apart from the current ones', async () => {
    const all = (await targets()).targets;
    expect(all.length).toBeGreaterThanOrEqual(10);
    // 4.5% (2018), 10.7% (2019), nothing later: the 30% of Resolution 17/NQ-CP was missed
    expect(find(all, 'dvc.level4_share', '2020-12-31')).toMatchObject({ status: 'missed', current: false, latest: { value: 10.7 } });
    // EGDI 71st in 2024 against top 70 by 2025
    expect(find(all, 'egdi.rank', '2025-12-31')).toMatchObject({ status: 'missed', current: false });
    const current = (await targets('?when=current')).targets;
    expect(current.every((r) => r.current)).toBe(true);
    const currentDeadlines = current.map((r) => r.target.deadline);
    expect(currentDeadlines).not.toContain('2020-12-31');
    expect(currentDeadlines).toEqual(expect.arrayContaining(['2030-12-31', '2045-12-31']));
    const past = (await targets('?when=past')).targets;
    expect(past.length + current.length).toBe(all.length);
    expect(past.every((r) => !r.current && r.projection === null)).toBe(true);
  });

  it('projects the GSO digital-economy series to 2030 with a band, and says it cannot project to 2045', async () => {
    const rows = (await targets('?metric=digital_economy.gdp_share&unit=VN')).targets;
    const by2030 = find(rows, 'digital_economy.gdp_share', '2030-12-31')!;
    expect(by2030.status).toBe('at_risk');
    expect(by2030.projection).toMatchObject({ method: 'linear', pointsUsed: 5, reason: null });
    expect(by2030.projection!.value!).toBeCloseTo(13.7, 1);
    expect(by2030.projection!.low!).toBeLessThan(by2030.projection!.value!);
    expect(by2030.projection!.high!).toBeGreaterThan(by2030.projection!.value!);
    const by2045 = find(rows, 'digital_economy.gdp_share', '2045-12-31')!;
    expect(by2045).toMatchObject({ status: 'cannot_assess', projection: { method: null, value: null, reason: 'horizon_too_far' } });
    expect((await getJson(server.url, '/api/v1/targets?metric=nope')).status).toBe(404);
  });

  it("Holt's linear trend on the seeded EGDI series read from the database, as of 1 Jan 2025", async () => {
    const then = new Date('2025-01-01T00:00:00+07:00');
    const past = await startTestServer({ sameDatabaseAs: server, clock: { now: () => then } });
    try {
      const response = await getJson(past.url, '/api/v1/targets?metric=egdi.rank&unit=VN');
      expect(response.status).toBe(200);
      const [row] = (response.body as TargetsResponse).targets;
      expect(row).toMatchObject({ current: true, projection: { method: 'holt', pointsUsed: 6, reason: null } });
      const seeded = seedHistory.filter((o) => o.metricCode === 'egdi.rank').map((o) => ({ t: Date.parse(o.ts), v: o.value }));
      const expected = projectSeries(seeded, Date.parse('2026-01-01T00:00:00+07:00') - 1, then.getTime());
      expect(row!.projection!.value!).toBeCloseTo(expected.value!, 9);
      expect(row!.projection!.low!).toBeLessThan(row!.projection!.value!);
      expect(row!.projection!.high!).toBeGreaterThan(row!.projection!.value!);
      expect(row!.status).toBe(row!.projection!.value! <= 70 ? 'on_track' : 'at_risk');
    } finally {
      await past.close();
    }
  });

  it('the target_at_risk preview and the live rule project alike, and never from two values', async () => {
    // a target for Hà Nội, two old figures, then a value a day for the last 8 days
    const created = await callJson(server.url, 'POST', '/api/v1/targets', staff.token, {
      metricCode: 'dvc.level4_share',
      unitCode: '01',
      value: 95,
      comparator: '>=',
      deadline: '2027-02-28',
      legalSourceVi: 'Mục tiêu thử nghiệm',
      legalSourceEn: 'Test target',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const points = [
      { metric: 'dvc.level4_share', unit: '01', ts: '2024-12-31T00:00:00+07:00', value: 40 },
      { metric: 'dvc.level4_share', unit: '01', ts: '2025-12-31T00:00:00+07:00', value: 45 },
      ...Array.from({ length: 8 }, (_, i) => ({ metric: 'dvc.level4_share', unit: '01', ts: ago((8 - i) * DAY), value: 50 + 0.1 * i })),
    ];
    expect((await push(server.url, key, { batchId: 'targets-hn', points })).status).toBe(202);
    const rule = {
      name: 'Hà Nội level 4 at risk',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'target_at_risk', targetId: (created.body as { id: number }).id },
      severity: 'warning',
      messageVi: '{unitName}: {value}',
      messageEn: '{unitName}: {value}',
    };
    const preview = await callJson(server.url, 'POST', '/api/v1/alert-rules/preview', staff.token, { rule, days: 30 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const firings = (preview.body as { firings: { pendingSince: string; value: number | null; resolvedAt: string | null }[] }).firings;
    expect(firings).toHaveLength(1);
    // with two values known at the start of the window nothing is projected; the first projection needs four
    const asPoints = points.map((p) => ({ t: Date.parse(p.ts), v: p.value }));
    expect(Date.parse(firings[0]!.pendingSince)).toBe(asPoints[3]!.t);
    const deadline = Date.parse('2027-03-01T00:00:00+07:00') - 1;
    expect(firings[0]!.value).toBeCloseTo(projectSeries(asPoints.slice(0, 4), deadline, asPoints[3]!.t).value!, 9);
    expect(firings[0]!.resolvedAt).toBeNull();

    const createdRule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, rule);
    expect(createdRule.status, JSON.stringify(createdRule.body)).toBe(201);
    await server.app.get(AlertEvaluator).idle();
    const alerts = (await getJson(server.url, '/api/v1/alerts?metric=dvc.level4_share&limit=1000')).body.alerts as Alert[];
    const live = alerts.find((a) => a.ruleId === (createdRule.body as AlertRule).id);
    const expected = projectSeries(asPoints, deadline, Date.now()).value!;
    expect(live?.value).toBeCloseTo(expected, 6);
    // the preview's last evaluation, on the same values, gives the live value
    const last = await callJson(server.url, 'POST', '/api/v1/alert-rules/preview', staff.token, { rule, days: 1 });
    const lastFirings = (last.body as { firings: { value: number | null }[] }).firings;
    expect(lastFirings[0]?.value).toBeCloseTo(expected, 6);
  });
});

/**
 * Silences end to end on one backend over real HTTP and SQL: staff create, list and end early; invalid bodies and
 * unknown rules/units are refused with the usual error shape; operators and viewers are refused; an open alert covered
 * by a silence carries the mark in the list and the detail (a resolved one does not) and loses it once the silence is
 * ended; the SILENCE_MATCHER the notification delivery asks answers for rule-only, unit-only and rule+unit silences,
 * for scheduled ones only from their start, and not after their end (on the test's clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Silence } from '@dxoc/contracts';
import { LiveRepository } from '../src/live/live.repository';
import { SILENCE_MATCHER, type SilenceMatcher } from '../src/silences/silence-matcher';
import { callJson, signInAs, startTestServer, type TestServer } from './support/app';

const HOUR = 3_600_000;

describe('silences', () => {
  let server: TestServer;
  let now = new Date('2026-03-10T03:00:00Z');
  let staff: { token: string; username: string };
  let admin: { token: string; username: string };
  let operator: { token: string; username: string };
  let matcher: SilenceMatcher;
  let ruleA: number;
  let ruleB: number;
  const alerts: Record<'a01' | 'a79' | 'b01' | 'b01resolved', number> = { a01: 0, a79: 0, b01: 0, b01resolved: 0 };

  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

  async function createRule(name: string, units: string[]): Promise<number> {
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, {
      name,
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units },
      condition: { type: 'below', value: 30 },
      severity: 'warning',
      messageVi: '{unit} thấp',
      messageEn: '{unit} low',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    return rule.body.id as number;
  }

  async function insertAlert(ruleId: number, unit: string, state: 'firing' | 'resolved'): Promise<number> {
    const { rows } = await server.db.query<{ id: number }>(
      `INSERT INTO alert (rule_id, unit_code, state, value, message_vi, message_en, pending_since, firing_since, resolved_at, updated_at)
       VALUES ($1, $2, $3, 12, 'thấp', 'low', $4, $4, $5, $4) RETURNING id::int AS id`,
      [ruleId, unit, state, now, state === 'resolved' ? now : null],
    );
    return (rows[0] as { id: number }).id;
  }

  const marks = async (): Promise<Record<number, Alert['silence']>> => {
    const list = await callJson(server.url, 'GET', '/api/v1/alerts', staff.token);
    expect(list.status).toBe(200);
    return Object.fromEntries((list.body.alerts as Alert[]).map((a) => [a.id, a.silence]));
  };

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => now } });
    staff = await signInAs(server, 'staff');
    admin = await signInAs(server, 'admin');
    operator = await signInAs(server, 'operator');
    matcher = server.app.get<SilenceMatcher>(SILENCE_MATCHER);
    ruleA = await createRule('A', ['01', '79']);
    ruleB = await createRule('B', ['01']);
    alerts.a01 = await insertAlert(ruleA, '01', 'firing');
    alerts.a79 = await insertAlert(ruleA, '79', 'firing');
    alerts.b01 = await insertAlert(ruleB, '01', 'firing');
    alerts.b01resolved = await insertAlert(ruleB, '01', 'resolved');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses invalid silences with the usual error shape, and callers other than staff and admin', async () => {
    const post = (body: unknown, token = staff.token) => callJson(server.url, 'POST', '/api/v1/silences', token, body);
    const cases: [unknown, string][] = [
      [{ endsAt: at(HOUR), reason: 'bảo trì' }, 'neither rule nor unit'],
      [{ ruleId: ruleA, endsAt: at(HOUR), reason: '  ' }, 'blank reason'],
      [{ ruleId: ruleA, endsAt: 'tomorrow', reason: 'x' }, 'not a date-time'],
      [{ ruleId: ruleA, startsAt: at(2 * HOUR), endsAt: at(HOUR), reason: 'x' }, 'ends before it starts'],
      [{ ruleId: ruleA, endsAt: at(-HOUR), reason: 'x' }, 'already over'],
      [{ ruleId: 999999, endsAt: at(HOUR), reason: 'x' }, 'unknown rule'],
      [{ unit: 'ZZ', endsAt: at(HOUR), reason: 'x' }, 'unknown unit'],
      [{ ruleId: ruleA, endsAt: at(HOUR), reason: 'x', extra: 1 }, 'unknown field'],
    ];
    for (const [body, why] of cases) {
      const answer = await post(body);
      expect(answer.status, `${why}: ${JSON.stringify(answer.body)}`).toBe(400);
      expect(Object.keys(answer.body).sort(), why).toEqual(expect.arrayContaining(['error', 'message']));
      expect(typeof answer.body.message, why).toBe('string');
    }
    expect((await post({ ruleId: 999999, endsAt: at(HOUR), reason: 'x' })).body.error).toBe('unknown_rule');
    expect((await post({ unit: 'ZZ', endsAt: at(HOUR), reason: 'x' })).body.error).toBe('unknown_unit');

    expect((await post({ ruleId: ruleA, endsAt: at(HOUR), reason: 'x' }, operator.token)).status).toBe(403);
    expect((await callJson(server.url, 'GET', '/api/v1/silences', operator.token)).status).toBe(403);
    expect((await callJson(server.url, 'GET', '/api/v1/silences', server.viewerToken)).status).toBe(403);
    expect((await callJson(server.url, 'GET', '/api/v1/silences', null)).status).toBe(401);
    expect((await callJson(server.url, 'POST', '/api/v1/silences/abc/end', staff.token)).status).toBe(404);
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM silence');
    expect(rows[0]!.n).toBe(0);
  });

  it('marks the open alerts a silence covers, lists it, and unmarks them once it is ended early (audited)', async () => {
    const created = await callJson(server.url, 'POST', '/api/v1/silences', staff.token, {
      ruleId: ruleA,
      endsAt: at(2 * HOUR),
      reason: 'Bảo trì cổng DVC',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const silence = created.body as Silence;
    expect(silence).toMatchObject({
      ruleId: ruleA,
      unit: null,
      startsAt: now.toISOString(),
      endsAt: at(2 * HOUR),
      reason: 'Bảo trì cổng DVC',
      createdBy: staff.username,
      endedAt: null,
      endedBy: null,
      active: true,
    });

    const mark = { silenceId: silence.id, endsAt: at(2 * HOUR), reason: 'Bảo trì cổng DVC' };
    let m = await marks();
    expect(m[alerts.a01]).toEqual(mark);
    expect(m[alerts.a79]).toEqual(mark);
    expect(m[alerts.b01]).toBeNull();
    expect(m[alerts.b01resolved]).toBeNull();
    const detail = await callJson(server.url, 'GET', `/api/v1/alerts/${alerts.a79}`, staff.token);
    expect(detail.body.silence).toEqual(mark);
    // the live stream's alert events carry it too (the wall marks silenced alerts)
    await server.db.query(
      `INSERT INTO alert_event (alert_id, transition, at, actor) VALUES ($1, 'firing', $2, NULL), ($3, 'firing', $2, NULL)`,
      [alerts.a79, now, alerts.b01],
    );
    const events = await server.app.get(LiveRepository).alertEventsAfter(0, null, 100);
    expect(events.map((e) => [e.alert.id, e.alert.silence])).toEqual([
      [alerts.a79, mark],
      [alerts.b01, null],
    ]);

    const active = await callJson(server.url, 'GET', '/api/v1/silences?active=true', admin.token);
    expect(active.body.silences.map((s: Silence) => s.id)).toEqual([silence.id]);
    expect((await callJson(server.url, 'GET', '/api/v1/silences?active=false', staff.token)).body.silences).toEqual([]);
    expect((await callJson(server.url, 'GET', '/api/v1/silences?active=maybe', staff.token)).status).toBe(400);

    now = new Date(now.getTime() + 10 * 60_000);
    const ended = await callJson(server.url, 'POST', `/api/v1/silences/${silence.id}/end`, admin.token);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body).toMatchObject({ id: silence.id, endedAt: now.toISOString(), endedBy: admin.username, active: false });
    m = await marks();
    expect(m[alerts.a01]).toBeNull();
    expect(m[alerts.a79]).toBeNull();
    expect((await callJson(server.url, 'GET', `/api/v1/alerts/${alerts.a79}`, staff.token)).body.silence).toBeNull();
    expect((await callJson(server.url, 'GET', '/api/v1/silences?active=true', staff.token)).body.silences).toEqual([]);
    expect(
      (await callJson(server.url, 'GET', '/api/v1/silences?active=false', staff.token)).body.silences.map((s: Silence) => s.id),
    ).toEqual([silence.id]);

    const again = await callJson(server.url, 'POST', `/api/v1/silences/${silence.id}/end`, staff.token);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('silence_over');
    expect((await callJson(server.url, 'POST', '/api/v1/silences/999999/end', staff.token)).status).toBe(404);

    const { rows } = await server.db.query<{ action: string; actor: string; target: string }>(
      `SELECT action, actor, target FROM audit_log WHERE action LIKE 'silence.%' ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'silence.create', actor: staff.username, target: `silence:${silence.id}` },
      { action: 'silence.end', actor: admin.username, target: `silence:${silence.id}` },
    ]);
  });

  it('matches rule-only, unit-only and rule+unit silences, scheduled ones from their start, none after the end', async () => {
    const t = now;
    expect(await matcher.isSilenced(ruleA, '01', t)).toBeNull();

    const create = async (body: Record<string, unknown>) => {
      const answer = await callJson(server.url, 'POST', '/api/v1/silences', staff.token, { endsAt: at(HOUR), reason: 'r', ...body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body as Silence;
    };
    const unitOnly = await create({ unit: '79', reason: 'HCM bảo trì' });
    expect(await matcher.isSilenced(ruleA, '79', t)).toEqual({ silenceId: unitOnly.id, endsAt: at(HOUR), reason: 'HCM bảo trì' });
    expect((await matcher.isSilenced(ruleB, '79', t))?.silenceId).toBe(unitOnly.id);
    expect(await matcher.isSilenced(ruleA, '01', t)).toBeNull();

    const both = await create({ ruleId: ruleB, unit: '01', endsAt: at(3 * HOUR) });
    expect((await matcher.isSilenced(ruleB, '01', t))?.silenceId).toBe(both.id);
    expect(await matcher.isSilenced(ruleA, '01', t)).toBeNull();
    const m = await marks();
    expect(m[alerts.b01]?.silenceId).toBe(both.id);
    expect(m[alerts.a01]).toBeNull();
    expect(m[alerts.a79]?.silenceId).toBe(unitOnly.id);

    const ruleOnly = await create({ ruleId: ruleA, endsAt: at(2 * HOUR) });
    expect((await matcher.isSilenced(ruleA, '01', t))?.silenceId).toBe(ruleOnly.id);
    // covered by two (unit 79 for an hour, rule A for two): the one lasting longest is told
    expect((await matcher.isSilenced(ruleA, '79', t))?.silenceId).toBe(ruleOnly.id);

    const scheduled = await create({ unit: '01', startsAt: at(4 * HOUR), endsAt: at(5 * HOUR) });
    expect(scheduled.active).toBe(true);
    expect(await matcher.isSilenced(ruleA, '01', new Date(t.getTime() + 3.5 * HOUR))).toBeNull();
    expect((await matcher.isSilenced(ruleA, '01', new Date(t.getTime() + 4 * HOUR)))?.silenceId).toBe(scheduled.id);
    // the end is exclusive
    expect(await matcher.isSilenced(ruleA, '01', new Date(t.getTime() + 5 * HOUR))).toBeNull();

    // after every end: nothing covers, nothing is active, and the list shows them as over
    now = new Date(t.getTime() + 6 * HOUR);
    expect(await matcher.isSilenced(ruleB, '01', now)).toBeNull();
    expect((await callJson(server.url, 'GET', '/api/v1/silences?active=true', staff.token)).body.silences).toEqual([]);
    const over = (await callJson(server.url, 'GET', '/api/v1/silences', staff.token)).body.silences as Silence[];
    expect(over.map((s) => s.active)).toEqual(over.map(() => false));
    expect(Object.values(await marks()).every((s) => s === null)).toBe(true);
  });
});

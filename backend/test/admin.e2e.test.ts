import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, signInAs, startTestServer, type TestServer } from './support/app';

const target = {
  metricCode: 'dvc.level4_share',
  unitCode: '79',
  value: 80,
  comparator: '>=',
  deadline: '2027-12-31',
  legalSourceVi: 'Kế hoạch 123/KH-UBND (thử nghiệm)',
  legalSourceEn: 'Plan 123/KH-UBND (test)',
};

describe('catalog edits, targets and users', () => {
  let server: TestServer;
  let staff: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    staff = (await signInAs(server, 'staff')).token;
    admin = (await signInAs(server, 'admin')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets staff create, change and delete a target with its legal source, and audits each step', async () => {
    const created = await callJson(server.url, 'POST', '/api/v1/targets', staff, target);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...target, id: expect.any(Number) });
    const metrics = await callJson(server.url, 'GET', '/api/v1/catalog/metrics', staff);
    const level4 = metrics.body.metrics.find((m: { code: string }) => m.code === 'dvc.level4_share');
    expect(level4.targets).toContainEqual(expect.objectContaining({ id: created.body.id, unitCode: '79', value: 80 }));

    const changed = await callJson(server.url, 'PUT', `/api/v1/targets/${created.body.id}`, staff, { ...target, value: 85 });
    expect(changed).toMatchObject({ status: 200, body: { value: 85 } });
    expect((await callJson(server.url, 'POST', '/api/v1/targets', staff, { ...target, value: 85 })).status).toBe(409);
    expect((await callJson(server.url, 'DELETE', `/api/v1/targets/${created.body.id}`, staff)).status).toBe(204);
    expect((await callJson(server.url, 'DELETE', `/api/v1/targets/${created.body.id}`, staff)).status).toBe(404);

    const audit = await callJson(server.url, 'GET', '/api/v1/audit?limit=20', staff);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['target.create', 'target.update', 'target.delete']));
    const update = audit.body.entries.find((e: { action: string }) => e.action === 'target.update');
    expect(update).toMatchObject({ before: expect.objectContaining({ value: 80 }), after: expect.objectContaining({ value: 85 }) });
  });

  it.each([
    ['an unknown metric', { metricCode: 'nope' }, 'metricCode'],
    ['a unit the metric is not reported for', { metricCode: 'egdi.rank', unitCode: '79', value: 50, comparator: '<=' }, 'unitCode'],
    ['a value outside the range', { value: 130 }, 'value'],
  ])('refuses a target with %s', async (_name, change, field) => {
    const answer = await callJson(server.url, 'POST', '/api/v1/targets', staff, { ...target, ...change });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('refuses to delete a target an alert rule watches', async () => {
    const created = await callJson(server.url, 'POST', '/api/v1/targets', staff, { ...target, deadline: '2028-12-31' });
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff, {
      name: 'HCMC level-4 target',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['79'] },
      condition: { type: 'target_at_risk', targetId: created.body.id },
      severity: 'warning',
      messageVi: '{unitName} có nguy cơ không đạt mục tiêu',
      messageEn: '{unitName} may miss its target',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const refused = await callJson(server.url, 'DELETE', `/api/v1/targets/${created.body.id}`, staff);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(String(rule.body.id));
  });

  it('lets an admin correct how a metric is described and checked, and ingest follows the new range', async () => {
    const key = await server.createKey(['79']);
    const answer = await callJson(server.url, 'PUT', '/api/v1/catalog/metrics/dvc.services_online', admin, {
      nameEn: 'Online services on the portal',
      max: 5000,
    });
    expect(answer).toMatchObject({
      status: 200,
      body: { code: 'dvc.services_online', nameEn: 'Online services on the portal', max: 5000, kind: 'gauge' },
    });
    const push = await callJson(server.url, 'POST', '/api/v1/ingest', key, {
      batchId: 'after-edit',
      points: [{ metric: 'dvc.services_online', unit: '79', ts: '2026-03-01T00:00:00+07:00', value: 6000 }],
    });
    expect(push.status).toBe(400);
    expect(push.body.details[0].message).toContain('above the valid range');
    expect((await callJson(server.url, 'PUT', '/api/v1/catalog/metrics/dvc.level4_share', admin, { max: 120 })).status).toBe(400);
    expect((await callJson(server.url, 'PUT', '/api/v1/catalog/metrics/dvc.services_online', admin, { kind: 'ratio' })).status).toBe(400);
    expect((await callJson(server.url, 'PUT', '/api/v1/catalog/metrics/dvc.services_online', staff, { nameEn: 'x' })).status).toBe(403);
  });

  it('lets an admin rename a unit but not change its code or validity', async () => {
    const answer = await callJson(server.url, 'PUT', '/api/v1/catalog/units/75', admin, {
      fullNameVi: 'Thành phố Đồng Nai',
      fullNameEn: 'Dong Nai City',
    });
    expect(answer).toMatchObject({ status: 200, body: { code: '75', fullNameEn: 'Dong Nai City' } });
    expect((await callJson(server.url, 'PUT', '/api/v1/catalog/units/75', admin, { validUntil: '2026-01-01' })).status).toBe(400);
  });

  it("lets an admin disable a user and change a password; both end the user's sessions", async () => {
    const viewer = await signInAs(server, 'viewer');
    expect((await callJson(server.url, 'GET', '/api/v1/auth/me', viewer.token)).status).toBe(200);
    const users = await callJson(server.url, 'GET', '/api/v1/users', admin);
    const id = users.body.users.find((u: { username: string }) => u.username === viewer.username).id;

    const disabled = await callJson(server.url, 'PUT', `/api/v1/users/${id}`, admin, { disabled: true });
    expect(disabled).toMatchObject({ status: 200, body: { disabledAt: expect.any(String) } });
    expect((await callJson(server.url, 'GET', '/api/v1/auth/me', viewer.token)).status).toBe(401);
    expect(
      (await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username: viewer.username, password: 'a long enough password' }))
        .status,
    ).toBe(401);

    await callJson(server.url, 'PUT', `/api/v1/users/${id}`, admin, { disabled: false, password: 'a brand new long password' });
    expect(
      (await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username: viewer.username, password: 'a long enough password' }))
        .status,
    ).toBe(401);
    expect(
      (await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username: viewer.username, password: 'a brand new long password' }))
        .status,
    ).toBe(200);
    expect((await callJson(server.url, 'PUT', `/api/v1/users/${id}`, admin, { role: 'operator' })).status).toBe(400);
  });

  it('filters the audit log by who (a part of the name, any case) and pages it with a before cursor', async () => {
    const first = await signInAs(server, 'staff');
    const second = await signInAs(server, 'staff');
    for (const [who, n] of [
      [first, 5],
      [second, 2],
    ] as const)
      for (let i = 0; i < n; i++) await callJson(server.url, 'POST', '/api/v1/viewer-tokens', who.token, { name: `${who.username} ${i}` });

    const all = await callJson(server.url, 'GET', `/api/v1/audit?actor=${first.username.toUpperCase()}&limit=100`, staff);
    expect(all.status).toBe(200);
    // its login and its five tokens, nobody else's
    expect(all.body.entries.map((e: { actor: string }) => e.actor)).toEqual(Array(6).fill(first.username));
    expect(all.body.entries.filter((e: { action: string }) => e.action === 'viewer_token.create')).toHaveLength(5);

    // pages of two, each starting below the last id of the previous one: together the same entries, none twice
    const paged: { id: number }[] = [];
    let before: number | null = null;
    for (;;) {
      const query: string = `actor=${first.username}&limit=2${before === null ? '' : `&before=${before}`}`;
      const page = await callJson(server.url, 'GET', `/api/v1/audit?${query}`, staff);
      expect(page.status).toBe(200);
      paged.push(...page.body.entries);
      if (page.body.entries.length < 2) break;
      before = page.body.entries[1].id;
    }
    expect(paged.map((e) => e.id)).toEqual(all.body.entries.map((e: { id: number }) => e.id));

    // "staff-" matches both users; the cursor applies with the other filters
    const both = await callJson(server.url, 'GET', `/api/v1/audit?actor=staff-&action=viewer_token.create&limit=100`, staff);
    expect(new Set(both.body.entries.map((e: { actor: string }) => e.actor))).toEqual(new Set([first.username, second.username]));
    const below = await callJson(server.url, 'GET', `/api/v1/audit?actor=${second.username}&before=${all.body.entries[5].id}`, staff);
    expect(below.body.entries).toEqual([]);
    expect((await callJson(server.url, 'GET', '/api/v1/audit?before=0', staff)).status).toBe(400);
  });
});

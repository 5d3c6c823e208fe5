/**
 * Directives (chỉ đạo) end to end on one backend over real HTTP: issued from an alert by staff, answered with a PDF by
 * the operator of the addressed unit, refused to an operator of another unit and to a viewer, a renamed .exe and an
 * oversized file refused with nothing stored, sent back, answered again, closed with an outcome, the history and the
 * audit rows complete, and the overdue summary per unit (Viet Nam days, on the test's clock) readable by a viewer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectiveDetail, DirectiveList, OverdueSummary } from '@dxoc/contracts';
import { AuthService } from '../src/auth/auth.service';
import { callJson, signInAs, startTestServer, type TestServer } from './support/app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('directives', () => {
  let server: TestServer;
  // 2026-03-10 10:00 in Viet Nam (UTC+7)
  let now = new Date('2026-03-10T03:00:00Z');
  let staff: { token: string; username: string };
  let operator01: { token: string; username: string };
  let operator79: { token: string; username: string };
  let alertId: number;

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => now }, env: { DXOC_DIRECTIVE_ATTACHMENT_MAX_BYTES: '4096' } });
    staff = await signInAs(server, 'staff');
    operator01 = await signInAs(server, 'operator');
    const username = `op79-${Math.random().toString(36).slice(2, 8)}`;
    await server.app
      .get(AuthService)
      .createUser({ username, password: 'a long enough password', role: 'operator', unitCode: '79' }, 'test');
    const login = await callJson(server.url, 'POST', '/api/v1/auth/login', null, { username, password: 'a long enough password' });
    operator79 = { token: login.body.token, username };
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, {
      name: 'level 4 share low',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'below', value: 30 },
      severity: 'warning',
      messageVi: '{unit} thấp',
      messageEn: '{unit} low',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const { rows } = await server.db.query<{ id: number }>(
      `INSERT INTO alert (rule_id, unit_code, state, value, message_vi, message_en, pending_since, firing_since, updated_at)
       VALUES ($1, '01', 'firing', 12, '01 thấp', '01 low', $2, $2, $2) RETURNING id::int AS id`,
      [rule.body.id, now],
    );
    alertId = (rows[0] as { id: number }).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const upload = (token: string, id: number, unit: string, body: Buffer, type: string, name: string) =>
    fetch(`${server.url}/api/v1/directives/${id}/units/${unit}/attachment?fileName=${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('runs issue → answer with a PDF → send back → answer again → close, with history, audit and refusals', async () => {
    const issued = await callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
      titleVi: 'Giải trình tỷ lệ DVC mức độ 4 thấp',
      textVi: 'Đề nghị giải trình nguyên nhân và lộ trình khắc phục.',
      units: ['01', '79'],
      dueDate: '2026-03-15',
      source: { kind: 'alert', alertId },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const d = issued.body as DirectiveDetail;
    expect(d.assignments.map((a) => [a.unit, a.state, a.overdue])).toEqual([
      ['01', 'open', false],
      ['79', 'open', false],
    ]);
    expect(d.source).toEqual({ kind: 'alert', alertId });

    // the operator of 01 sees it with its own part only; a viewer sees nothing but the summary
    const mine = await callJson(server.url, 'GET', '/api/v1/directives', operator01.token);
    expect(mine.status).toBe(200);
    const item = (mine.body as DirectiveList).items.find((x) => x.id === d.id);
    expect(item?.assignments.map((a) => a.unit)).toEqual(['01']);
    expect((await callJson(server.url, 'GET', `/api/v1/directives/${d.id}`, server.viewerToken)).status).toBe(403);
    expect((await callJson(server.url, 'GET', '/api/v1/directives?unit=79', operator01.token)).status).toBe(403);

    // the operator of 79 cannot answer for 01
    const answer = { explanation: 'Hệ thống một cửa chưa kết nối.', cause: 'Chậm nâng cấp phần mềm', fixDate: '2026-04-30' };
    const foreign = await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/answer`, operator79.token, answer);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: 'not_found' });

    // a renamed .exe is refused by content; an oversized file too; nothing is stored
    const exe = await upload(operator01.token, d.id, '01', EXE, 'application/pdf', 'bao-cao.pdf');
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({ error: 'unsupported_attachment_type' });
    const big = await upload(operator01.token, d.id, '01', Buffer.concat([PDF, Buffer.alloc(5000)]), 'application/pdf', 'x.pdf');
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: 'attachment_too_large' });
    const { rows: none } = await server.db.query(`SELECT 1 FROM directive_attachment WHERE directive_id = $1`, [d.id]);
    expect(none).toEqual([]);
    const { rows: noEvents } = await server.db.query(`SELECT 1 FROM directive_event WHERE directive_id = $1 AND kind = 'attachment'`, [
      d.id,
    ]);
    expect(noEvents).toEqual([]);

    // the operator answers with a PDF (declared as octet-stream: the content decides)
    const pdf = await upload(operator01.token, d.id, '01', PDF, 'application/octet-stream', 'Báo cáo "giải trình".pdf');
    expect(pdf.status, JSON.stringify(pdf.body)).toBe(200);
    expect(pdf.body.assignments[0].attachment).toMatchObject({
      contentType: 'application/pdf',
      size: PDF.length,
      fileName: 'Báo cáo giải trình.pdf',
    });
    const first = await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/answer`, operator01.token, answer);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.assignments).toHaveLength(1);
    expect(first.body.assignments[0]).toMatchObject({
      unit: '01',
      state: 'answered',
      cause: answer.cause,
      fixDate: '2026-04-30',
      answeredBy: operator01.username,
    });

    // the download: the stored bytes with their type, as an attachment, never sniffed
    const download = await fetch(`${server.url}${pdf.body.assignments[0].attachment.href}`, {
      headers: { authorization: `Bearer ${staff.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o");
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    const foreignDownload = await fetch(`${server.url}${pdf.body.assignments[0].attachment.href}`, {
      headers: { authorization: `Bearer ${operator79.token}` },
    });
    expect(foreignDownload.status).toBe(404);

    // an operator cannot send back or close
    expect(
      (await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/close`, operator01.token, { outcome: 'resolved' })).status,
    ).toBe(403);

    // staff send it back; closing twice or answering a closed one is a 409
    const back = await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/return`, staff.token, {
      reason: 'Thiếu số liệu cụ thể',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.assignments.find((a: { unit: string }) => a.unit === '01')).toMatchObject({
      state: 'returned',
      returnReason: 'Thiếu số liệu cụ thể',
    });
    expect(
      (await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/return`, staff.token, { reason: 'again' })).status,
    ).toBe(409);

    const second = await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/answer`, operator01.token, {
      ...answer,
      explanation: 'Đã bổ sung số liệu: 12% tháng 2.',
    });
    expect(second.status).toBe(200);
    expect(second.body.assignments[0].state).toBe('answered');

    const closed = await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/close`, staff.token, {
      outcome: 'accepted_with_conditions',
      comment: 'Báo cáo lại trước 30/4',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const part = closed.body.assignments.find((a: { unit: string }) => a.unit === '01');
    expect(part).toMatchObject({ state: 'closed', outcome: 'accepted_with_conditions', closedBy: staff.username });
    expect((await callJson(server.url, 'POST', `/api/v1/directives/${d.id}/units/01/answer`, operator01.token, answer)).status).toBe(409);

    // the history: every step, who and what
    const detail = (await callJson(server.url, 'GET', `/api/v1/directives/${d.id}`, staff.token)).body as DirectiveDetail;
    expect(detail.history.map((e) => [e.kind, e.unit, e.actor])).toEqual([
      ['issued', null, staff.username],
      ['attachment', '01', operator01.username],
      ['answered', '01', operator01.username],
      ['returned', '01', staff.username],
      ['answered', '01', operator01.username],
      ['closed', '01', staff.username],
    ]);
    expect(detail.history[3]?.text).toBe('Thiếu số liệu cụ thể');
    // the operator of 79 sees its own part and the whole-directive events only
    const theirs = (await callJson(server.url, 'GET', `/api/v1/directives/${d.id}`, operator79.token)).body as DirectiveDetail;
    expect(theirs.assignments.map((a) => [a.unit, a.state])).toEqual([['79', 'open']]);
    expect(theirs.history.map((e) => e.kind)).toEqual(['issued']);

    // audit rows
    const { rows: audit } = await server.db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE target LIKE $1 ORDER BY id`,
      [`directive:${d.id}%`],
    );
    expect(audit.map((r) => r.action)).toEqual([
      'directive.issue',
      'directive.attachment',
      'directive.answer',
      'directive.return',
      'directive.answer',
      'directive.close',
    ]);
  });

  it('counts overdue per unit in Viet Nam days and lets a viewer token read the summary; withdrawn ones stop counting', async () => {
    const issue = (units: string[], dueDate: string, title: string) =>
      callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
        titleVi: title,
        textVi: 'Nội dung',
        units,
        dueDate,
        source: { kind: 'late_report', metric: 'dvc.level4_share' },
      });
    const a = await issue(['48'], '2026-03-20', 'Thứ nhất');
    const b = await issue(['48', '31'], '2026-03-21', 'Thứ hai');
    expect([a.status, b.status]).toEqual([201, 201]);

    const summary = async () =>
      (await callJson(server.url, 'GET', '/api/v1/directives/overdue', server.viewerToken)).body as OverdueSummary;
    // 2026-03-20 23:30 in Viet Nam: due today, not overdue yet
    now = new Date('2026-03-20T16:30:00Z');
    expect((await summary()).units.filter((u) => u.unit === '48')).toEqual([]);
    // 2026-03-21 00:30 in Viet Nam (still the 20th in UTC): the first is overdue
    now = new Date('2026-03-20T17:30:00Z');
    let s = await summary();
    expect(s.asOf).toBe('2026-03-21');
    expect(s.units.find((u) => u.unit === '48')).toMatchObject({ overdue: 1, oldest: { directiveId: a.body.id, dueDate: '2026-03-20' } });
    now = new Date('2026-03-22T03:00:00Z');
    s = await summary();
    expect(s.units.find((u) => u.unit === '48')).toMatchObject({ overdue: 2, oldest: { directiveId: a.body.id } });
    expect(s.units.find((u) => u.unit === '31')).toMatchObject({ overdue: 1, oldest: { directiveId: b.body.id } });

    // sessions expire on the test's clock: sign in again twelve days later
    const later = await signInAs(server, 'staff');
    const overdueList = await callJson(server.url, 'GET', '/api/v1/directives?unit=48&overdue=true', later.token);
    expect(overdueList.body.items.map((x: { id: number }) => x.id)).toEqual([b.body.id, a.body.id]);
    expect(overdueList.body.items[0].assignments[0]).toMatchObject({ unit: '48', overdue: true });

    const withdrawn = await callJson(server.url, 'POST', `/api/v1/directives/${a.body.id}/withdraw`, later.token, { reason: 'Trùng' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.assignments[0].state).toBe('withdrawn');
    s = await summary();
    expect(s.units.find((u) => u.unit === '48')).toMatchObject({ overdue: 1, oldest: { directiveId: b.body.id } });
    now = new Date('2026-03-10T03:00:00Z');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await callJson(server.url, 'GET', '/api/openapi.json', null);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/api/v1/directives'))).toEqual([
      '/api/v1/directives',
      '/api/v1/directives/overdue',
      '/api/v1/directives/{id}',
      '/api/v1/directives/{id}/withdraw',
      '/api/v1/directives/{id}/units/{unit}/answer',
      '/api/v1/directives/{id}/units/{unit}/return',
      '/api/v1/directives/{id}/units/{unit}/close',
      '/api/v1/directives/{id}/units/{unit}/attachment',
    ]);
  });

  it('refuses bad input with the one error shape', async () => {
    const staff = await signInAs(server, 'staff');
    const operator01 = await signInAs(server, 'operator');
    const bad = await callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
      titleVi: 'x',
      textVi: 'y',
      units: ['ZZ99'],
      dueDate: '2026-03-20',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'unknown_unit' });
    const png = await upload(staff.token, 999_999, '01', PNG, 'image/png', 'a.png');
    expect(png.status).toBe(404);
    expect(
      (
        await callJson(server.url, 'POST', '/api/v1/directives', operator01.token, {
          titleVi: 'x',
          textVi: 'y',
          units: ['01'],
          dueDate: '2026-03-20',
        })
      ).status,
    ).toBe(403);
  });
});

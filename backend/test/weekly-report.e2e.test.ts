/**
 * Weekly committee report (issue 13 part 3): the storage migration (012); a seeded fortnight (values ingested over
 * the API, an alert fired and acknowledged, directives issued and answered) read back from the PDF with pdftotext
 * (vi-VN numbers, diacritics) and rendered with pdftoppm; the download and regenerate endpoints; and the Monday
 * 07:00 schedule on two instances sharing one database: one report stored, one 'report.published', none while
 * another holder has the lease, and a catch-up when an instance starts after 07:00.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeeklyReportList } from '@dxoc/contracts';
import { migrate, readMigrations } from '../src/db/migrator';
import { EventBus } from '../src/events/event-bus';
import type { ReportPublished } from '../src/events/event-map';
import { WeeklyReportScheduler } from '../src/weekly-report/weekly-report.scheduler';
import { WeeklyReportRepository } from '../src/weekly-report/weekly-report.repository';
import { callJson, push, signInAs, startTestServer, type TestServer } from './support/app';
import { inProcess, type TestDatabase } from './support/databases';

function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name]);
    return true;
  } catch {
    return false;
  }
}
const poppler = hasBinary('pdftotext') && hasBinary('pdftoppm');

function pdfText(pdf: Buffer): { text: string; dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'weekly-report-'));
  const file = join(dir, 'r.pdf');
  writeFileSync(file, pdf);
  // without -layout: one paragraph's words stay in reading order
  return { text: execFileSync('pdftotext', [file, '-']).toString('utf8'), dir, file };
}

/** Non-white pixels of every page rendered by pdftoppm (greyscale PGM): a page that draws nothing has none. */
function inkedPages(dir: string, file: string): number[] {
  execFileSync('pdftoppm', ['-gray', '-r', '30', file, join(dir, 'p')]);
  const pages = execFileSync('ls', [dir])
    .toString()
    .split('\n')
    .filter((f) => f.endsWith('.pgm'))
    .sort();
  return pages.map((page) => {
    const pgm = readFileSync(join(dir, page));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    const pixels = pgm.subarray(pgm.length - Number(header?.[1]) * Number(header?.[2]));
    return pixels.filter((value) => value < 200).length;
  });
}

async function download(server: TestServer, week: string, token: string, lang = 'vi') {
  const response = await fetch(`${server.url}/api/v1/reports/${week}.pdf?lang=${lang}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe('weekly report storage (migration 012)', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await inProcess.open();
    await migrate(test.db, readMigrations());
  });
  afterAll(async () => {
    await test?.close();
  });

  it('stores one PDF per Monday and language, refusing a week that does not start on Monday', async () => {
    const insert = (week: string, lang: string) =>
      test.db.query(`INSERT INTO weekly_report (week_start, lang, pdf, generated_at, generated_by) VALUES ($1, $2, $3, now(), 'test')`, [
        week,
        lang,
        Buffer.from('%PDF-1.7'),
      ]);
    await insert('2026-11-30', 'vi');
    await insert('2026-11-30', 'en');
    await expect(insert('2026-11-30', 'vi')).rejects.toThrow();
    await expect(insert('2026-12-01', 'vi')).rejects.toThrow();
    await expect(insert('2026-11-23', 'fr')).rejects.toThrow();
    const { rows } = await test.db.query<{ week_start: string; lang: string }>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, lang FROM weekly_report ORDER BY lang`,
    );
    expect(rows).toEqual([
      { week_start: '2026-11-30', lang: 'en' },
      { week_start: '2026-11-30', lang: 'vi' },
    ]);
  });

  it('the repository lists, reads, replaces and stores once', async () => {
    const reports = new WeeklyReportRepository(test.db);
    const at = new Date('2026-12-07T00:00:00Z');
    expect(await reports.saveIfAbsent('2026-11-23', 'vi', Buffer.from('%PDF-a'), at, 'schedule')).toBe(true);
    expect(await reports.saveIfAbsent('2026-11-23', 'vi', Buffer.from('%PDF-b'), at, 'schedule')).toBe(false);
    expect((await reports.get('2026-11-23', 'vi'))?.toString()).toBe('%PDF-a');
    await reports.save('2026-11-23', 'vi', Buffer.from('%PDF-cc'), at, 'staff1');
    expect((await reports.get('2026-11-23', 'vi'))?.toString()).toBe('%PDF-cc');
    expect(await reports.get('2026-11-16', 'vi')).toBeNull();
    const list = await reports.list();
    expect(list.map((r) => [r.weekStart, r.lang])).toEqual([
      ['2026-11-30', 'vi'],
      ['2026-11-30', 'en'],
      ['2026-11-23', 'vi'],
    ]);
    expect(list[2]).toMatchObject({ generatedBy: 'staff1', sizeBytes: 7, generatedAt: at.toISOString() });
  });
});

describe.skipIf(!poppler)('weekly report of a seeded fortnight (pdftotext, pdftoppm)', () => {
  let server: TestServer;
  // Sunday 2026-11-29 17:00 in Viet Nam: the last day of the week of Monday 23 Nov
  let now = new Date('2026-11-29T10:00:00Z');
  let staff: { token: string; username: string };
  let viewer: { token: string; username: string };
  let operator: { token: string; username: string };

  beforeAll(async () => {
    // the check interval is long: this test drives the schedule itself
    server = await startTestServer({
      clock: { now: () => now },
      env: { DXOC_REPORT_CHECK_MS: '3600000', DXOC_SESSION_TTL_HOURS: '72' },
    });
    staff = await signInAs(server, 'staff');
    viewer = await signInAs(server, 'viewer');
    operator = await signInAs(server, 'operator'); // unit 01
    const key = await server.createKey(null);
    const at = (day: string, hour = '09:00') => `${day}T${hour}:00+07:00`;
    const v = (metric: string, unit: string, ts: string, value: number) => ({ metric, unit, ts, value });
    // week of 16 Nov (last week) and week of 23 Nov (the report's week)
    const points = [
      v('dvc.services_online', 'VN', at('2026-11-20'), 3500),
      v('dvc.services_online', 'VN', at('2026-11-27'), 3552),
      v('dvc.level4_share', 'VN', at('2026-11-20'), 40),
      v('dvc.level4_share', 'VN', at('2026-11-27'), 45.5),
      v('einvoice.issued', 'VN', at('2026-11-18'), 1_250_000),
      v('einvoice.issued', 'VN', at('2026-11-19'), 1_250_000),
      v('einvoice.issued', 'VN', at('2026-11-23', '00:00'), 1_234_567),
      v('einvoice.issued', 'VN', at('2026-11-24'), 1_000_000),
      v('einvoice.issued', 'VN', at('2026-11-29', '00:00'), 765_433),
      // a value dated Monday 30 Nov 00:00 belongs to the next week
      v('dvc.level4_share', '01', at('2026-11-20'), 80),
      v('dvc.level4_share', '79', at('2026-11-20'), 85),
      v('dvc.level4_share', '48', at('2026-11-20'), 70),
      v('dvc.level4_share', '01', at('2026-11-26'), 92.5),
      v('dvc.level4_share', '79', at('2026-11-26'), 88),
      v('dvc.level4_share', '48', at('2026-11-26'), 75),
      v('dvc.level4_share', 'BCA', at('2026-11-26'), 97.25),
      // Huế last sent September's figure: October's was due on 1 November, so it is one period late
      v('dvc.level4_share', '46', at('2026-09-15'), 60),
    ];
    const sent = await push(server.url, key, { batchId: 'weekly-report-seed', points });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const target = await callJson(server.url, 'POST', '/api/v1/targets', staff.token, {
      metricCode: 'dvc.services_online',
      unitCode: 'VN',
      value: 5000,
      comparator: '>=',
      deadline: '2027-12-31',
      legalSourceVi: 'Mục tiêu thử nghiệm',
      legalSourceEn: 'Test target',
    });
    expect(target.status, JSON.stringify(target.body)).toBe(201);

    // an alert that fired on Tuesday and was acknowledged, still open at the end of the week
    const rule = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, {
      name: 'Đà Nẵng level 4 low',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['48'] },
      condition: { type: 'below', value: 80 },
      severity: 'critical',
      messageVi: '{unitName}: tỷ lệ DVC mức độ 4 thấp',
      messageEn: '{unitName}: level-4 share low',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // the rule fires at once on the stored value (75 < 80): a real alert and its 'firing' event, dated Sunday
    const { AlertEvaluator } = await import('../src/alerts/alert-evaluator');
    await server.app.get(AlertEvaluator).idle();
    const { rows } = await server.db.query<{ id: number; state: string }>(`SELECT id::int AS id, state FROM alert WHERE rule_id = $1`, [
      rule.body.id,
    ]);
    expect(rows).toEqual([{ id: expect.any(Number), state: 'firing' }]);
    const alertId = (rows[0] as { id: number }).id;
    const ack = await callJson(server.url, 'POST', `/api/v1/alerts/${alertId}/ack`, staff.token, { comment: 'Đang xử lý' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);

    // two directives this week: one answered by Hà Nội, one overdue for Đà Nẵng (due Friday, never answered)
    const answered = await callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
      titleVi: 'Giải trình số liệu DVC',
      textVi: 'Đề nghị giải trình.',
      units: ['01'],
      dueDate: '2026-12-04',
      source: { kind: 'none' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const answer = await callJson(server.url, 'POST', `/api/v1/directives/${answered.body.id}/units/01/answer`, operator.token, {
      explanation: 'Đã cập nhật',
      cause: 'Chậm nhập liệu',
      fixDate: '2026-12-01',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const overdue = await callJson(server.url, 'POST', '/api/v1/directives', staff.token, {
      titleVi: 'Khắc phục tỷ lệ mức độ 4 của Đà Nẵng',
      titleEn: 'Fix Da Nang level-4 share',
      textVi: 'Đề nghị khắc phục.',
      units: ['48'],
      dueDate: '2026-11-27',
      source: { kind: 'alert', alertId },
    });
    expect(overdue.status, JSON.stringify(overdue.body)).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a week that has not ended and a day that is not a Monday', async () => {
    const unfinished = await download(server, '2026-11-23', staff.token);
    expect(unfinished.status).toBe(400);
    expect(JSON.parse(unfinished.body.toString()).error).toBe('week_not_finished');
    const notMonday = await download(server, '2026-11-24', staff.token);
    expect(notMonday.status).toBe(400);
    expect(JSON.parse(notMonday.body.toString()).error).toBe('invalid_week');
    expect((await download(server, '2026-11-16', staff.token, 'fr')).status).toBe(400);
  });

  it("writes the week's figures in Vietnamese, with vi-VN numbers, and every page renders", async () => {
    now = new Date('2026-11-30T00:30:00Z'); // Monday 07:30 in Viet Nam
    const list = await callJson(server.url, 'GET', '/api/v1/reports', viewer.token);
    expect(list.status).toBe(200);
    expect((list.body as WeeklyReportList).lastCompleteWeek).toBe('2026-11-23');
    expect((list.body as WeeklyReportList).weeks.slice(0, 2)).toEqual(['2026-11-23', '2026-11-16']);

    const response = await download(server, '2026-11-23', viewer.token);
    expect(response.status, response.body.toString().slice(0, 200)).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain('attachment; filename="bao-cao-tuan-2026-11-23-vi.pdf"');
    expect(response.body.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, dir, file } = pdfText(response.body);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Báo cáo tuần 23/11/2026 – 29/11/2026');
    // headline: levels at the end of the week, e-invoices as the week's total, against last week
    expect(flat).toContain('3.552 dịch vụ (tuần trước: 3.500; +52, +1,5 %)');
    expect(flat).toContain('45,5 % (tuần trước: 40; +5,5 điểm %, +13,8 %)');
    expect(flat).toContain('3.000.000 hóa đơn (tuần trước: 2.500.000; +500.000, +20 %)');
    // targets: the 2020 level-4 target met late; the test target at risk, with the targets service's projection
    expect(flat).toContain(
      'Tỷ lệ dịch vụ công trực tuyến mức độ 4 — Toàn quốc: đạt muộn. Mục tiêu ≥ 30 % trước 31/12/2020; hiện tại: 45,5 %.',
    );
    expect(flat).toMatch(
      /Cổng Dịch vụ công quốc gia — Toàn quốc: có nguy cơ không đạt\. Mục tiêu ≥ 5\.000 dịch vụ trước 31\/12\/2027; hiện tại: 3\.552 dịch vụ; dự báo tại hạn: \d\.\d{3}(,\d)? dịch vụ\./,
    );
    // rankings with places gained and lost
    expect(flat).toContain('1. Hà Nội: 92,5 (tăng 1 bậc)');
    expect(flat).toContain('2. Hồ Chí Minh: 88 (giảm 1 bậc)');
    expect(flat).toContain('3. Đà Nẵng: 75 (giữ nguyên)');
    expect(flat).toContain('4. Huế: 60 (giữ nguyên)');
    expect(flat).toContain('1. Bộ Công an: 97,3 (mới)');
    // late reporters (the compliance page at the end of the week)
    expect(flat).toMatch(/4\. Đơn vị báo cáo chậm Huế: chậm 1 kỳ \(dvc\.level4_share\) từ 00:00 01\/11\/2026/);
    expect(flat).toMatch(/Chưa từng báo cáo \(\d+ đơn vị\): [^.]*Cao Bằng, /);
    // alerts and directives of the week
    expect(flat).toContain('Phát sinh trong tuần: 1 · Đã xác nhận: 1 · Đã kết thúc: 0 · Còn mở cuối tuần: 1');
    expect(flat).toContain('[nghiêm trọng] Đà Nẵng: tỷ lệ DVC mức độ 4 thấp');
    expect(flat).toContain('Ban hành trong tuần: 2 (gửi 2 đơn vị) · Đã giải trình: 1 · Đã đóng: 0 · Quá hạn cuối tuần: 1');
    expect(flat).toContain('Đà Nẵng: Khắc phục tỷ lệ mức độ 4 của Đà Nẵng (hạn 27/11/2026)');
    if (process.env.WEEKLY_REPORT_KEEP) writeFileSync(process.env.WEEKLY_REPORT_KEEP, response.body);
    const inked = inkedPages(dir, file);
    expect(inked.length).toBeGreaterThanOrEqual(1);
    for (const pixels of inked) expect(pixels).toBeGreaterThan(100);
  });

  it('writes the English version on request', async () => {
    const response = await download(server, '2026-11-23', staff.token, 'en');
    expect(response.status).toBe(200);
    const flat = pdfText(response.body).text.replace(/\s+/g, ' ');
    expect(flat).toContain('Weekly report 23 Nov 2026 – 29 Nov 2026');
    expect(flat).toContain('3,552 services (last week: 3,500; +52, +1.5 %)');
    expect(flat).toContain('1. Hanoi: 92.5 (up 1)');
    expect(flat).toContain('Fix Da Nang level-4 share (due 27 Nov 2026)');
  });

  it('stores an older week on first download, and regenerates for staff only, audited', async () => {
    const older = await download(server, '2026-11-16', viewer.token);
    expect(older.status).toBe(200);
    const stored = (await callJson(server.url, 'GET', '/api/v1/reports', staff.token)).body as WeeklyReportList;
    expect(stored.reports.map((r) => [r.weekStart, r.lang])).toContainEqual(['2026-11-16', 'vi']);
    // the last complete week is not stored by a download: the Monday 07:00 run stores and publishes it
    expect(stored.reports.map((r) => r.weekStart)).not.toContain('2026-11-23');

    // nor regenerated by staff before that run: it would leave the run nothing to mail
    const early = await callJson(server.url, 'POST', '/api/v1/reports/2026-11-23/regenerate', staff.token);
    expect([early.status, early.body.error]).toEqual([409, 'report_not_published']);

    expect((await callJson(server.url, 'POST', '/api/v1/reports/2026-11-16/regenerate', viewer.token)).status).toBe(403);
    const operatorList = await callJson(server.url, 'GET', '/api/v1/reports', operator.token);
    expect(operatorList.status).toBe(403);
    const regenerated = await callJson(server.url, 'POST', '/api/v1/reports/2026-11-16/regenerate', staff.token);
    expect(regenerated.status, JSON.stringify(regenerated.body)).toBe(200);
    const rows = (regenerated.body as WeeklyReportList).reports.filter((r) => r.weekStart === '2026-11-16');
    expect(rows.map((r) => [r.lang, r.generatedBy])).toEqual([
      ['vi', staff.username],
      ['en', staff.username],
    ]);
    const audit = await server.db.query<{ actor: string; target: string }>(
      `SELECT actor, target FROM audit_log WHERE action = 'report.regenerate'`,
    );
    expect(audit.rows).toEqual([{ actor: staff.username, target: 'report:2026-11-16' }]);
    expect((await callJson(server.url, 'POST', '/api/v1/reports/2026-11-30/regenerate', staff.token)).status).toBe(400);
  });
});

describe('the Monday 07:00 schedule on two instances', () => {
  let a: TestServer;
  let b: TestServer;
  // Monday 2026-11-30 06:59 in Viet Nam: the report of the week of 23 Nov is not due yet
  let now = new Date('2026-11-29T23:59:00Z');
  const clock = { now: () => now };
  const published: Array<{ instance: string; event: ReportPublished }> = [];

  beforeAll(async () => {
    const env = { DXOC_REPORT_CHECK_MS: '3600000' };
    a = await startTestServer({ clock, env: { ...env, DXOC_INSTANCE_ID: 'instance-a' } });
    b = await startTestServer({ clock, sameDatabaseAs: a, env: { ...env, DXOC_INSTANCE_ID: 'instance-b' } });
    a.app.get(EventBus).on('report.published', (event) => void published.push({ instance: 'a', event }));
    b.app.get(EventBus).on('report.published', (event) => void published.push({ instance: 'b', event }));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const runBoth = () => Promise.all([a.app.get(WeeklyReportScheduler).runOnce(), b.app.get(WeeklyReportScheduler).runOnce()]);
  const stored = async () =>
    (
      await a.db.query<{ week: string; lang: string; by: string }>(
        `SELECT to_char(week_start, 'YYYY-MM-DD') AS week, lang, generated_by AS by FROM weekly_report ORDER BY week_start, lang`,
      )
    ).rows;

  it('publishes nothing before Monday 07:00, nor while another holder has the lease', async () => {
    await runBoth();
    expect(await stored()).toEqual([]);
    now = new Date('2026-11-30T00:01:00Z'); // 07:01
    await a.db.query(`DELETE FROM lease WHERE name = 'weekly-report'`);
    await a.db.query(
      `INSERT INTO lease (name, holder, expires_at) VALUES ('weekly-report', 'instance-elsewhere', now() + interval '1 hour')`,
    );
    await runBoth();
    expect(await stored()).toEqual([]);
    expect(published).toEqual([]);
  });

  it('stores the week once and announces it once with the vi PDF', async () => {
    await a.db.query(`DELETE FROM lease WHERE name = 'weekly-report'`);
    await runBoth();
    await runBoth();
    await new Promise((resolve) => setImmediate(resolve)); // the bus delivers on a microtask after emit
    expect(await stored()).toEqual([
      { week: '2026-11-23', lang: 'en', by: 'schedule' },
      { week: '2026-11-23', lang: 'vi', by: 'schedule' },
    ]);
    expect(published).toHaveLength(1);
    const { event } = published[0]!;
    expect(event).toMatchObject({
      weekStart: '2026-11-23',
      lang: 'vi',
      title: { vi: 'Báo cáo tuần 23/11/2026 – 29/11/2026', en: 'Weekly report 23 Nov 2026 – 29 Nov 2026' },
    });
    expect(event.attachment).toMatchObject({ filename: 'bao-cao-tuan-2026-11-23-vi.pdf', contentType: 'application/pdf' });
    expect(event.attachment.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.app.get(WeeklyReportScheduler).published + b.app.get(WeeklyReportScheduler).published).toBe(1);
  });

  it('catches up at startup when the instance was down at 07:00', async () => {
    now = new Date('2026-12-07T03:00:00Z'); // Monday 7 Dec, 10:00
    await a.db.query(`DELETE FROM lease WHERE name = 'weekly-report'`);
    const c = await startTestServer({ clock, sameDatabaseAs: a, env: { DXOC_REPORT_CHECK_MS: '3600000', DXOC_INSTANCE_ID: 'instance-c' } });
    try {
      await c.app.get(WeeklyReportScheduler).runOnce(); // joins the startup run if it is still under way
      expect((await stored()).filter((r) => r.week === '2026-11-30')).toEqual([
        { week: '2026-11-30', lang: 'en', by: 'schedule' },
        { week: '2026-11-30', lang: 'vi', by: 'schedule' },
      ]);
      expect(c.app.get(WeeklyReportScheduler).published).toBe(1);
    } finally {
      await c.close();
    }
  });
});

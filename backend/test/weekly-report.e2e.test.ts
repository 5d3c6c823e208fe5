/**
 * Weekly committee report (issue 13 part 3). So far: the storage migration (012) on the embedded database. The
 * PDF over HTTP, pdftotext/pdftoppm checks and the Monday 07:00 schedule across two instances are still to come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../src/db/migrator';
import { WeeklyReportRepository } from '../src/weekly-report/weekly-report.repository';
import { inProcess, type TestDatabase } from './support/databases';

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

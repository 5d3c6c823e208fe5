import { Inject, Injectable } from '@nestjs/common';
import type { ReportLang, WeeklyReportSummary } from '@dxoc/contracts';
import { DATABASE, type Database } from '../db/database';

/** Stored weekly reports (table weekly_report, migration 012): one PDF per week (its Viet Nam Monday) and language. */
@Injectable()
export class WeeklyReportRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Stores or replaces a week's report in one language. */
  async save(weekStart: string, lang: ReportLang, pdf: Buffer, generatedAt: Date, generatedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO weekly_report (week_start, lang, pdf, generated_at, generated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (week_start, lang) DO UPDATE SET pdf = EXCLUDED.pdf, generated_at = EXCLUDED.generated_at,
         generated_by = EXCLUDED.generated_by`,
      [weekStart, lang, pdf, generatedAt, generatedBy],
    );
  }

  /**
   * Stores a week's report only if none is stored yet: true when this call stored it. The Monday schedule uses it so
   * a report is published once even if two instances ran the generation.
   */
  async saveIfAbsent(weekStart: string, lang: ReportLang, pdf: Buffer, generatedAt: Date, generatedBy: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO weekly_report (week_start, lang, pdf, generated_at, generated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (week_start, lang) DO NOTHING`,
      [weekStart, lang, pdf, generatedAt, generatedBy],
    );
    return rowCount === 1;
  }

  async get(weekStart: string, lang: ReportLang): Promise<Buffer | null> {
    const { rows } = await this.db.query<{ pdf: Buffer | Uint8Array }>(
      `SELECT pdf FROM weekly_report WHERE week_start = $1 AND lang = $2`,
      [weekStart, lang],
    );
    const pdf = rows[0]?.pdf;
    return pdf === undefined ? null : Buffer.from(pdf);
  }

  /** Every stored report, newest week first, without the PDF bytes. */
  async list(): Promise<WeeklyReportSummary[]> {
    const { rows } = await this.db.query<{
      week_start: string;
      lang: ReportLang;
      generated_at: Date | string;
      generated_by: string;
      size_bytes: number | string;
    }>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, lang, generated_at, generated_by, octet_length(pdf) AS size_bytes
       FROM weekly_report ORDER BY week_start DESC, lang DESC`,
    );
    return rows.map((row) => ({
      weekStart: row.week_start,
      lang: row.lang,
      generatedAt: new Date(row.generated_at).toISOString(),
      generatedBy: row.generated_by,
      sizeBytes: Number(row.size_bytes),
    }));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  isReportWeekStart,
  previousReportWeek,
  reportWeekOf,
  reportWeekRange,
  scheduledPublishAt,
  type Principal,
  type ReportLang,
  type WeeklyReportFigures,
  type WeeklyReportList,
  type WeeklyReportSummary,
} from '@dxoc/contracts';
import { AuditService } from '../auth/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError, badRequest } from '../http/errors';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { renderReportPdf } from './pdf-renderer';
import { reportDocument } from './report-document';
import { WeeklyFiguresRepository } from './weekly-figures.repository';
import { NATION, WeeklyFiguresService } from './weekly-figures.service';
import { WeeklyReportRepository } from './weekly-report.repository';

/** The weeks listed as downloadable go back at most this far (two years). */
const MAX_WEEKS_LISTED = 104;
/** generated_by of the Monday 07:00 run (weekly_report, migration 012). */
export const SCHEDULE_ACTOR = 'schedule';

/** The PDF's file name: "bao-cao-tuan-2026-11-30-vi.pdf". */
export function reportFileName(weekStart: string, lang: ReportLang): string {
  return `bao-cao-tuan-${weekStart}-${lang}.pdf`;
}

/**
 * Weekly reports: generated from the week's figures (WeeklyFiguresService) into a PDF per language, stored once per
 * week and language. A past week is generated on demand the first time it is downloaded; the last complete week is
 * stored by the Monday 07:00 schedule (WeeklyReportScheduler), which alone announces it ('report.published').
 */
@Injectable()
export class WeeklyReportService {
  constructor(
    @Inject(WeeklyFiguresService) private readonly figures: WeeklyFiguresService,
    @Inject(WeeklyReportRepository) private readonly reports: WeeklyReportRepository,
    @Inject(WeeklyFiguresRepository) private readonly figuresRepository: WeeklyFiguresRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  /** The most recent week that has ended (its report is due the Monday after, 07:00). */
  lastCompleteWeek(now = this.clock.now()): string {
    return previousReportWeek(reportWeekOf(now.getTime(), this.config.timezone));
  }

  async list(): Promise<WeeklyReportList> {
    const last = this.lastCompleteWeek();
    const catalog = await this.catalog.snapshot();
    const [reports, first] = await Promise.all([
      this.reports.list(),
      // the weeks since the first national figure: what the report's headline can speak of
      this.figuresRepository.firstObservation([...catalog.metrics.keys()], NATION),
    ]);
    const firstWeek = first === null ? last : reportWeekOf(first.getTime(), this.config.timezone);
    const weeks: string[] = [];
    for (let week = last; weeks.length < MAX_WEEKS_LISTED && week >= firstWeek; week = previousReportWeek(week)) weeks.push(week);
    // a stored report of a week before the first value (regenerated, or stored before values were deleted) is listed too
    for (const report of reports) if (!weeks.includes(report.weekStart)) weeks.push(report.weekStart);
    weeks.sort((a, b) => b.localeCompare(a));
    return { reports, weeks, lastCompleteWeek: last };
  }

  /** 400 unless `weekStart` names a Monday whose week has ended. */
  checkWeek(weekStart: string): void {
    if (!isReportWeekStart(weekStart))
      throw badRequest('invalid_week', `"${weekStart}" is not a week: name a week by its Monday, YYYY-MM-DD (e.g. "2026-11-30")`);
    const { to } = reportWeekRange(weekStart, this.config.timezone);
    if (to > this.clock.now().getTime())
      throw badRequest('week_not_finished', `the week of ${weekStart} has not ended yet; its report is made the Monday after`);
  }

  async assemble(weekStart: string): Promise<WeeklyReportFigures> {
    return this.figures.assemble(weekStart);
  }

  /** Draws a week's report in one language (nothing stored). */
  async render(weekStart: string, lang: ReportLang, at: Date): Promise<Buffer> {
    const { title, blocks } = reportDocument(await this.figures.assemble(weekStart), lang, at);
    return renderReportPdf(title, blocks);
  }

  /**
   * The stored report, or a new one. A new report is stored for weeks before the last complete one; the last
   * complete week's is drawn but not stored until its Monday 07:00 run has stored it (the schedule publishes
   * only what it stored, so a download at 06:59 must not pre-empt the mail).
   */
  async download(weekStart: string, lang: ReportLang, principal: Principal): Promise<Buffer> {
    this.checkWeek(weekStart);
    const stored = await this.reports.get(weekStart, lang);
    if (stored) return stored;
    const now = this.clock.now();
    const pdf = await this.render(weekStart, lang, now);
    if (weekStart < this.lastCompleteWeek(now)) {
      await this.reports.saveIfAbsent(weekStart, lang, pdf, now, principal.name);
      return (await this.reports.get(weekStart, lang)) ?? pdf;
    }
    return pdf;
  }

  /** Draws both languages again from today's data and replaces the stored ones (staff, admin; audited). */
  async regenerate(weekStart: string, principal: Principal, ip: string): Promise<WeeklyReportList> {
    this.checkWeek(weekStart);
    const now = this.clock.now();
    // the last complete week's report is stored (and mailed) by the Monday 07:00 run: storing it first would
    // leave that run nothing to publish
    if (weekStart === this.lastCompleteWeek(now) && !(await this.reports.get(weekStart, 'vi')))
      throw new AppError(
        409,
        'report_not_published',
        `the report of the week of ${weekStart} is stored and mailed by the Monday 07:00 run, which has not run yet; download it meanwhile (drawn from today's data)`,
      );
    const before = (await this.reports.list()).filter((r) => r.weekStart === weekStart);
    const after: WeeklyReportSummary[] = [];
    for (const lang of ['vi', 'en'] as const) {
      const pdf = await this.render(weekStart, lang, now);
      await this.reports.save(weekStart, lang, pdf, now, principal.name);
      after.push({ weekStart, lang, generatedAt: now.toISOString(), generatedBy: principal.name, sizeBytes: pdf.length });
    }
    await this.audit.record({ actor: principal.name, action: 'report.regenerate', target: `report:${weekStart}`, before, after, ip });
    return this.list();
  }

  /**
   * The Monday 07:00 run for the last complete week: stores its reports if none is stored yet and answers the vi
   * PDF when this call stored it (the caller publishes it), null when it is not due yet or another run stored it.
   */
  async storeScheduled(): Promise<{ weekStart: string; pdf: Buffer } | null> {
    const now = this.clock.now();
    const weekStart = this.lastCompleteWeek(now);
    if (now.getTime() < scheduledPublishAt(weekStart, this.config.timezone)) return null;
    if (await this.reports.get(weekStart, 'vi')) return null;
    const vi = await this.render(weekStart, 'vi', now);
    const stored = await this.reports.saveIfAbsent(weekStart, 'vi', vi, now, SCHEDULE_ACTOR);
    if (!stored) return null;
    // the vi report is stored: it is published whatever happens to the English one (drawn on download meanwhile)
    try {
      if (!(await this.reports.get(weekStart, 'en')))
        await this.reports.saveIfAbsent(weekStart, 'en', await this.render(weekStart, 'en', now), now, SCHEDULE_ACTOR);
    } catch (error) {
      this.logger.warn('report.english_failed', { weekStart, error: error instanceof Error ? error.message : String(error) });
    }
    return { weekStart, pdf: vi };
  }
}

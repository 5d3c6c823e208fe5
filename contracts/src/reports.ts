/**
 * Weekly committee report (issue 13 part 3): the shapes the REST API and the console share, and the pure figures
 * the PDF is assembled from. A report week runs Monday 00:00 to Sunday 24:00, Viet Nam time (the configured zone);
 * it is named by its Monday as a local date ("2026-11-30").
 */
import { z } from 'zod';
import { bucketStart, localDay, startOfLocalDay } from './calendar';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const REPORT_LANGS = ['vi', 'en'] as const;
export const ReportLangSchema = z.enum(REPORT_LANGS).meta({ id: 'ReportLang' });
export type ReportLang = z.infer<typeof ReportLangSchema>;

export const WeeklyReportSummarySchema = z
  .strictObject({
    weekStart: isoDate,
    lang: ReportLangSchema,
    generatedAt: z.string(),
    generatedBy: z.string(),
    sizeBytes: z.number().int().nonnegative(),
  })
  .meta({ id: 'WeeklyReportSummary' });
export type WeeklyReportSummary = z.infer<typeof WeeklyReportSummarySchema>;

export const WeeklyReportListSchema = z
  .strictObject({
    reports: z.array(WeeklyReportSummarySchema),
    /** past complete weeks (newest first) whose report can be downloaded: stored ones and ones generated on demand */
    weeks: z.array(isoDate).meta({ description: 'past complete weeks, newest first, that can be downloaded (generated on demand)' }),
    /** the last complete week: the one the Monday 07:00 schedule publishes */
    lastCompleteWeek: isoDate,
  })
  .meta({ id: 'WeeklyReportList' });
export type WeeklyReportList = z.infer<typeof WeeklyReportListSchema>;

export const WeeklyReportQuerySchema = z.strictObject({ lang: ReportLangSchema.default('vi') });

/** The Monday (local date) of the week an instant falls in. */
export function reportWeekOf(at: number, timeZone: string): string {
  return localDay(bucketStart(at, { count: 1, unit: 'w' }, timeZone), timeZone);
}

/** Whether a local date is a Monday (a valid week name). */
export function isReportWeekStart(day: string): boolean {
  return isoDate.safeParse(day).success && new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

/** [from, to) instants of the week that starts on the local Monday `weekStart`. */
export function reportWeekRange(weekStart: string, timeZone: string): { from: number; to: number } {
  const from = startOfLocalDay(weekStart, timeZone);
  const next = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  return { from, to: startOfLocalDay(next, timeZone) };
}

/** The Monday one week before. */
export function previousReportWeek(weekStart: string): string {
  return new Date(Date.parse(`${weekStart}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The scheduled instant of a week's report: the FOLLOWING Monday 07:00 local time. */
export function scheduledPublishAt(weekStart: string, timeZone: string): number {
  return reportWeekRange(weekStart, timeZone).to + 7 * 3_600_000;
}

export interface WeekChange {
  current: number | null;
  previous: number | null;
  /** current − previous; null when either side is missing. */
  delta: number | null;
  /** relative change in percent; null when either side is missing or previous is 0. */
  percent: number | null;
}

/** Week-on-week change of one headline indicator. */
export function weekChange(current: number | null, previous: number | null): WeekChange {
  if (current === null || previous === null) return { current, previous, delta: null, percent: null };
  const delta = current - previous;
  return { current, previous, delta, percent: previous === 0 ? null : (delta / Math.abs(previous)) * 100 };
}

export interface RankedUnit {
  unit: string;
  value: number;
  rank: number;
  previousRank: number | null;
  /** positive = moved up (previousRank − rank); null when not ranked last week. */
  rankChange: number | null;
}

/**
 * Competition ranking ("1, 2, 2, 4"), best first, with the change against last week's ranking of the same units.
 * `higherIsBetter` false ranks the smallest value first.
 */
export function rankWithChange(
  current: ReadonlyArray<{ unit: string; value: number }>,
  previous: ReadonlyArray<{ unit: string; value: number }>,
  higherIsBetter = true,
): RankedUnit[] {
  const rank = (rows: ReadonlyArray<{ unit: string; value: number }>) => {
    const sorted = [...rows].sort((a, b) =>
      a.value === b.value ? a.unit.localeCompare(b.unit) : higherIsBetter ? b.value - a.value : a.value - b.value,
    );
    const ranks = new Map<string, number>();
    sorted.forEach((row, i) => {
      const prior = sorted[i - 1];
      ranks.set(row.unit, prior && prior.value === row.value ? (ranks.get(prior.unit) as number) : i + 1);
    });
    return { sorted, ranks };
  };
  const now = rank(current);
  const before = rank(previous).ranks;
  return now.sorted.map((row) => {
    const r = now.ranks.get(row.unit) as number;
    const p = before.get(row.unit) ?? null;
    return { unit: row.unit, value: row.value, rank: r, previousRank: p, rankChange: p === null ? null : p - r };
  });
}

/** One headline indicator (national figure) of the week against the week before. */
export interface HeadlineFigure {
  metric: string;
  nameVi: string;
  nameEn: string;
  unitOfMeasure: string;
  /** 'sum': the week's total of a daily flow; 'last': the level as it stood at the end of the week */
  basis: 'sum' | 'last';
  change: WeekChange;
}

export interface TargetFigure {
  id: number;
  metric: string;
  metricNameVi: string;
  metricNameEn: string;
  unit: string;
  unitNameVi: string;
  unitNameEn: string;
  unitOfMeasure: string;
  value: number;
  comparator: '>=' | '<=';
  deadline: string;
  status: 'missed' | 'at_risk' | 'cannot_assess' | 'on_track' | 'met_late' | 'met_on_time';
  latest: number | null;
  /** projected value at the deadline (null: no projection, or the deadline passed, or met) */
  projected: number | null;
}

export interface RankingFigure {
  metric: string;
  metricNameVi: string;
  metricNameEn: string;
  unitKind: 'province' | 'ministry';
  higherIsBetter: boolean;
  rows: Array<RankedUnit & { nameVi: string; nameEn: string; previousValue: number | null }>;
}

export interface LateReporterFigure {
  unit: string;
  nameVi: string;
  nameEn: string;
  unitKind: 'province' | 'ministry';
  status: 'late' | 'never';
  worstMetric: string | null;
  periodsBehind: number | null;
  lateSince: string | null;
}

export interface WeeklyReportFigures {
  weekStart: string;
  /** the week's last local day (Sunday) */
  weekEnd: string;
  /** [from, to) instants of the week, ISO-8601 */
  from: string;
  to: string;
  timeZone: string;
  headline: HeadlineFigure[];
  targets: TargetFigure[];
  rankings: RankingFigure[];
  lateReporters: LateReporterFigure[];
  alerts: {
    fired: number;
    acknowledged: number;
    resolved: number;
    /** firing or acknowledged at the end of the week */
    openAtEnd: number;
    /** the alerts still open at the end of the week, most severe first (at most 10) */
    open: Array<{ id: number; unit: string; severity: string; messageVi: string; messageEn: string; firingSince: string | null }>;
  };
  directives: {
    /** directives issued in the week, and the units they addressed */
    issued: number;
    assignmentsIssued: number;
    /** answers units gave in the week */
    answered: number;
    closed: number;
    /** assignments still owed an answer or a decision at the end of the week whose due date had passed */
    overdueAtEnd: number;
    overdue: Array<{
      directiveId: number;
      unit: string;
      unitNameVi: string;
      unitNameEn: string;
      titleVi: string;
      titleEn: string | null;
      dueDate: string;
    }>;
  };
}

import { Inject, Injectable } from '@nestjs/common';
import {
  localDay,
  previousReportWeek,
  rankWithChange,
  reportWeekRange,
  weekChange,
  type HeadlineFigure,
  type LateReporterFigure,
  type RankingFigure,
  type TargetFigure,
  type WeeklyReportFigures,
} from '@dxoc/contracts';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import { TargetStatusService } from '../catalog/target-status.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { inForceAt } from '../query/in-force';
import { SeriesRepository } from '../query/series.repository';
import { ReportingService } from '../reporting/reporting.service';
import { WeeklyFiguresRepository } from './weekly-figures.repository';

/**
 * The national figures the report leads with: the wall's first-page tiles and the programme's named indicators
 * (DIGEST.md). A daily flow is the week's total; a level or share is where it stood at the end of the week.
 */
export const HEADLINE_METRICS = [
  'dvc.services_online',
  'dvc.level4_share',
  'dvc.project06_services',
  'dvc.end_to_end_dossier_share',
  'population.citizen_records',
  'einvoice.issued',
  'edoc.electronic_share',
  'ndxp.transactions',
] as const;
export const NATION = 'VN';
/** The rankings the report shows: the wall's level-4 ranking, for provinces and for ministries. */
export const RANKINGS = [
  { metric: 'dvc.level4_share', unitKind: 'province' },
  { metric: 'dvc.level4_share', unitKind: 'ministry' },
] as const;
const LIST_LIMIT = 10;

/**
 * Assembles a week's figures from what the rest of the product already answers: targets and their projections from
 * TargetStatusService, late reporters from ReportingService (the compliance page), latest values from
 * SeriesRepository, each as of the end of the week; alerts and directives of the week from WeeklyFiguresRepository.
 */
@Injectable()
export class WeeklyFiguresService {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(TargetStatusService) private readonly targets: TargetStatusService,
    @Inject(ReportingService) private readonly reporting: ReportingService,
    @Inject(SeriesRepository) private readonly series: SeriesRepository,
    @Inject(WeeklyFiguresRepository) private readonly repository: WeeklyFiguresRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async assemble(weekStart: string): Promise<WeeklyReportFigures> {
    const timeZone = this.config.timezone;
    const { from, to } = reportWeekRange(weekStart, timeZone);
    const previous = reportWeekRange(previousReportWeek(weekStart), timeZone);
    // "as of the end of the week": the last instant inside it (values dated exactly at `to` belong to the next week)
    const end = new Date(to - 1);
    const previousEnd = new Date(previous.to - 1);
    const catalog = await this.catalog.snapshot();
    const [headline, targets, rankings, lateReporters, alerts, directives] = await Promise.all([
      this.headline(catalog, { from, to }, previous),
      this.targetFigures(catalog, end),
      Promise.all(RANKINGS.map((r) => this.ranking(catalog, r.metric, r.unitKind, end, previousEnd))),
      this.lateReporters(catalog, end),
      this.repository.alerts(new Date(from), new Date(to), LIST_LIMIT),
      this.repository.directives(new Date(from), new Date(to), localDay(to, timeZone), LIST_LIMIT * 2),
    ]);
    return {
      weekStart,
      weekEnd: localDay(end, timeZone),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      timeZone,
      headline,
      targets,
      rankings: rankings.filter((r): r is RankingFigure => r !== null),
      lateReporters,
      alerts,
      directives: {
        ...directives,
        overdue: directives.overdue.map((row) => ({
          ...row,
          unitNameVi: catalog.units.get(row.unit)?.nameVi ?? row.unit,
          unitNameEn: catalog.units.get(row.unit)?.nameEn ?? row.unit,
        })),
      },
    };
  }

  private async headline(
    catalog: CatalogSnapshot,
    week: { from: number; to: number },
    previous: { from: number; to: number },
  ): Promise<HeadlineFigure[]> {
    const rows: HeadlineFigure[] = [];
    for (const code of HEADLINE_METRICS) {
      const metric = catalog.metrics.get(code);
      if (!metric || !metric.unitKinds.includes('nation')) continue;
      const basis = metric.defaultAggregation === 'sum' ? 'sum' : 'last';
      const value = async (range: { from: number; to: number }): Promise<number | null> => {
        if (basis === 'sum') return this.repository.sum(code, NATION, new Date(range.from), new Date(range.to));
        return (await this.series.latest(code, new Date(range.to - 1), [NATION]))[0]?.value ?? null;
      };
      const [current, before] = await Promise.all([value(week), value(previous)]);
      rows.push({
        metric: code,
        nameVi: metric.nameVi,
        nameEn: metric.nameEn,
        unitOfMeasure: metric.unitOfMeasure,
        basis,
        change: weekChange(current, before),
      });
    }
    return rows;
  }

  private async targetFigures(catalog: CatalogSnapshot, end: Date): Promise<TargetFigure[]> {
    const { targets } = await this.targets.list({ when: 'all' }, end);
    return targets.map((row) => {
      const metric = catalog.metrics.get(row.target.metricCode);
      const unit = catalog.units.get(row.target.unitCode);
      return {
        id: row.target.id,
        metric: row.target.metricCode,
        metricNameVi: metric?.nameVi ?? row.target.metricCode,
        metricNameEn: metric?.nameEn ?? row.target.metricCode,
        unit: row.target.unitCode,
        unitNameVi: unit?.nameVi ?? row.target.unitCode,
        unitNameEn: unit?.nameEn ?? row.target.unitCode,
        unitOfMeasure: metric?.unitOfMeasure ?? '',
        value: row.target.value,
        comparator: row.target.comparator,
        deadline: row.target.deadline,
        status: row.status,
        latest: row.latest?.value ?? null,
        projected: row.projection?.value ?? null,
      };
    });
  }

  private async ranking(
    catalog: CatalogSnapshot,
    code: string,
    unitKind: 'province' | 'ministry',
    end: Date,
    previousEnd: Date,
  ): Promise<RankingFigure | null> {
    const metric = catalog.metrics.get(code);
    if (!metric || !metric.unitKinds.includes(unitKind)) return null;
    const units = [...catalog.units.values()].filter((u) => u.kind === unitKind && inForceAt(u, end, this.config.timezone));
    const codes = units.map((u) => u.code);
    const [now, before] = await Promise.all([this.series.latest(code, end, codes), this.series.latest(code, previousEnd, codes)]);
    const previousValues = new Map(before.map((r) => [r.unit, r.value]));
    const higherIsBetter = metric.betterWhen !== 'lower';
    const ranked = rankWithChange(
      now.map((r) => ({ unit: r.unit, value: r.value })),
      before.map((r) => ({ unit: r.unit, value: r.value })),
      higherIsBetter,
    );
    return {
      metric: code,
      metricNameVi: metric.nameVi,
      metricNameEn: metric.nameEn,
      unitKind,
      higherIsBetter,
      rows: ranked.map((row) => ({
        ...row,
        nameVi: catalog.units.get(row.unit)?.nameVi ?? row.unit,
        nameEn: catalog.units.get(row.unit)?.nameEn ?? row.unit,
        previousValue: previousValues.get(row.unit) ?? null,
      })),
    };
  }

  /** The compliance page's answer as of the end of the week: every province and ministry behind on some indicator. */
  private async lateReporters(catalog: CatalogSnapshot, end: Date): Promise<LateReporterFigure[]> {
    const rows: LateReporterFigure[] = [];
    for (const unitKind of ['province', 'ministry'] as const) {
      const overview = await this.reporting.overview(unitKind, undefined, end.toISOString());
      for (const unit of overview.units) {
        if (unit.status === 'on_time') continue;
        rows.push({
          unit: unit.unit,
          nameVi: catalog.units.get(unit.unit)?.nameVi ?? unit.unit,
          nameEn: catalog.units.get(unit.unit)?.nameEn ?? unit.unit,
          unitKind,
          status: unit.status === 'never' ? 'never' : 'late',
          worstMetric: unit.worstMetric,
          periodsBehind: unit.periodsBehind,
          lateSince: unit.lateSince,
        });
      }
    }
    // the furthest behind first; never reported last (often an indicator not yet collected from that unit)
    return rows.sort(
      (a, b) =>
        Number(a.status === 'never') - Number(b.status === 'never') ||
        (b.periodsBehind ?? 0) - (a.periodsBehind ?? 0) ||
        (a.lateSince ?? '').localeCompare(b.lateSince ?? '') ||
        a.unit.localeCompare(b.unit),
    );
  }
}

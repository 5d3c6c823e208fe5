import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import type { Metric } from '../catalog/catalog.types';
import {
  periodStart,
  previousPeriodStart,
  startOfLocalDay,
  type ComplianceOverviewResponse,
  type ComplianceResponse,
  type ComplianceSummary,
  type ComplianceUnit,
  type UnitKind,
} from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest, notFound } from '../http/errors';
import { parseQueryTime } from '../http/query-time';
import { inForceAt } from '../query/in-force';
import { SeriesRepository } from '../query/series.repository';
import { GRACE_MS, lateness, worseStatus } from './lateness';

/** One metric's answer, and whether any unit of the kind has ever sent it (is it collected for this kind at all). */
type MetricCompliance = ComplianceResponse & { collected: boolean };

/**
 * Who reported on time. A period's figures are due when the next period begins (the catalog sets no grace): a unit
 * with a value for the previous period or later is on time; otherwise it is late by the periods due and missing since
 * its last value, since the due time of the first of them (see lateness.ts). Only units in force at the time asked are
 * listed: a province dissolved at the 2025 merger is not asked to report after it.
 */
@Injectable()
export class ReportingService {
  constructor(
    @Inject(SeriesRepository) private readonly series: SeriesRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compliance(metricCode: string, unitKind: UnitKind, asOfText?: string): Promise<ComplianceResponse> {
    const catalog = await this.catalog.snapshot();
    const metric = catalog.metrics.get(metricCode);
    if (!metric) throw notFound(`unknown metric "${metricCode}"; see GET /api/v1/catalog/metrics`);
    const now = parseQueryTime(asOfText, 'asOf') ?? this.clock.now();
    const { collected: _collected, ...answer } = await this.forMetric(catalog, metric, unitKind, now);
    return answer;
  }

  /** Several metrics at once; per unit the worst of them. */
  async overview(unitKind: UnitKind, metricsText: string | undefined, asOfText?: string): Promise<ComplianceOverviewResponse> {
    const catalog = await this.catalog.snapshot();
    const now = parseQueryTime(asOfText, 'asOf') ?? this.clock.now();
    const codes = metricsText
      ? [
          ...new Set(
            metricsText
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean),
          ),
        ]
      : // by default the indicators the units of this kind report themselves (not those a national system reports for them)
        [...catalog.metrics.values()]
          .filter((m) => m.cadence !== 'irregular' && m.unitKinds.includes(unitKind) && m.reportedBy.includes(unitKind))
          .map((m) => m.code);
    const unknown = codes.filter((code) => !catalog.metrics.has(code));
    if (unknown.length > 0) throw notFound(`unknown metric(s) ${unknown.map((m) => `"${m}"`).join(', ')}; see GET /api/v1/catalog/metrics`);
    if (codes.length > 50) throw badRequest('invalid_query', 'at most 50 metrics at once');
    const answers = await Promise.all(codes.map((code) => this.forMetric(catalog, catalog.metrics.get(code) as Metric, unitKind, now)));
    // by default, only indicators some unit of the kind has ever sent: one nobody reports yet would make every unit
    // "never reported" and hide the units that are really behind; named ones are always judged
    const perMetric = metricsText ? answers : answers.filter((a) => a.collected);
    const units = this.unitsInForce(catalog, unitKind, now);
    const rows = units.map((unit) => {
      const metrics: ComplianceOverviewResponse['units'][number]['metrics'] = {};
      let status: ComplianceUnit['status'] = 'on_time';
      let periodsBehind: number | null = null;
      let worstMetric: string | null = null;
      let worstSince: string | null = null;
      let lateSince: string | null = null;
      for (const answer of perMetric) {
        const row = answer.units.find((u) => u.unit === unit);
        if (!row) continue; // the metric is not carried by this unit kind
        const { lastTs, status: s, periodsBehind: behind, lateSince: since, firstMissingPeriod, lateBySeconds } = row;
        metrics[answer.metric] = { lastTs, status: s, periodsBehind: behind, lateSince: since, firstMissingPeriod, lateBySeconds };
        // an indicator no unit of the kind has ever sent is not collected yet: shown, but nobody is behind on it
        if (!answer.collected) continue;
        status = worseStatus(status, s);
        if (since !== null && (lateSince === null || since < lateSince)) lateSince = since;
        if (
          behind !== null &&
          behind > 0 &&
          (periodsBehind === null ||
            behind > periodsBehind ||
            (behind === periodsBehind && since !== null && (worstSince === null || since < worstSince)))
        ) {
          periodsBehind = behind;
          worstMetric = answer.metric;
          worstSince = since;
        }
        if (periodsBehind === null && behind === 0) periodsBehind = 0;
      }
      return {
        unit,
        status,
        periodsBehind,
        worstMetric,
        lateSince,
        lateBySeconds: lateSince === null ? null : Math.round((now.getTime() - Date.parse(lateSince)) / 1000),
        metrics,
      };
    });
    return {
      unitKind,
      asOf: now.toISOString(),
      metrics: perMetric.map(({ metric, cadence, periodStart: start, dueBy, graceSeconds, collected }) => ({
        metric,
        cadence,
        periodStart: start,
        dueBy,
        graceSeconds,
        collected,
      })),
      units: rows,
      summary: summarise(rows),
    };
  }

  /** Units of the kind in force at `at` (validity dates are local calendar days). */
  private unitsInForce(catalog: CatalogSnapshot, unitKind: UnitKind, at: Date): string[] {
    return [...catalog.units.values()].filter((u) => u.kind === unitKind && inForceAt(u, at, this.config.timezone)).map((u) => u.code);
  }

  private async forMetric(catalog: CatalogSnapshot, metric: Metric, unitKind: UnitKind, now: Date): Promise<MetricCompliance> {
    const timeZone = this.config.timezone;
    const startMs = periodStart(metric.cadence, now.getTime(), timeZone);
    const current = startMs === null ? null : new Date(startMs);
    const previousMs = previousPeriodStart(metric.cadence, now.getTime(), timeZone);
    const carried = metric.unitKinds.includes(unitKind);
    const units = carried ? this.unitsInForce(catalog, unitKind, now) : [];
    const latest = new Map((await this.series.latest(metric.code, now, units)).map((row) => [row.unit, row]));
    // a unit that never reported is late from the first period it was expected to report: not before reporting of
    // the metric began for its kind (the first value any unit of the kind sent, dissolved ones included)
    const neverReported = units.some((unit) => !latest.has(unit));
    const kindCodes = [...catalog.units.values()].filter((u) => u.kind === unitKind).map((u) => u.code);
    const began = neverReported && previousMs !== null ? await this.series.firstTs(metric.code, kindCodes) : null;
    const rows: ComplianceUnit[] = units.map((unit) => {
      const row = latest.get(unit);
      const validFrom = catalog.units.get(unit)?.validFrom ?? null;
      const from = validFrom ? startOfLocalDay(validFrom, timeZone) : null;
      const expectedFrom = began === null ? null : Math.max(began.getTime(), from ?? -Infinity);
      const late = lateness({ cadence: metric.cadence, now: now.getTime(), lastTs: row?.ts.getTime() ?? null, expectedFrom, timeZone });
      return {
        unit,
        lastTs: row?.ts.toISOString() ?? null,
        lastReceivedAt: row?.receivedAt.toISOString() ?? null,
        status: late.status,
        periodsBehind: late.periodsBehind,
        lateSince: late.lateSince?.toISOString() ?? null,
        firstMissingPeriod: late.firstMissingPeriod?.toISOString() ?? null,
        lateBySeconds: late.lateBySeconds,
      };
    });
    return {
      metric: metric.code,
      cadence: metric.cadence,
      asOf: now.toISOString(),
      periodStart: (current ?? now).toISOString(),
      dueBy: new Date((current ?? now).getTime() + GRACE_MS).toISOString(),
      graceSeconds: GRACE_MS / 1000,
      units: rows,
      summary: summarise(rows),
      collected: latest.size > 0 || began !== null,
    };
  }
}

function summarise(rows: Array<Pick<ComplianceUnit, 'status' | 'periodsBehind' | 'lateSince'>>): ComplianceSummary {
  const summary: ComplianceSummary = { onTime: 0, late: 0, never: 0, maxPeriodsBehind: null, earliestLateSince: null };
  for (const row of rows) {
    if (row.status === 'on_time') summary.onTime++;
    else if (row.status === 'late') summary.late++;
    else summary.never++;
    if (row.periodsBehind !== null) summary.maxPeriodsBehind = Math.max(summary.maxPeriodsBehind ?? 0, row.periodsBehind);
    if (row.lateSince !== null && (summary.earliestLateSince === null || row.lateSince < summary.earliestLateSince))
      summary.earliestLateSince = row.lateSince;
  }
  return summary;
}

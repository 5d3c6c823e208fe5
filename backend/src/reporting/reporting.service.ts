import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogService } from '../catalog/catalog.service';
import { periodStart, previousPeriodStart, type ComplianceResponse, type UnitKind } from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { notFound } from '../http/errors';
import { SeriesRepository } from '../query/series.repository';

/**
 * Who reported on time. A unit is on time when it has a value for the previous period or later: the previous
 * period's figures were due when the current period began. Late units are late by the time since then.
 */
@Injectable()
export class ReportingService {
  constructor(
    @Inject(SeriesRepository) private readonly series: SeriesRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compliance(metricCode: string, unitKind: UnitKind): Promise<ComplianceResponse> {
    const catalog = await this.catalog.snapshot();
    const metric = catalog.metrics.get(metricCode);
    if (!metric) throw notFound(`unknown metric "${metricCode}"; see GET /api/v1/catalog/metrics`);
    const now = this.clock.now();
    const startMs = periodStart(metric.cadence, now.getTime(), this.config.timezone);
    const current = startMs === null ? null : new Date(startMs);
    const previousMs = previousPeriodStart(metric.cadence, now.getTime(), this.config.timezone);
    const previous = previousMs === null ? null : new Date(previousMs);
    const units = metric.unitKinds.includes(unitKind)
      ? [...catalog.units.values()].filter((u) => u.kind === unitKind && u.validUntil === null).map((u) => u.code)
      : [];
    const latest = new Map((await this.series.latest(metric.code, now, units)).map((row) => [row.unit, row]));
    return {
      metric: metric.code,
      cadence: metric.cadence,
      periodStart: (current ?? now).toISOString(),
      dueBy: (current ?? now).toISOString(),
      units: units.map((unit) => {
        const row = latest.get(unit);
        if (!row) {
          return {
            unit,
            lastTs: null,
            lastReceivedAt: null,
            status: 'never' as const,
            lateBySeconds: current ? Math.round((now.getTime() - current.getTime()) / 1000) : null,
          };
        }
        const onTime = previous === null || row.ts.getTime() >= previous.getTime();
        return {
          unit,
          lastTs: row.ts.toISOString(),
          lastReceivedAt: row.receivedAt.toISOString(),
          status: onTime ? ('on_time' as const) : ('late' as const),
          lateBySeconds: onTime || !current ? null : Math.round((now.getTime() - current.getTime()) / 1000),
        };
      }),
    };
  }
}

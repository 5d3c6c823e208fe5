import { Inject, Injectable } from '@nestjs/common';
import { assessTargetStatus, TARGET_STATUSES, type TargetStatusRow, type TargetsResponse } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { notFound } from '../http/errors';
import { CatalogService } from './catalog.service';
import { TargetStatusRepository } from './target-status.repository';

/**
 * The status of every target (met on time, met late with the date reached, missed, at risk, on track, cannot
 * assess), judged by `assessTargetStatus` of @dxoc/contracts on the target unit's stored values as of now: the one
 * place the wall, the console and API users read it from.
 */
@Injectable()
export class TargetStatusService {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(TargetStatusRepository) private readonly repository: TargetStatusRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `at`: judge as of another instant than now (the weekly report judges as of the end of its week). */
  async list(query: { metric?: string; unit?: string; when: 'current' | 'past' | 'all' }, at?: Date): Promise<TargetsResponse> {
    const snapshot = await this.catalog.snapshot();
    if (query.metric !== undefined && !snapshot.metrics.has(query.metric)) throw notFound(`unknown metric "${query.metric}"`);
    if (query.unit !== undefined && !snapshot.units.has(query.unit)) throw notFound(`unknown unit "${query.unit}"`);
    const now = at ?? this.clock.now();
    const targets = snapshot.targets.filter(
      (t) => (query.metric === undefined || t.metricCode === query.metric) && (query.unit === undefined || t.unitCode === query.unit),
    );
    const values = await this.repository.values(
      targets.map((t) => ({ metric: t.metricCode, unit: t.unitCode })),
      now,
    );
    const rows: TargetStatusRow[] = [];
    for (const target of targets) {
      const row = assessTargetStatus(
        target,
        values.get(`${target.metricCode}|${target.unitCode}`) ?? [],
        now.getTime(),
        this.config.timezone,
      );
      if (query.when === 'current' && !row.current) continue;
      if (query.when === 'past' && row.current) continue;
      rows.push({
        ...row,
        target: { ...target },
        reachedAt: row.reachedAt === null ? null : new Date(row.reachedAt).toISOString(),
        latest: row.latest && { ts: new Date(row.latest.t).toISOString(), value: row.latest.v },
        atDeadline: row.atDeadline && { ts: new Date(row.atDeadline.t).toISOString(), value: row.atDeadline.v },
      });
    }
    // worst first, then the nearest deadline
    rows.sort(
      (a, b) =>
        TARGET_STATUSES.indexOf(a.status) - TARGET_STATUSES.indexOf(b.status) ||
        a.target.deadline.localeCompare(b.target.deadline) ||
        a.target.id - b.target.id,
    );
    return { at: now.toISOString(), targets: rows };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  type AggregateQuery,
  type AggregateResponse,
  BUCKET_PATTERN,
  type Duration,
  type DurationUnit,
  type HistoryResponse,
  type LatestResponse,
  type SeriesQuery,
  type SeriesResponse,
  type UnitKind,
  bucketStart,
  localDay,
  parseDuration,
  startOfLocalDay,
} from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import type { Metric } from '../catalog/catalog.types';
import { AppError, badRequest, notFound } from '../http/errors';
import { inForceAt } from './in-force';
import { SeriesRepository, type SeriesSource } from './series.repository';
import { parseQueryTime } from '../http/query-time';

/** A series answer larger than this is a mistake on a wall screen: ask for a bucket or a narrower range. */
export const MAX_SERIES_POINTS = 10_000;
const DAY: Duration = { count: 1, unit: 'd' };

interface Bucket {
  interval: string;
  source: SeriesSource;
}

/** The daily continuous aggregate cuts days at midnight in this zone (UTC+7 all year: migration 005). */
export const DAILY_AGGREGATE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const INTERVAL_WORD: Record<DurationUnit, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/**
 * "6h" → 6 hours read from the hourly aggregate; "1mo" → 1 month from the daily one; "15m" → raw. Day and longer
 * buckets read the daily aggregate only when its days are the configured zone's days; otherwise the hourly one.
 */
export function parseBucket(text: string, timeZone: string = DAILY_AGGREGATE_TIME_ZONE): Bucket {
  const duration = BUCKET_PATTERN.test(text.trim()) ? parseDuration(text) : null;
  if (!duration) throw badRequest('invalid_query', `bucket ${JSON.stringify(text)} must look like "15m", "1h", "1d", "1w", "1mo" or "1y"`);
  const { count, unit } = duration;
  if (count < 1) throw badRequest('invalid_query', `bucket ${JSON.stringify(text)} must be at least 1 of a time unit`);
  const interval = unit === 'w' ? `${count * 7} days` : `${count} ${INTERVAL_WORD[unit]}${count > 1 ? 's' : ''}`;
  const wholeDays = unit === 'd' || unit === 'w' || unit === 'mo' || unit === 'y' || (unit === 'h' && count % 24 === 0);
  const wholeHours = unit === 'h' || (unit === 'm' && count % 60 === 0);
  const source: SeriesSource = wholeDays ? (timeZone === DAILY_AGGREGATE_TIME_ZONE ? 'daily' : 'hourly') : wholeHours ? 'hourly' : 'raw';
  return { interval, source };
}

@Injectable()
export class QueryService {
  constructor(
    @Inject(SeriesRepository) private readonly repository: SeriesRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async series(query: SeriesQuery): Promise<SeriesResponse> {
    const catalog = await this.catalog.snapshot();
    const metric = requireMetric(catalog, query.metric);
    const unit = catalog.units.get(query.unit);
    if (!unit) throw notFound(`unknown unit "${query.unit}"; see GET /api/v1/catalog/units`);
    const from = parseQueryTime(query.from, 'from');
    const to = parseQueryTime(query.to, 'to') ?? this.clock.now();
    if (from && from >= to) throw badRequest('invalid_query', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    const bucket = query.bucket ? parseBucket(query.bucket, this.config.timezone) : null;
    const agg = bucket ? (query.agg ?? metric.defaultAggregation) : null;
    const codes = query.includePredecessors ? CatalogService.withPredecessors(catalog.units, unit.code) : [unit.code];
    const units = codes.map((code) => {
      const until = code === unit.code ? null : catalog.units.get(code)?.validUntil;
      // validity dates are local calendar days: the cut-off is local midnight
      return { code, until: until ? new Date(startOfLocalDay(until, this.config.timezone)) : null };
    });
    const rows = await this.repository.series({
      metric: metric.code,
      units,
      from,
      to,
      bucket: bucket?.interval ?? null,
      agg: agg ?? 'last',
      combine: metric.kind === 'ratio' ? 'avg' : 'sum',
      source: bucket?.source ?? 'raw',
      timezone: this.config.timezone,
      limit: MAX_SERIES_POINTS,
    });
    if (rows.length > MAX_SERIES_POINTS) {
      throw new AppError(
        400,
        'too_many_points',
        `the answer has more than ${MAX_SERIES_POINTS} points; narrow from/to or ask for a bucket such as "1h" or "1d"`,
        {
          limit: MAX_SERIES_POINTS,
        },
      );
    }
    return {
      metric: metric.code,
      unit: unit.code,
      bucket: bucket?.interval ?? null,
      agg,
      units: codes,
      source: bucket?.source ?? 'raw',
      points: rows.map((r) => ({ ts: r.ts.toISOString(), value: r.value })),
    };
  }

  async aggregate(query: AggregateQuery): Promise<AggregateResponse> {
    const catalog = await this.catalog.snapshot();
    const metric = requireMetric(catalog, query.metric);
    const from = parseQueryTime(query.from, 'from') as Date;
    const to = parseQueryTime(query.to, 'to') ?? this.clock.now();
    if (from >= to) throw badRequest('invalid_query', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    if (!query.unitKind && !query.units)
      throw badRequest('invalid_query', 'name the units: unitKind=province|ministry|nation or units=01,79');
    const owners = query.units
      ? query.units
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean)
      : this.unitsOfKind(catalog, query.unitKind as UnitKind, from, to, query.includeEnded ?? false);
    const unknown = owners.filter((code) => !catalog.units.has(code));
    if (unknown.length > 0) throw notFound(`unknown unit(s) ${unknown.map((u) => `"${u}"`).join(', ')}`);
    const units = owners.flatMap((owner) =>
      (query.includePredecessors ? CatalogService.withPredecessors(catalog.units, owner) : [owner]).map((code) => {
        const until = code === owner ? null : catalog.units.get(code)?.validUntil;
        return { code, owner, until: until ? new Date(startOfLocalDay(until, this.config.timezone)) : null };
      }),
    );
    const agg = query.agg ?? metric.defaultAggregation;
    // Whole days of the daily aggregate's zone can come from it; anything else is read raw.
    const alignedToDays =
      this.config.timezone === DAILY_AGGREGATE_TIME_ZONE &&
      [from, to].every((t) => bucketStart(t.getTime(), DAY, DAILY_AGGREGATE_TIME_ZONE) === t.getTime());
    const rows = await this.repository.aggregateByUnit({
      metric: metric.code,
      units,
      from,
      to,
      agg,
      source: alignedToDays ? 'daily' : 'raw',
    });
    return {
      metric: metric.code,
      agg,
      from: from.toISOString(),
      to: to.toISOString(),
      includeEnded: query.includeEnded ?? false,
      values: rows.map((r) => ({ unit: r.unit, value: r.value, lastTs: r.lastTs.toISOString() })),
    };
  }

  /**
   * The latest value per unit at asOf, of the units in force then (a province dissolved at the 2025 merger keeps its
   * last value forever, but is no longer a province to list) unless the caller asks for ended units too.
   */
  async latest(query: { metric: string; unitKind?: UnitKind; asOf?: string; includeEnded?: boolean }): Promise<LatestResponse> {
    const catalog = await this.catalog.snapshot();
    const metric = requireMetric(catalog, query.metric);
    const asOf = parseQueryTime(query.asOf, 'asOf') ?? this.clock.now();
    const includeEnded = query.includeEnded ?? false;
    const units =
      includeEnded && !query.unitKind
        ? null
        : [...catalog.units.values()]
            .filter((u) => (!query.unitKind || u.kind === query.unitKind) && (includeEnded || inForceAt(u, asOf, this.config.timezone)))
            .map((u) => u.code);
    const rows = await this.repository.latest(metric.code, asOf, units);
    return {
      metric: metric.code,
      asOf: asOf.toISOString(),
      includeEnded,
      values: rows.map((r) => ({ unit: r.unit, ts: r.ts.toISOString(), value: r.value, receivedAt: r.receivedAt.toISOString() })),
    };
  }

  /**
   * The units of a kind a ranking or map over [from, to) lists: those in force at the end of the range (just before
   * `to`, which is exclusive); with includeEnded, every unit in force at some time in the range.
   */
  private unitsOfKind(catalog: CatalogSnapshot, kind: UnitKind, from: Date, to: Date, includeEnded: boolean): string[] {
    const timeZone = this.config.timezone;
    const end = new Date(to.getTime() - 1);
    const [firstDay, lastDay] = [localDay(from, timeZone), localDay(end, timeZone)];
    return [...catalog.units.values()]
      .filter(
        (u) =>
          u.kind === kind &&
          (includeEnded
            ? (u.validFrom === null || u.validFrom <= lastDay) && (u.validUntil === null || u.validUntil > firstDay)
            : inForceAt(u, end, timeZone)),
      )
      .map((u) => u.code);
  }

  async history(query: { metric: string; unit: string; ts: string }): Promise<HistoryResponse> {
    const ts = parseQueryTime(query.ts, 'ts') as Date;
    const rows = await this.repository.revisions(query.metric, query.unit, ts);
    const revisions = rows.map((r) => ({
      revision: r.revision,
      value: r.value,
      batchId: r.batchId,
      keyId: r.keyId,
      keyName: r.keyName,
      receivedAt: r.receivedAt.toISOString(),
      supersededAt: r.supersededAt?.toISOString() ?? null,
    }));
    const current = revisions.find((r) => r.supersededAt === null);
    if (!current) throw notFound(`no value stored for metric "${query.metric}", unit "${query.unit}" at ${ts.toISOString()}`);
    return { metric: query.metric, unit: query.unit, ts: ts.toISOString(), current, revisions };
  }
}

function requireMetric(catalog: CatalogSnapshot, code: string): Metric {
  const metric = catalog.metrics.get(code);
  if (!metric) throw notFound(`unknown metric "${code}"; see GET /api/v1/catalog/metrics`);
  return metric;
}

import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { EventBus } from '../events/event-bus';
import type { StoredPoints } from '../events/event-map';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { TimescaleRepository } from './timescale.repository';
import { withoutStatementDeadline } from './statement-deadline';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Vietnamese days start at 17:00 UTC (UTC+7 all year): the day aggregate's buckets (migration 005, 007). */
const VN_OFFSET = 7 * HOUR;

/**
 * Refreshes the hours and days a stored batch touched, right after it commits. The aggregates are real-time, but
 * only past their last refresh: a value revised (or arriving late) in an hour or day already materialised showed
 * its old number in bucketed answers until the policy's next run — up to 5 minutes for days, and agents revise
 * today's running amount, dated at the day's start, on every poll (the wall showed the raw 293.169 while
 * `bucket=1d` said 285,967). Only values dated before the current hour ask for it (revisions and late values;
 * the current hour is the real-time part's), so the ingest of current values costs nothing more. Refreshing only
 * the touched windows costs what those buckets hold; batches that arrive while a refresh runs are merged into one
 * next window. The instance that stored the batch refreshes it: other instances read the same database.
 */
@Injectable()
export class AggregateRefresher implements OnModuleInit, OnApplicationShutdown {
  /** the hours still to refresh, as [from, to) in ms, merged */
  private pending: { from: number; to: number } | null = null;
  private running: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(TimescaleRepository) private readonly timescale: TimescaleRepository,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.on('observations.stored', ({ points }) => this.touched(points));
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.pending = null;
    await this.running;
  }

  private touched(points: StoredPoints): void {
    const currentHour = Math.floor(this.clock.now().getTime() / HOUR) * HOUR;
    let from = Infinity;
    let to = -Infinity;
    for (const t of points.ts) {
      if (t >= currentHour) continue;
      if (t < from) from = t;
      if (t > to) to = t;
    }
    if (!Number.isFinite(from)) return;
    const window = { from: Math.floor(from / HOUR) * HOUR, to: Math.floor(to / HOUR) * HOUR + HOUR };
    this.pending = this.pending ? { from: Math.min(this.pending.from, window.from), to: Math.max(this.pending.to, window.to) } : window;
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { from, to } = this.pending;
      this.pending = null;
      // TimescaleDB refuses a window of a single bucket ("refresh window too small"), and aligns a day window to
      // UTC days, not to the buckets' offset (a window of exactly the Vietnamese day left that day out): one more
      // day on each side
      const dayFrom = Math.floor((from + VN_OFFSET) / DAY) * DAY - VN_OFFSET - DAY;
      const dayTo = Math.ceil((to + VN_OFFSET) / DAY) * DAY - VN_OFFSET + DAY;
      try {
        // days are built from the raw values as the hours are, so the two refreshes are independent. Nothing to do
        // where nothing is materialised yet (a fresh database loading its history): the raw values answer there
        const [hourMark, dayMark] = await Promise.all([
          this.timescale.aggregateWatermark('observation_hourly'),
          this.timescale.aggregateWatermark('observation_daily'),
        ]);
        // a refresh of a long window may rightly take longer than a request's statement deadline
        await withoutStatementDeadline(async () => {
          if (from < hourMark) await this.timescale.refreshAggregate('observation_hourly', new Date(from), new Date(to + HOUR));
          if (from < dayMark) await this.timescale.refreshAggregate('observation_daily', new Date(dayFrom), new Date(dayTo));
        });
      } catch (error) {
        // the policies' next runs still catch up; a refresh that keeps failing shows in the job health
        this.logger.warn('aggregates.refresh_failed', {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}

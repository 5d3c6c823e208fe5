import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LeaseRepository } from '../db/lease.repository';
import { EventBus } from '../events/event-bus';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { reportTitle } from './report-document';
import { reportFileName, WeeklyReportService } from './weekly-report.service';

export const REPORT_LEASE = 'weekly-report';

/**
 * The Monday 07:00 (Viet Nam time) report: every DXOC_REPORT_CHECK_MS, and once at startup (the catch-up after an
 * instance was down at 07:00), the instance holding the 'weekly-report' lease stores the last complete week's
 * report if it is due and missing, and announces it ('report.published', the vi PDF) when it stored it. The lease
 * keeps the other instances from drawing it too; store-once (saveIfAbsent) makes one announcement even if a lease
 * expired mid-run and two ran.
 */
@Injectable()
export class WeeklyReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Reports this instance stored and announced. */
  published = 0;

  constructor(
    @Inject(WeeklyReportService) private readonly reports: WeeklyReportService,
    @Inject(LeaseRepository) private readonly leases: LeaseRepository,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  /** Only a serving instance runs the schedule: the CLI's application contexts (no HTTP adapter) never do. */
  onApplicationBootstrap(): void {
    if (!this.adapterHost.httpAdapter || this.timer) return;
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.config.reportCheckMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const scheduled = this.timer !== null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (scheduled) await this.leases.releaseLease(REPORT_LEASE, this.config.instanceId).catch(() => undefined);
  }

  /** One check; concurrent calls share the run under way. */
  runOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= (async () => {
      try {
        // generous: drawing two PDFs takes seconds, and store-once covers a run that outlives the lease anyway
        const ttlMs = Math.max(3 * this.config.reportCheckMs, 120_000);
        if (!(await this.leases.acquireLease(REPORT_LEASE, this.config.instanceId, ttlMs))) return;
        if (this.stopped) return;
        const stored = await this.reports.storeScheduled();
        if (!stored) return;
        this.published += 1;
        this.logger.info('report.published', { weekStart: stored.weekStart, bytes: stored.pdf.length });
        this.bus.emit('report.published', {
          reportId: Number(stored.weekStart.replaceAll('-', '')),
          weekStart: stored.weekStart,
          lang: 'vi',
          title: { vi: reportTitle(stored.weekStart, 'vi'), en: reportTitle(stored.weekStart, 'en') },
          attachment: { filename: reportFileName(stored.weekStart, 'vi'), contentType: 'application/pdf', content: stored.pdf },
        });
      } catch (error) {
        this.logger.warn('report.schedule_failed', { error: error instanceof Error ? error.message : String(error) });
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}

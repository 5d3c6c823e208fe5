import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Alert } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LeaseRepository } from '../db/lease.repository';
import { EventBus } from '../events/event-bus';
import type { ReportPublished } from '../events/event-map';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { SILENCE_MATCHER, type SilenceMatcher } from '../silences/silence-matcher';
import { sendEmail } from './email-sender';
import {
  NotificationsRepository,
  routeMatches,
  type DeliveryInsert,
  type DueDelivery,
  type RouteRecord,
  type StoredChannel,
} from './notifications.repository';
import { SecretBox } from '../secrets/secret-box';
import { mailText, renderAlert, renderReport, renderTest, type AlertNoticeKind, type RenderedMessage } from './templates';
import { sendWebhook, type SendResult } from './webhook-sender';

export const NOTIFY_LEASE = 'notifications';
/** alert_event rows read per transaction, deliveries sent per round: a backlog never makes one long transaction. */
const EVENT_BATCH = 200;
const SEND_BATCH = 20;
/** firing alerts looked at per round for repeats */
const REPEAT_SCAN = 1000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

interface AlertPayload {
  notice: AlertNoticeKind;
  seq: number | null;
  alert: Alert;
}

interface ReportPayload {
  weekStart: string;
  lang: 'vi' | 'en';
  title: { vi: string; en: string };
  filename: string;
  /** the PDF, base64 */
  content: string;
}

/**
 * Turns alert transitions into notifications, on the one instance holding the 'notifications' lease:
 * 1. reads alert_event rows past its cursor (a bounded batch), matches the enabled routes, and writes one delivery
 *    per (route, transition) in the transaction that advances the cursor, so a transition is queued exactly once
 *    whichever instance reads it (the cursor row is locked; a unique index on (route, event) backs it up);
 * 2. queues a repeat for every route with repeatHours whose alert is still firing and was last queued that long ago;
 * 3. sends due deliveries (claimed first), retrying with exponential backoff until DXOC_NOTIFY_MAX_ATTEMPTS, and
 *    keeps each channel's health.
 * It runs on its own timer and when this instance's alert engine reports transitions; ingest and the alert engine
 * never wait for it. Delivery is at least once: a process dying between a send and its record sends again.
 */
@Injectable()
export class NotificationDispatcher implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private leader = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** rounds this instance ran while holding the lease */
  roundsRun = 0;

  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(LeaseRepository) private readonly leases: LeaseRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Optional() @Inject(SILENCE_MATCHER) private readonly silences: SilenceMatcher | null,
  ) {}

  onModuleInit(): void {
    this.bus.on('alert.transitioned', () => this.wake());
    this.bus.on('report.published', (report) => void this.track(this.queueReport(report)));
  }

  /** Only a serving instance dispatches: the CLI's application contexts (no HTTP adapter) never do. */
  onApplicationBootstrap(): void {
    if (!this.secrets.hasKey && !this.timer) {
      this.logger.warn('notifications.secret_key_missing', {
        message: 'DXOC_SECRET_KEY is not set: notification channels with a secret or password cannot be saved or used',
      });
    }
    if (!this.adapterHost.httpAdapter || this.timer) return;
    this.timer = setInterval(() => this.wake(), this.config.notifications.intervalMs);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    if (this.leader) await this.leases.releaseLease(NOTIFY_LEASE, this.config.instanceId).catch(() => undefined);
  }

  /** Resolves once the round under way (and queued report deliveries) have finished. */
  async idle(): Promise<void> {
    while (this.running || this.inFlight.size > 0) await Promise.allSettled([this.running, ...this.inFlight]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Starts a round now, or one more right after the round under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.round();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  private async holdLease(): Promise<boolean> {
    const ttlMs = Math.max(3 * this.config.notifications.intervalMs, 15_000);
    this.leader = await this.leases.acquireLease(NOTIFY_LEASE, this.config.instanceId, ttlMs);
    return this.leader;
  }

  /** One round if this instance holds (or can take) the lease; errors are logged, the next round retries. */
  async round(): Promise<void> {
    try {
      if (!(await this.holdLease()) || this.stopped) return;
      this.roundsRun += 1;
      // a backlog is read a batch per transaction, and sending starts after a few batches at most
      for (let i = 0; i < 5 && !this.stopped; i += 1) if ((await this.dispatchEvents()) < EVENT_BATCH) break;
      if (!this.stopped) await this.queueRepeats();
      for (let i = 0; i < 5 && !this.stopped; i += 1) {
        if ((await this.sendDue()) < SEND_BATCH) break;
        if (!(await this.holdLease())) return;
      }
    } catch (error) {
      this.logger.warn('notifications.round_failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Reads a batch of alert transitions past the cursor and queues their deliveries; answers how many were read.
   * The matching (and the silence lookups) happen before the transaction: the embedded database has one session, so
   * nothing may query outside a transaction while it is open. The transaction then locks the cursor and writes only if
   * no other dispatch moved it meanwhile.
   */
  async dispatchEvents(): Promise<number> {
    const now = this.clock.now();
    const position = await this.repository.cursorPosition();
    const events = await this.repository.eventsAfter(undefined, position, EVENT_BATCH);
    if (events.length === 0) return 0;
    const routes = await this.repository.listRoutes(undefined, { enabledOnly: true });
    const deliveries: DeliveryInsert[] = [];
    for (const event of events) {
      const notice: AlertNoticeKind | null =
        event.transition === 'firing' ? 'firing' : event.transition === 'resolved' && event.alert.firingSince ? 'resolved' : null;
      if (!notice) continue;
      const matching = routes.filter(
        (route) => (notice === 'firing' || route.notifyResolved) && routeMatches(route, event.alert, event.unitKind),
      );
      if (matching.length === 0) continue;
      const silenced = await this.silenceOf(event.alert, event.at);
      for (const route of matching) deliveries.push(alertDelivery(route, event.alert, notice, event.seq, silenced));
    }
    return this.repository.transaction(async (tx) => {
      if ((await this.repository.lockCursor(tx)) !== position) return 0;
      await this.repository.insertDeliveries(tx, deliveries, now);
      await this.repository.advanceCursor(tx, events[events.length - 1]!.seq);
      return events.length;
    });
  }

  /** Queues a repeat for each (route with repeatHours, firing alert) last queued at least that long ago. */
  async queueRepeats(): Promise<number> {
    const now = this.clock.now();
    const routes = (await this.repository.listRoutes(undefined, { enabledOnly: true })).filter((r) => r.repeatHours !== null);
    if (routes.length === 0) return 0;
    const firing = await this.repository.firingAlerts(undefined, REPEAT_SCAN);
    if (firing.length === 0) return 0;
    const due = (last: Map<string, Date>, route: RouteRecord, alert: Alert) => {
      const since = last.get(`${route.id}:${alert.id}`) ?? (alert.firingSince ? new Date(alert.firingSince) : null);
      return since !== null && now.getTime() - since.getTime() >= route.repeatHours! * 3_600_000;
    };
    const alertIds = firing.map((f) => f.alert.id);
    const last = await this.repository.lastQueued(undefined, alertIds);
    const candidates: DeliveryInsert[] = [];
    const pairs: { route: RouteRecord; alert: Alert }[] = [];
    for (const { alert, unitKind } of firing) {
      for (const route of routes) {
        if (!routeMatches(route, alert, unitKind) || !due(last, route, alert)) continue;
        pairs.push({ route, alert });
        candidates.push(alertDelivery(route, alert, 'repeat', null, await this.silenceOf(alert, now)));
      }
    }
    if (candidates.length === 0) return 0;
    return this.repository.transaction(async (tx) => {
      // the cursor lock serialises this with other rounds: re-read under it so a repeat is queued once
      await this.repository.lockCursor(tx);
      const current = await this.repository.lastQueued(tx, alertIds);
      const deliveries = candidates.filter((_, i) => due(current, pairs[i]!.route, pairs[i]!.alert));
      await this.repository.insertDeliveries(tx, deliveries, now);
      return deliveries.length;
    });
  }

  private async silenceOf(alert: Alert, at: Date): Promise<string | null> {
    if (!this.silences) return null;
    const silence = await this.silences.isSilenced(alert.ruleId, alert.unit, at);
    return silence ? `silenced by silence ${silence.silenceId} until ${silence.endsAt}: ${silence.reason}` : null;
  }

  /** The published weekly report, queued once per channel routed for reports (any instance may queue; the holder sends). */
  async queueReport(report: ReportPublished): Promise<number> {
    try {
      const routes = await this.repository.listRoutes(undefined, { enabledOnly: true, weeklyReport: true });
      const byChannel = new Map<number, RouteRecord>();
      for (const route of routes) if (!byChannel.has(route.channelId)) byChannel.set(route.channelId, route);
      if (byChannel.size === 0) return 0;
      const payload: ReportPayload = {
        weekStart: report.weekStart,
        lang: report.lang,
        title: report.title,
        filename: report.attachment.filename,
        content: report.attachment.content.toString('base64'),
      };
      const ids = await this.repository.transaction((tx) =>
        this.repository.insertDeliveries(
          tx,
          [...byChannel.values()].map((route) => ({
            channelId: route.channelId,
            routeId: route.id,
            alertId: null,
            eventSeq: null,
            kind: 'weekly_report' as const,
            state: 'pending' as const,
            lastError: null,
            payload,
          })),
          this.clock.now(),
        ),
      );
      this.wake();
      return ids.length;
    } catch (error) {
      this.logger.warn('notifications.report_queue_failed', {
        weekStart: report.weekStart,
        error: error instanceof Error ? error.message : String(error),
      });
      return 0;
    }
  }

  /** Claims and sends a batch of due deliveries; answers how many were claimed. */
  async sendDue(): Promise<number> {
    const claimed = await this.repository.claimDue(this.clock.now(), this.claimMs(), SEND_BATCH);
    for (const delivery of claimed) {
      if (this.stopped) break;
      await this.deliver(delivery);
    }
    return claimed.length;
  }

  /**
   * Sends one delivery now, whoever holds the lease (a channel test from the console), one attempt. The caller queued
   * it with its next attempt a claim ahead (claimUntil), so the lease holder does not pick it meanwhile.
   */
  async sendNow(id: number): Promise<void> {
    const delivery = await this.repository.getClaimed(id);
    if (delivery) await this.deliver(delivery, 1);
  }

  claimUntil(): Date {
    return new Date(this.clock.now().getTime() + this.claimMs());
  }

  private claimMs(): number {
    // longer than one send may take (its timeouts), so a claimed delivery is not picked again while it is being sent
    return 60_000;
  }

  private async deliver(delivery: DueDelivery, maxAttempts = this.config.notifications.maxAttempts): Promise<void> {
    const channel = await this.repository.getChannel(undefined, delivery.channelId);
    if (!channel) return this.repository.markSkipped(delivery.id, 'channel deleted');
    if (!channel.enabled && delivery.kind !== 'test') return this.repository.markSkipped(delivery.id, 'channel disabled');
    const attempts = delivery.attempts + 1;
    let result: SendResult;
    try {
      result = await this.send(channel, delivery);
    } catch (error) {
      result = { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.clock.now();
    if (result.ok) {
      await this.repository.markSent(delivery.id, attempts, now);
      await this.repository.recordChannelSuccess(channel.id, now);
      return;
    }
    const error = result.error ?? 'send failed';
    const retry = attempts < maxAttempts;
    const delay = Math.min(this.config.notifications.retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    await this.repository.markFailedAttempt(delivery.id, attempts, error, retry ? new Date(now.getTime() + delay) : null);
    await this.repository.recordChannelFailure(channel.id, error, now);
    this.logger.warn('notifications.delivery_failed', {
      deliveryId: delivery.id,
      channelId: channel.id,
      attempts,
      final: !retry,
      error,
    });
  }

  private async send(channel: StoredChannel, delivery: DueDelivery): Promise<SendResult> {
    const secret = channel.secret === null ? null : this.secrets.open(channel.secret);
    const { message, attachments, body } = this.content(channel, delivery);
    if (channel.config.kind === 'webhook') {
      if (!secret) return { ok: false, status: null, error: 'no webhook secret stored' };
      return sendWebhook(channel.config.url, secret, { deliveryId: delivery.id, kind: delivery.kind, ...body, message });
    }
    return sendEmail({ ...channel.config, password: secret }, { ...mailText(message, channel.config.language), attachments });
  }

  /** What one delivery says, the mail's attachments, and the webhook's JSON fields besides the message. */
  private content(
    channel: StoredChannel,
    delivery: DueDelivery,
  ): { message: RenderedMessage; attachments?: { filename: string; contentType: string; content: Buffer }[]; body: object } {
    switch (delivery.kind) {
      case 'test':
        return { message: renderTest(channel.name), body: { sentAt: this.clock.now().toISOString() } };
      case 'weekly_report': {
        const report = delivery.payload as unknown as ReportPayload;
        return {
          message: renderReport(report.title, report.weekStart),
          attachments: [{ filename: report.filename, contentType: 'application/pdf', content: Buffer.from(report.content, 'base64') }],
          // a webhook is told the report exists; the PDF is downloaded from the console
          body: { report: { weekStart: report.weekStart, lang: report.lang, title: report.title, filename: report.filename } },
        };
      }
      default: {
        const payload = delivery.payload as unknown as AlertPayload;
        return {
          message: renderAlert(payload.notice, payload.alert, this.config.timezone),
          body: { alert: payload.alert, seq: payload.seq },
        };
      }
    }
  }
}

function alertDelivery(
  route: RouteRecord,
  alert: Alert,
  notice: AlertNoticeKind,
  seq: number | null,
  silenced: string | null,
): DeliveryInsert {
  const payload: AlertPayload = { notice, seq, alert };
  return {
    channelId: route.channelId,
    routeId: route.id,
    alertId: alert.id,
    eventSeq: seq,
    kind: notice,
    state: silenced ? 'skipped' : 'pending',
    lastError: silenced,
    payload,
  };
}

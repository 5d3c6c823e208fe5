import { Inject, Injectable } from '@nestjs/common';
import type {
  NotificationChannel,
  NotificationChannelInput,
  NotificationDelivery,
  NotificationRoute,
  NotificationRouteInput,
  Principal,
} from '@dxoc/contracts';
import type { z } from 'zod';
import type { NotificationDeliveriesQuery } from '@dxoc/contracts';
import { AuditService } from '../auth/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { badRequest, notFound } from '../http/errors';
import { NotificationDispatcher } from './notification-dispatcher';
import {
  channelView,
  NotificationsRepository,
  type RouteRecord,
  type StoredChannel,
  type StoredChannelConfig,
} from './notifications.repository';
import { SecretBox } from '../secrets/secret-box';

/** What the audit log keeps of a channel: its settings and whether it has a secret, never the secret or its health. */
function auditedChannel(channel: NotificationChannel) {
  return { id: channel.id, name: channel.name, enabled: channel.enabled, config: channel.config };
}

function routeView({ channelEnabled: _, ...route }: RouteRecord): NotificationRoute {
  return route;
}

/** Admins configure channels and routes (audited); staff and admins read the delivery log. */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(NotificationDispatcher) private readonly dispatcher: NotificationDispatcher,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async listChannels(): Promise<NotificationChannel[]> {
    return (await this.repository.listChannels()).map(channelView);
  }

  private async channel(id: number): Promise<StoredChannel> {
    const channel = await this.repository.getChannel(undefined, id);
    if (!channel) throw notFound(`no notification channel with id ${id}`);
    return channel;
  }

  /** The stored config (without the secret) and the sealed secret: a new one, the kept one, or none. */
  private split(input: NotificationChannelInput, kept: StoredChannel | null): { config: StoredChannelConfig; secret: string | null } {
    const sameKind = kept?.config.kind === input.config.kind;
    if (input.config.kind === 'webhook') {
      const { secret, ...config } = input.config;
      if (secret !== undefined) return { config, secret: this.secrets.seal(secret) };
      if (sameKind && kept.secret !== null) return { config, secret: kept.secret };
      throw badRequest('invalid_query', 'a webhook channel needs a secret (16 characters or more) to sign its requests', [
        { field: 'config.secret', message: 'required' },
      ]);
    }
    const { password, ...config } = input.config;
    if (password !== undefined) return { config, secret: password === '' ? null : this.secrets.seal(password) };
    return { config, secret: sameKind ? kept.secret : null };
  }

  async createChannel(input: NotificationChannelInput, principal: Principal, ip: string): Promise<NotificationChannel> {
    const { config, secret } = this.split(input, null);
    const now = this.clock.now();
    const id = await this.repository.transaction((tx) =>
      this.repository.insertChannel(tx, { name: input.name, enabled: input.enabled, config, secret }, now),
    );
    const after = channelView((await this.repository.getChannel(undefined, id))!);
    await this.audit.record({
      actor: principal.name,
      action: 'notification_channel.create',
      target: `notification_channel:${id}`,
      after: auditedChannel(after),
      ip,
    });
    return after;
  }

  async updateChannel(id: number, input: NotificationChannelInput, principal: Principal, ip: string): Promise<NotificationChannel> {
    const now = this.clock.now();
    const before = await this.repository.transaction(async (tx) => {
      const kept = await this.repository.getChannel(tx, id, true);
      if (!kept) throw notFound(`no notification channel with id ${id}`);
      const { config, secret } = this.split(input, kept);
      await this.repository.updateChannel(tx, id, { name: input.name, enabled: input.enabled, config, secret }, now);
      return channelView(kept);
    });
    const after = channelView(await this.channel(id));
    await this.audit.record({
      actor: principal.name,
      action: 'notification_channel.update',
      target: `notification_channel:${id}`,
      before: auditedChannel(before),
      // a new secret is recorded as changed, never by value
      after: { ...auditedChannel(after), secretChanged: secretGiven(input) },
      ip,
    });
    return after;
  }

  async deleteChannel(id: number, principal: Principal, ip: string): Promise<void> {
    const now = this.clock.now();
    const before = await this.repository.transaction(async (tx) => {
      const kept = await this.repository.getChannel(tx, id, true);
      if (!kept) throw notFound(`no notification channel with id ${id}`);
      await this.repository.deleteChannel(tx, id, now);
      return channelView(kept);
    });
    await this.audit.record({
      actor: principal.name,
      action: 'notification_channel.delete',
      target: `notification_channel:${id}`,
      before: auditedChannel(before),
      ip,
    });
  }

  /** Sends a test message through the channel now and answers its delivery (sent, or failed with the reason). */
  async testChannel(id: number, principal: Principal, ip: string): Promise<NotificationDelivery> {
    const channel = await this.channel(id);
    const [deliveryId] = await this.repository.transaction((tx) =>
      this.repository.insertDeliveries(
        tx,
        [
          {
            channelId: channel.id,
            routeId: null,
            alertId: null,
            eventSeq: null,
            kind: 'test',
            state: 'pending',
            lastError: null,
            payload: { by: principal.name },
            nextAttemptAt: this.dispatcher.claimUntil(),
          },
        ],
        this.clock.now(),
      ),
    );
    await this.dispatcher.sendNow(deliveryId!);
    await this.audit.record({ actor: principal.name, action: 'notification_channel.test', target: `notification_channel:${id}`, ip });
    return (await this.repository.getDelivery(deliveryId!))!;
  }

  async listRoutes(): Promise<NotificationRoute[]> {
    return (await this.repository.listRoutes()).map(routeView);
  }

  private async checkRoute(input: NotificationRouteInput): Promise<void> {
    if (!(await this.repository.getChannel(undefined, input.channelId)))
      throw badRequest('unknown_channel', `no notification channel with id ${input.channelId}`);
    const metrics = [...new Set(input.metrics)];
    const knownMetrics = await this.repository.knownMetrics(metrics);
    const unknownMetrics = metrics.filter((m) => !knownMetrics.includes(m));
    if (unknownMetrics.length > 0)
      throw badRequest('unknown_metric', `no metric with code ${unknownMetrics.join(', ')}`, { metrics: unknownMetrics });
    if (input.scope.kind === 'units') {
      const units = [...new Set(input.scope.units)];
      const known = await this.repository.knownUnits(units);
      const unknown = units.filter((u) => !known.includes(u));
      if (unknown.length > 0) throw badRequest('unknown_unit', `no unit with code ${unknown.join(', ')}`, { units: unknown });
    }
  }

  async createRoute(input: NotificationRouteInput, principal: Principal, ip: string): Promise<NotificationRoute> {
    await this.checkRoute(input);
    const id = await this.repository.transaction((tx) => this.repository.insertRoute(tx, input, principal.name, this.clock.now()));
    const after = routeView((await this.repository.getRoute(undefined, id))!);
    await this.audit.record({ actor: principal.name, action: 'notification_route.create', target: `notification_route:${id}`, after, ip });
    return after;
  }

  async updateRoute(id: number, input: NotificationRouteInput, principal: Principal, ip: string): Promise<NotificationRoute> {
    const before = await this.repository.getRoute(undefined, id);
    if (!before) throw notFound(`no notification route with id ${id}`);
    await this.checkRoute(input);
    await this.repository.transaction((tx) => this.repository.updateRoute(tx, id, input, this.clock.now()));
    const after = routeView((await this.repository.getRoute(undefined, id))!);
    await this.audit.record({
      actor: principal.name,
      action: 'notification_route.update',
      target: `notification_route:${id}`,
      before: routeView(before),
      after,
      ip,
    });
    return after;
  }

  async deleteRoute(id: number, principal: Principal, ip: string): Promise<void> {
    const before = await this.repository.getRoute(undefined, id);
    if (!before) throw notFound(`no notification route with id ${id}`);
    await this.repository.transaction((tx) => this.repository.deleteRoute(tx, id));
    await this.audit.record({
      actor: principal.name,
      action: 'notification_route.delete',
      target: `notification_route:${id}`,
      before: routeView(before),
      ip,
    });
  }

  listDeliveries(query: z.infer<typeof NotificationDeliveriesQuery>): Promise<NotificationDelivery[]> {
    return this.repository.listDeliveries(query);
  }
}

function secretGiven(input: NotificationChannelInput): boolean {
  return input.config.kind === 'webhook' ? input.config.secret !== undefined : input.config.password !== undefined;
}

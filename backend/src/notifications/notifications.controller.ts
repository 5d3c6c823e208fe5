import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, type PipeTransform } from '@nestjs/common';
import {
  NotificationChannelInput,
  NotificationDeliveriesQuery,
  NotificationRouteInput,
  type NotificationChannel,
  type NotificationDelivery,
  type NotificationRoute,
  type Principal,
} from '@dxoc/contracts';
import type { z } from 'zod';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { notFound } from '../http/errors';
import { ValidBody, ValidQuery } from '../http/validation';
import { NotificationsService } from './notifications.service';

/** A numeric id in the path; anything else names nothing that exists: 404. */
class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly what: string) {}

  transform(text: string): number {
    if (!/^\d{1,15}$/.test(text)) throw notFound(`no ${this.what} with id ${JSON.stringify(text)}`);
    return Number(text);
  }
}

const ChannelId = () => Param('id', new IdPipe('notification channel'));
const RouteId = () => Param('id', new IdPipe('notification route'));

/**
 * Alert notifications: channels (their secrets write-only) and routes are the admin's; the delivery log is read by
 * staff and admins (who handle the alerts it is about).
 */
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  @Roles('admin')
  @Get('channels')
  async listChannels(): Promise<{ channels: NotificationChannel[] }> {
    return { channels: await this.notifications.listChannels() };
  }

  @Roles('admin')
  @Post('channels')
  createChannel(
    @ValidBody(NotificationChannelInput) body: NotificationChannelInput,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<NotificationChannel> {
    return this.notifications.createChannel(body, principal, ip);
  }

  @Roles('admin')
  @Put('channels/:id')
  updateChannel(
    @ChannelId() id: number,
    @ValidBody(NotificationChannelInput) body: NotificationChannelInput,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<NotificationChannel> {
    return this.notifications.updateChannel(id, body, principal, ip);
  }

  /** Removes the channel and its routes; its delivery log stays (naming it). */
  @Roles('admin')
  @Delete('channels/:id')
  @HttpCode(204)
  deleteChannel(@ChannelId() id: number, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<void> {
    return this.notifications.deleteChannel(id, principal, ip);
  }

  /** Sends a test message now (disabled channels too) and answers the delivery: sent, or failed with the reason. */
  @Roles('admin')
  @Post('channels/:id/test')
  @HttpCode(200)
  testChannel(@ChannelId() id: number, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<NotificationDelivery> {
    return this.notifications.testChannel(id, principal, ip);
  }

  @Roles('admin')
  @Get('routes')
  async listRoutes(): Promise<{ routes: NotificationRoute[] }> {
    return { routes: await this.notifications.listRoutes() };
  }

  @Roles('admin')
  @Post('routes')
  createRoute(
    @ValidBody(NotificationRouteInput) body: NotificationRouteInput,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<NotificationRoute> {
    return this.notifications.createRoute(body, principal, ip);
  }

  @Roles('admin')
  @Put('routes/:id')
  updateRoute(
    @RouteId() id: number,
    @ValidBody(NotificationRouteInput) body: NotificationRouteInput,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<NotificationRoute> {
    return this.notifications.updateRoute(id, body, principal, ip);
  }

  @Roles('admin')
  @Delete('routes/:id')
  @HttpCode(204)
  deleteRoute(@RouteId() id: number, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<void> {
    return this.notifications.deleteRoute(id, principal, ip);
  }

  @Roles('staff', 'admin')
  @Get('deliveries')
  async listDeliveries(
    @ValidQuery(NotificationDeliveriesQuery) query: z.infer<typeof NotificationDeliveriesQuery>,
  ): Promise<{ deliveries: NotificationDelivery[] }> {
    return { deliveries: await this.notifications.listDeliveries(query) };
  }
}

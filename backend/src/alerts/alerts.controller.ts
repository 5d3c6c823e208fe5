import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { AcknowledgeRequest, AlertRuleInput, AlertsQuery, PreviewRequest, type Alert, type AlertEventEntry, type AlertRule, type PreviewResponse } from '@dxoc/contracts';
import type { Principal } from '@dxoc/contracts';
import { notFound } from '../http/errors';
import { parseWith } from '../http/validation';
import { AlertRulesService } from './alert-rules.service';
import { AlertsService } from './alerts.service';

function parseId(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) throw notFound(`no ${what} with id ${JSON.stringify(text)}`);
  return Number(text);
}

/** Rules: read by any signed-in role, changed by staff and admin. Alerts: read by any signed-in role, acknowledged by staff and admin. */
@Controller('api/v1')
export class AlertsController {
  constructor(
    @Inject(AlertRulesService) private readonly rules: AlertRulesService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  @Get('alert-rules')
  async listRules(): Promise<{ rules: AlertRule[] }> {
    return { rules: await this.rules.list() };
  }

  @Roles('staff', 'admin')
  @Post('alert-rules')
  createRule(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<AlertRule> {
    return this.rules.create(parseWith(AlertRuleInput, body), principal, ip);
  }

  @Roles('staff', 'admin')
  @Post('alert-rules/preview')
  @HttpCode(200)
  preview(@Body() body: unknown): Promise<PreviewResponse> {
    const request = parseWith(PreviewRequest, body);
    return this.rules.preview(request.rule, request.days);
  }

  @Get('alert-rules/:id')
  getRule(@Param('id') id: string): Promise<AlertRule> {
    return this.rules.get(parseId(id, 'alert rule'));
  }

  @Roles('staff', 'admin')
  @Put('alert-rules/:id')
  replaceRule(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<AlertRule> {
    return this.rules.replace(parseId(id, 'alert rule'), parseWith(AlertRuleInput, body), principal, ip);
  }

  /** Disables the rule (rules are kept for the history of their alerts). */
  @Roles('staff', 'admin')
  @Delete('alert-rules/:id')
  disableRule(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<AlertRule> {
    return this.rules.disable(parseId(id, 'alert rule'), principal, ip);
  }

  @Get('alerts')
  async listAlerts(@Query() query: unknown): Promise<{ alerts: Alert[] }> {
    return { alerts: await this.alerts.list(parseWith(AlertsQuery, query)) };
  }

  @Get('alerts/:id')
  getAlert(@Param('id') id: string): Promise<Alert> {
    return this.alerts.get(parseId(id, 'alert'));
  }

  @Get('alerts/:id/events')
  async alertEvents(@Param('id') id: string): Promise<{ events: AlertEventEntry[] }> {
    return { events: await this.alerts.events(parseId(id, 'alert')) };
  }

  @Roles('staff', 'admin')
  @Post('alerts/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<Alert> {
    return this.alerts.acknowledge(parseId(id, 'alert'), parseWith(AcknowledgeRequest, body).comment, principal, ip);
  }
}

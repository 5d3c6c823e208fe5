import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, type PipeTransform } from '@nestjs/common';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import {
  AcknowledgeRequest,
  AlertRuleInput,
  AlertsQuery,
  AlertTimelineQuery,
  type AlertTimelineEntry,
  PreviewRequest,
  type Alert,
  type AlertEventEntry,
  type AlertRule,
  type PreviewResponse,
} from '@dxoc/contracts';
import type { Principal } from '@dxoc/contracts';
import { notFound } from '../http/errors';
import type { z } from 'zod';
import { ValidBody, ValidQuery } from '../http/validation';
import { AlertRulesService } from './alert-rules.service';
import { AlertsService } from './alerts.service';

/** A numeric id in the path; anything else names nothing that exists: 404. */
class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly what: string) {}

  transform(text: string): number {
    if (!/^\d{1,15}$/.test(text)) throw notFound(`no ${this.what} with id ${JSON.stringify(text)}`);
    return Number(text);
  }
}

const RuleId = () => Param('id', new IdPipe('alert rule'));
const AlertId = () => Param('id', new IdPipe('alert'));

/**
 * Rules: read by any signed-in role, changed by staff and admin. Alerts: read by any signed-in role (an operator:
 * those about its own unit), acknowledged by staff and admin.
 */
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
  createRule(
    @ValidBody(AlertRuleInput) body: z.infer<typeof AlertRuleInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<AlertRule> {
    return this.rules.create(body, principal, ip);
  }

  @Roles('staff', 'admin')
  @Post('alert-rules/preview')
  @HttpCode(200)
  preview(@ValidBody(PreviewRequest) request: z.infer<typeof PreviewRequest>): Promise<PreviewResponse> {
    return this.rules.preview(request.rule, request.days);
  }

  @Get('alert-rules/:id')
  getRule(@RuleId() id: number): Promise<AlertRule> {
    return this.rules.get(id);
  }

  @Roles('staff', 'admin')
  @Put('alert-rules/:id')
  replaceRule(
    @RuleId() id: number,
    @ValidBody(AlertRuleInput) body: z.infer<typeof AlertRuleInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<AlertRule> {
    return this.rules.replace(id, body, principal, ip);
  }

  /** Disables the rule (rules are kept for the history of their alerts). */
  @Roles('staff', 'admin')
  @Delete('alert-rules/:id')
  disableRule(@RuleId() id: number, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<AlertRule> {
    return this.rules.disable(id, principal, ip);
  }

  @Get('alerts')
  async listAlerts(
    @ValidQuery(AlertsQuery) query: z.infer<typeof AlertsQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ alerts: Alert[] }> {
    return { alerts: await this.alerts.list(query, principal) };
  }

  @Get('alert-events')
  async timeline(
    @ValidQuery(AlertTimelineQuery) query: z.infer<typeof AlertTimelineQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ events: AlertTimelineEntry[] }> {
    return { events: await this.alerts.timeline(query, principal) };
  }

  @Get('alerts/:id')
  getAlert(@AlertId() id: number, @CurrentPrincipal() principal: Principal): Promise<Alert> {
    return this.alerts.get(id, principal);
  }

  @Get('alerts/:id/events')
  async alertEvents(@AlertId() id: number, @CurrentPrincipal() principal: Principal): Promise<{ events: AlertEventEntry[] }> {
    return { events: await this.alerts.events(id, principal) };
  }

  @Roles('staff', 'admin')
  @Post('alerts/:id/ack')
  @HttpCode(200)
  acknowledge(
    @AlertId() id: number,
    @ValidBody(AcknowledgeRequest) body: z.infer<typeof AcknowledgeRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Alert> {
    return this.alerts.acknowledge(id, body.comment, principal, ip);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import type { Alert, AlertEventEntry, AlertState, AlertsQuery, AlertTimelineEntry, AlertTimelineQuery } from '@dxoc/contracts';
import type { Principal } from '@dxoc/contracts';
import { AppError, badRequest, forbidden, notFound } from '../http/errors';
import { EventBus } from '../events/event-bus';
import { METRICS, type Metrics } from '../observability/metrics';
import type { z } from 'zod';
import { snapshotOf } from './alert-evaluator';
import { AlertsRepository } from './alerts.repository';
import { acknowledge } from './state-machine';
import { parseQueryTime } from '../http/query-time';

export const OPEN_STATES: AlertState[] = ['pending', 'firing', 'acknowledged'];

const REFUSALS = {
  pending: 'it is still pending (its condition has not held for the rule\'s "for" yet)',
  resolved: 'it is resolved',
  already_acknowledged: 'it is already acknowledged',
} as const;

/** Alerts: the history (any signed-in role) and acknowledgement (staff and admin). */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(AlertsRepository) private readonly repository: AlertsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  /**
   * Episodes overlapping [from, to), newest first; state 'open' = pending, firing or acknowledged. An operator
   * sees the alerts about its own unit only: without `unit` the list is narrowed to it, another unit is refused.
   */
  async list(query: z.infer<typeof AlertsQuery>, principal?: Principal): Promise<Alert[]> {
    const own = operatorUnit(principal);
    if (own !== null && query.unit !== undefined && query.unit !== own) {
      throw forbidden('forbidden_unit', `an operator of unit ${own} sees the alerts about that unit only`);
    }
    const from = parseQueryTime(query.from, 'from');
    const to = parseQueryTime(query.to, 'to');
    if (from && to && from >= to) throw badRequest('invalid_query', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    return this.repository.listAlerts(
      {
        states: query.state === undefined ? null : query.state === 'open' ? OPEN_STATES : [query.state],
        from,
        to,
        unit: own ?? query.unit ?? null,
        metric: query.metric ?? null,
        severity: query.severity ?? null,
        limit: query.limit,
      },
      this.clock.now(),
    );
  }

  /** One alert; to an operator, an alert about another unit does not exist (404, its existence is not told). */
  async get(id: number, principal?: Principal): Promise<Alert> {
    const alert = await this.repository.getAlert(undefined, id, this.clock.now());
    const own = operatorUnit(principal);
    if (!alert || (own !== null && alert.unit !== own)) throw notFound(`no alert with id ${id}`);
    return alert;
  }

  /** Every transition of one alert, in order, with who made it ('system' for automatic ones). */
  async events(id: number, principal?: Principal): Promise<AlertEventEntry[]> {
    await this.get(id, principal);
    return (await this.repository.alertEvents(id)).map((e) => ({
      seq: e.seq,
      transition: e.transition,
      at: e.at.toISOString(),
      actor: e.actor,
    }));
  }

  /** The state changes of every alert in a time range, newest first; an operator's are its own unit's. */
  async timeline(query: z.infer<typeof AlertTimelineQuery>, principal?: Principal): Promise<AlertTimelineEntry[]> {
    const own = operatorUnit(principal);
    if (own !== null && query.unit !== undefined && query.unit !== own) {
      throw forbidden('forbidden_unit', `an operator of unit ${own} sees the alerts about that unit only`);
    }
    const from = parseQueryTime(query.from, 'from');
    const to = parseQueryTime(query.to, 'to');
    if (from && to && from >= to) throw badRequest('invalid_query', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    const rows = await this.repository.timeline({
      from,
      to,
      unit: own ?? query.unit ?? null,
      metric: query.metric ?? null,
      limit: query.limit,
    });
    return rows.map((e) => ({
      seq: e.seq,
      transition: e.transition,
      at: e.at.toISOString(),
      actor: e.actor,
      alertId: e.alertId,
      unit: e.unit,
      metric: e.metric,
      ruleName: e.ruleName,
    }));
  }

  /** firing → acknowledged, with who and why; recorded as an alert event and in the audit log. */
  async acknowledge(id: number, comment: string, principal: Principal, ip: string): Promise<Alert> {
    const now = this.clock.now();
    const { before, after } = await this.repository.transaction(async (tx) => {
      const locked = await this.repository.lockAlert(tx, id);
      if (!locked) throw notFound(`no alert with id ${id}`);
      const result = acknowledge(snapshotOf(locked));
      if ('refused' in result)
        throw new AppError(409, 'alert_not_firing', `alert ${id} cannot be acknowledged: ${REFUSALS[result.refused]}`, {
          state: locked.state,
        });
      const before = await this.repository.getAlert(tx, id, now);
      await this.repository.acknowledgeAlert(tx, id, principal.name, comment, now);
      await this.repository.insertEvents(tx, [{ alertId: id, transition: result.transition }], now, principal.name);
      return { before, after: (await this.repository.getAlert(tx, id, now)) as Alert };
    });
    this.metrics.alertTransitions.inc({ transition: 'acknowledged', severity: after.severity });
    await this.audit.record({ actor: principal.name, action: 'alert.acknowledge', target: `alert:${id}`, before, after, ip });
    this.bus.emit('alert.transitioned', { cause: 'acknowledgement', ruleId: after.ruleId, transitions: 1 });
    return after;
  }
}

/** The unit an operator is bound to; null for every other role (they see all units). */
function operatorUnit(principal: Principal | undefined): string | null {
  return principal?.role === 'operator' ? (principal.unitCode ?? '') : null;
}

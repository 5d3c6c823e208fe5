import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { type AlertRule, type AlertRuleInput, type PreviewResponse, type Principal, durationSeconds, localDay } from '@dxoc/contracts';
import { AppError, badRequest, notFound } from '../http/errors';
import { EventBus } from '../events/event-bus';
import { AlertEvaluator, timingOf } from './alert-evaluator';
import { AlertsRepository, type RuleRecord } from './alerts.repository';
import type { SeriesPoint } from './conditions/condition-kind';
import { bindCondition, conditionNeeds } from './conditions/registry';
import { simulate } from './preview';
import { scopeUnits, toAlertRule, validateRule } from './rules';

/** A backtest reads at most this many stored values; ask for fewer days beyond it. */
export const MAX_PREVIEW_POINTS = 200_000;

const DAY_MS = 86_400_000;

/** Threshold rules: create, replace, disable (staff and admin), read, and backtest. */
@Injectable()
export class AlertRulesService {
  constructor(
    @Inject(AlertsRepository) private readonly repository: AlertsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AlertEvaluator) private readonly evaluator: AlertEvaluator,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<AlertRule[]> {
    return (await this.repository.listRules()).map(toAlertRule);
  }

  async get(id: number): Promise<AlertRule> {
    const rule = await this.repository.getRule(undefined, id);
    if (!rule) throw notFound(`no alert rule with id ${id}`);
    return toAlertRule(rule);
  }

  async create(input: AlertRuleInput, principal: Principal, ip: string): Promise<AlertRule> {
    const record = await this.validated(input);
    const created = toAlertRule(await this.repository.insertRule(undefined, record, principal.name, this.clock.now()));
    this.evaluator.rulesChanged();
    await this.audit.record({ actor: principal.name, action: 'alert_rule.create', target: `alert_rule:${created.id}`, after: created, ip });
    if (created.enabled) void this.evaluator.evaluateRuleNow(created.id);
    return created;
  }

  /**
   * Replaces a rule. Disabling it (enabled: false) resolves its open alerts at once; moving it to another metric
   * resolves them too (they were about the old metric). Other changes are re-evaluated right after.
   */
  async replace(id: number, input: AlertRuleInput, principal: Principal, ip: string): Promise<AlertRule> {
    return this.store(id, await this.validated(input), principal, ip);
  }

  /**
   * DELETE: rules are kept (their alerts' history refers to them); this disables the rule. Not validated again: a
   * rule that has become unusable (its unit dissolved, its target's deadline passed) can always be switched off.
   */
  async disable(id: number, principal: Principal, ip: string): Promise<AlertRule> {
    const current = await this.repository.getRule(undefined, id);
    if (!current) throw notFound(`no alert rule with id ${id}`);
    if (!current.enabled) return toAlertRule(current);
    const { id: _id, createdAt: _createdAt, createdBy: _createdBy, updatedAt: _updatedAt, ...record } = current;
    return this.store(id, { ...record, enabled: false }, principal, ip);
  }

  private async store(id: number, record: RuleRecord, principal: Principal, ip: string): Promise<AlertRule> {
    const now = this.clock.now();
    const { before, after, resolved } = await this.repository.transaction(async (tx) => {
      const before = await this.repository.getRule(tx, id, 'update');
      if (!before) throw notFound(`no alert rule with id ${id}`);
      const after = await this.repository.replaceRule(tx, id, record, now);
      if (!after) throw notFound(`no alert rule with id ${id}`);
      const retire = !after.enabled || after.metric !== before.metric;
      const resolved = retire ? await this.evaluator.resolveOpenAlerts(tx, id, now, principal.name) : 0;
      return { before: toAlertRule(before), after: toAlertRule(after), resolved };
    });
    this.evaluator.rulesChanged();
    const action = before.enabled && !after.enabled ? 'alert_rule.disable' : 'alert_rule.update';
    await this.audit.record({ actor: principal.name, action, target: `alert_rule:${id}`, before, after, ip });
    if (resolved > 0) this.bus.emit('alert.transitioned', { cause: 'rule_change', ruleId: id, transitions: resolved });
    if (after.enabled) void this.evaluator.evaluateRuleNow(id);
    return after;
  }

  /** Runs a draft rule over the stored values of the last `days` days, with the live state machine; writes nothing. */
  async preview(rule: AlertRuleInput, days: number): Promise<PreviewResponse> {
    await this.validated(rule);
    const catalog = await this.catalog.snapshot();
    const metric = catalog.metrics.get(rule.metric);
    if (!metric) throw notFound(`unknown metric "${rule.metric}"`);
    const to = this.clock.now();
    const from = new Date(to.getTime() - days * DAY_MS);
    const units = scopeUnits(rule.scope, catalog, localDay(to, this.config.timezone));
    const needs = conditionNeeds(rule.condition);
    const windowMs = (needs.referenceWindowSeconds ?? 0) * 1000;
    // the state at `from` depends on the values before it: as many as a projection reads, at least the latest one
    const before = Math.max(1, needs.recentPoints);
    const rows = await this.repository.previewPoints(
      metric.code,
      units,
      new Date(from.getTime() - windowMs),
      to,
      before,
      MAX_PREVIEW_POINTS + 1,
    );
    if (rows.length > MAX_PREVIEW_POINTS) {
      throw new AppError(400, 'too_many_points', `the backtest would read more than ${MAX_PREVIEW_POINTS} values; ask for fewer days`, {
        limit: MAX_PREVIEW_POINTS,
      });
    }
    const byUnit = new Map<string, SeriesPoint[]>(units.map((unit) => [unit, []]));
    for (const row of rows) byUnit.get(row.unit)?.push({ ts: row.ts, value: row.value });
    const timing = timingOf({ forSeconds: durationSeconds(rule.for) ?? 0, keepFiringSeconds: durationSeconds(rule.keepFiringFor) ?? 0 });
    const firings: PreviewResponse['firings'] = [];
    let evaluatedPoints = 0;
    for (const [unit, points] of byUnit) {
      const condition = bindCondition(rule.condition, { metric, unit, targets: catalog.targets, now: to, timeZone: this.config.timezone });
      const result = simulate({ points, condition, timing, from, to });
      evaluatedPoints += result.evaluatedPoints;
      for (const episode of result.episodes) {
        firings.push({
          unit,
          pendingSince: episode.pendingSince.toISOString(),
          firingSince: episode.firingSince?.toISOString() ?? null,
          resolvedAt: episode.resolvedAt?.toISOString() ?? null,
          value: episode.value,
        });
      }
    }
    firings.sort((a, b) => a.pendingSince.localeCompare(b.pendingSince) || a.unit.localeCompare(b.unit));
    return { from: from.toISOString(), to: to.toISOString(), evaluatedPoints, firings };
  }

  /** 400 invalid_rule with one detail per problem; otherwise the record to store. */
  private async validated(input: AlertRuleInput): Promise<RuleRecord> {
    const catalog: CatalogSnapshot = await this.catalog.snapshot();
    const problems = validateRule(input, catalog, this.clock.now(), this.config.timezone);
    if (problems.length > 0) {
      throw badRequest('invalid_rule', `the rule cannot be used: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
    }
    const { for: forText, keepFiringFor, ...rest } = input;
    return { ...rest, forSeconds: durationSeconds(forText) ?? 0, keepFiringSeconds: durationSeconds(keepFiringFor) ?? 0 };
  }
}

/**
 * Rules against the catalog: which units a scope covers, the condition each unit is evaluated with, and the
 * checks that refuse rules that reference unknown metrics or units or can never fire. Pure: the catalog and the
 * time come in as arguments.
 */
import type { CatalogSnapshot } from '../catalog/catalog.service';
import type { Metric, Target, Unit } from '../catalog/catalog.types';
import { type AlertRule, type AlertRuleInput, type RuleCondition, type RuleScope, type Severity, type UnitKind, cadenceOverdueMs, durationSeconds, formatDuration, localDay, startOfLocalDay } from '@dxoc/contracts';
import type { EvaluableCondition, ProjectionTarget } from './conditions';
import { unknownPlaceholders } from './messages';

/** A rule as stored (durations in seconds). */
export interface StoredRule {
  id: number;
  name: string;
  metric: string;
  scope: RuleScope;
  condition: RuleCondition;
  forSeconds: number;
  keepFiringSeconds: number;
  severity: Severity;
  messageVi: string;
  messageEn: string;
  enabled: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
}

export function toAlertRule(rule: StoredRule): AlertRule {
  return {
    id: rule.id,
    name: rule.name,
    metric: rule.metric,
    scope: rule.scope,
    condition: rule.condition,
    for: formatDuration(rule.forSeconds),
    keepFiringFor: formatDuration(rule.keepFiringSeconds),
    severity: rule.severity,
    messageVi: rule.messageVi,
    messageEn: rule.messageEn,
    enabled: rule.enabled,
    createdAt: rule.createdAt.toISOString(),
    createdBy: rule.createdBy,
    updatedAt: rule.updatedAt.toISOString(),
  };
}

export interface ValidationDetail {
  field: string;
  message: string;
}


/** In force on that day (validity dates are half-open calendar days). */
export function isCurrent(unit: Unit, day: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validUntil === null || unit.validUntil > day);
}

const SCOPE_KIND: Record<Exclude<RuleScope['kind'], 'units'>, UnitKind> = { provinces: 'province', ministries: 'ministry', nation: 'nation' };

/** The units a scope covers today: the listed ones, or every current unit of the kind; only units in force. */
export function scopeUnits(scope: RuleScope, catalog: CatalogSnapshot, day: string): string[] {
  if (scope.kind === 'units') {
    return [...new Set(scope.units)].filter((code) => {
      const unit = catalog.units.get(code);
      return unit !== undefined && isCurrent(unit, day);
    });
  }
  const kind = SCOPE_KIND[scope.kind];
  return [...catalog.units.values()].filter((u) => u.kind === kind && isCurrent(u, day)).map((u) => u.code);
}

/** The last instant of a target's last day (deadlines are local calendar days of the configured zone). */
export function deadlineEnd(target: Target, timeZone: string): Date {
  return new Date(startOfLocalDay(nextDay(target.deadline), timeZone) - 1);
}

/** "2025-12-31" → "2026-01-01" */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function toProjectionTarget(target: Target, timeZone: string): ProjectionTarget {
  return { id: target.id, value: target.value, comparator: target.comparator, deadline: deadlineEnd(target, timeZone) };
}

/**
 * The target a unit is held to: the one named by targetId (for every unit in scope), or else the unit's own target
 * for the metric with the nearest deadline still ahead. null: none applies.
 */
export function targetFor(condition: Extract<RuleCondition, { type: 'target_at_risk' }>, metric: string, unit: string, targets: readonly Target[], now: Date, timeZone: string): ProjectionTarget | null {
  if (condition.targetId !== undefined) {
    const target = targets.find((t) => t.id === condition.targetId && t.metricCode === metric);
    return target ? toProjectionTarget(target, timeZone) : null;
  }
  const ahead = targets
    .filter((t) => t.metricCode === metric && t.unitCode === unit && deadlineEnd(t, timeZone).getTime() >= now.getTime())
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  return ahead[0] ? toProjectionTarget(ahead[0], timeZone) : null;
}

/** The rule's condition for one unit, ready for evaluateCondition. */
export function evaluableCondition(condition: RuleCondition, metric: Metric, unit: string, targets: readonly Target[], now: Date, timeZone: string): EvaluableCondition {
  switch (condition.type) {
    case 'above':
      return { type: 'above', threshold: condition.value };
    case 'below':
      return { type: 'below', threshold: condition.value };
    case 'change':
      return { type: 'change', direction: condition.direction, percent: condition.percent, windowMs: (durationSeconds(condition.window) ?? 0) * 1000 };
    case 'no_data': {
      const afterMs = condition.after !== undefined ? (durationSeconds(condition.after) ?? 0) * 1000 : cadenceOverdueMs(metric.cadence);
      // 'irregular' without after is refused when the rule is saved; never hold if one slips through
      return { type: 'no_data', afterMs: afterMs ?? Number.POSITIVE_INFINITY };
    }
    case 'target_at_risk':
      return { type: 'target_at_risk', target: targetFor(condition, metric.code, unit, targets, now, timeZone) };
  }
}

/** The {threshold} of a message: the condition's number, or the no-data duration as written. */
export function thresholdText(condition: RuleCondition, metric: Metric): string | null {
  if (condition.type !== 'no_data') return null;
  if (condition.after !== undefined) return condition.after;
  const overdue = cadenceOverdueMs(metric.cadence);
  return overdue === null ? null : formatDuration(overdue / 1000);
}

/** Seconds of a duration field: stored as a Postgres integer. */
const MAX_SECONDS = 2_147_483_647;

const KIND_WORDS: Record<UnitKind, string> = { nation: 'the nation', province: 'provinces', ministry: 'ministries' };

/**
 * Everything that makes a rule unusable, with the field it is about: unknown metric or unit, a unit of a kind the
 * metric is not reported for, a threshold that can never be crossed, a no-data rule on a metric without a cadence,
 * a target rule without a target ahead for the units in scope, unknown message placeholders.
 */
export function validateRule(input: AlertRuleInput, catalog: CatalogSnapshot, now: Date, timezone: string): ValidationDetail[] {
  const problems: ValidationDetail[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const day = localDay(now, timezone);

  for (const [field, template] of [['messageVi', input.messageVi], ['messageEn', input.messageEn]] as const) {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0) problem(field, `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; use {unit}, {unitName}, {metric}, {metricName}, {value}, {threshold}, {since}`);
  }
  for (const field of ['for', 'keepFiringFor'] as const) {
    const seconds = durationSeconds(input[field]);
    if (seconds !== null && seconds > MAX_SECONDS) problem(field, `${input[field]} is too long (at most ${MAX_SECONDS} seconds)`);
  }

  const metric = catalog.metrics.get(input.metric);
  if (!metric) {
    problem('metric', `unknown metric "${input.metric}"; see GET /api/v1/catalog/metrics`);
    return problems;
  }
  const allowed = `metric ${metric.code} is reported for ${metric.unitKinds.map((k) => KIND_WORDS[k]).join(', ')}`;

  // scope
  const scope = input.scope;
  let unitsInScope: string[];
  if (scope.kind === 'units') {
    scope.units.forEach((code, index) => {
      const unit = catalog.units.get(code);
      const field = `scope.units.${index}`;
      if (!unit) return problem(field, `unknown unit "${code}"; see GET /api/v1/catalog/units`);
      if (!isCurrent(unit, day)) {
        const successors = unit.successors.length > 0 ? `; its successor is ${unit.successors.join(', ')}` : '';
        return problem(field, `unit "${code}" is not in force (${unit.validUntil ? `ended ${unit.validUntil}` : `starts ${unit.validFrom}`}): it reports no new values${successors}`);
      }
      if (!metric.unitKinds.includes(unit.kind)) problem(field, `unit "${code}" is a ${unit.kind}; ${allowed}`);
    });
    unitsInScope = [...new Set(scope.units)];
  } else {
    const kind = SCOPE_KIND[scope.kind];
    if (!metric.unitKinds.includes(kind)) problem('scope.kind', `scope "${scope.kind}" can never match: ${allowed}`);
    unitsInScope = scopeUnits(scope, catalog, day);
  }

  // condition
  const condition = input.condition;
  const { min, max } = metric;
  const range = `values of ${metric.code} are ${min ?? '-∞'}..${max ?? '∞'}`;
  switch (condition.type) {
    case 'above':
      if (max !== null && condition.value >= max) problem('condition.value', `above ${condition.value} can never fire: ${range}`);
      else if (min !== null && condition.value < min) problem('condition.value', `above ${condition.value} would hold for every value: ${range}`);
      break;
    case 'below':
      if (min !== null && condition.value <= min) problem('condition.value', `below ${condition.value} can never fire: ${range}`);
      else if (max !== null && condition.value > max) problem('condition.value', `below ${condition.value} would hold for every value: ${range}`);
      break;
    case 'change':
      if (durationSeconds(condition.window) === 0) problem('condition.window', 'window must be longer than 0s: the change is between the latest value and the value one window earlier');
      if (condition.direction === 'drop' && metric.kind === 'counter') problem('condition.direction', `${metric.code} is a counter (a running total that never goes down): it can never drop`);
      else if (condition.direction === 'drop' && condition.percent > 100 && min !== null && min >= 0) {
        problem('condition.percent', `a drop of more than 100% can never happen: ${range}`);
      }
      break;
    case 'no_data':
      if (condition.after === undefined && metric.cadence === 'irregular') {
        problem('condition.after', `${metric.code} has no regular reporting cadence (irregular): give "after", e.g. "400d"`);
      } else if (condition.after !== undefined && durationSeconds(condition.after) === 0) {
        problem('condition.after', 'after must be longer than 0s');
      }
      break;
    case 'target_at_risk': {
      const targets = catalog.targets.filter((t) => t.metricCode === metric.code);
      if (condition.targetId !== undefined) {
        const target = catalog.targets.find((t) => t.id === condition.targetId);
        if (!target) problem('condition.targetId', `unknown target ${condition.targetId}; targets are listed with their metric in GET /api/v1/catalog/metrics`);
        else if (target.metricCode !== metric.code) problem('condition.targetId', `target ${target.id} is a target of ${target.metricCode}, not ${metric.code}`);
        else if (deadlineEnd(target, timezone).getTime() < now.getTime()) problem('condition.targetId', `target ${target.id} had its deadline on ${target.deadline}: it can no longer be at risk`);
      } else if (targets.length === 0) {
        problem('condition.type', `${metric.code} has no target`);
      } else if (!unitsInScope.some((unit) => targetFor(condition, metric.code, unit, catalog.targets, now, timezone) !== null)) {
        const listed = targets.map((t) => `${t.unitCode} ${t.comparator} ${t.value} by ${t.deadline} (id ${t.id})`).join('; ');
        problem('condition.type', `no unit in scope has a target of ${metric.code} with a deadline ahead (targets: ${listed}); widen the scope or name a target with targetId`);
      }
      break;
    }
  }
  return problems;
}

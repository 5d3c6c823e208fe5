/**
 * Rules against the catalog: which units a scope covers, the condition each unit is evaluated with, and the
 * checks that refuse rules that reference unknown metrics or units or can never fire. Pure: the catalog and the
 * time come in as arguments.
 */
import type { CatalogSnapshot } from '../catalog/catalog.service';
import type { Unit } from '../catalog/catalog.types';
import {
  type AlertRule,
  type AlertRuleInput,
  type RuleCondition,
  type RuleScope,
  type Severity,
  type UnitKind,
  durationSeconds,
  formatDuration,
  localDay,
} from '@dxoc/contracts';
import type { ValidationDetail } from './conditions/condition-kind';
import { validateCondition } from './conditions/registry';
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

export type { ValidationDetail };

/** In force on that day (validity dates are half-open calendar days). */
export function isCurrent(unit: Unit, day: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validUntil === null || unit.validUntil > day);
}

const SCOPE_KIND: Record<Exclude<RuleScope['kind'], 'units'>, UnitKind> = {
  provinces: 'province',
  ministries: 'ministry',
  nation: 'nation',
};

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

/** Seconds of a duration field: stored as a Postgres integer. */
const MAX_SECONDS = 2_147_483_647;

const KIND_WORDS: Record<UnitKind, string> = { nation: 'the nation', province: 'provinces', ministry: 'ministries' };

/**
 * Everything that makes a rule unusable, with the field it is about: unknown metric or unit, a unit of a kind the
 * metric is not reported for, unknown message placeholders, durations too long to store, and whatever its condition
 * type refuses (a threshold that can never be crossed, a target rule without a target ahead, …).
 */
export function validateRule(input: AlertRuleInput, catalog: CatalogSnapshot, now: Date, timezone: string): ValidationDetail[] {
  const problems: ValidationDetail[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const day = localDay(now, timezone);

  for (const [field, template] of [
    ['messageVi', input.messageVi],
    ['messageEn', input.messageEn],
  ] as const) {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0)
      problem(
        field,
        `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; use {unit}, {unitName}, {metric}, {metricName}, {value}, {threshold}, {since}`,
      );
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
        return problem(
          field,
          `unit "${code}" is not in force (${unit.validUntil ? `ended ${unit.validUntil}` : `starts ${unit.validFrom}`}): it reports no new values${successors}`,
        );
      }
      if (!metric.unitKinds.includes(unit.kind)) problem(field, `unit "${code}" is a ${unit.kind}; ${allowed}`);
    });
    unitsInScope = [...new Set(scope.units)];
  } else {
    const kind = SCOPE_KIND[scope.kind];
    if (!metric.unitKinds.includes(kind)) problem('scope.kind', `scope "${scope.kind}" can never match: ${allowed}`);
    unitsInScope = scopeUnits(scope, catalog, day);
  }

  problems.push(...validateCondition(input.condition, { metric, catalog, unitsInScope, now, timeZone: timezone }));
  return problems;
}

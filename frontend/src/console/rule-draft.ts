/**
 * The threshold editor's form state and its conversion to the API's AlertRuleInput (validated with the
 * contract's own zod schema, so the errors shown inline are the API's rules). Pure. The condition's part of it
 * comes from its type's editor (conditions/registry.ts).
 */
import { AlertRuleInput, type AlertRule, type ConditionType } from '@dxoc/contracts';
import type { ConditionFields, FieldErrors } from './conditions/condition-editor';
import { conditionFields, conditionInput, editorOf } from './conditions/registry';
import type { Lang } from '../lib/format';
import { apiFieldErrors, zodFieldErrors } from './form-errors';

export type { ConditionType, ConditionFields, FieldErrors };

export interface RuleDraft {
  name: string;
  metric: string;
  scopeKind: 'units' | 'provinces' | 'ministries' | 'nation';
  units: string;
  conditionType: ConditionType;
  /**
   * The condition's inputs, keyed by the API's field names inside `condition` (see conditions/). It keeps what was
   * typed for other types too, so switching the type back and forth loses nothing and above ↔ below keep the value.
   */
  condition: ConditionFields;
  for: string;
  keepFiringFor: string;
  severity: 'info' | 'warning' | 'critical';
  messageVi: string;
  messageEn: string;
  enabled: boolean;
}

export function emptyDraft(metric: string, unit: string | null): RuleDraft {
  return {
    name: '',
    metric,
    scopeKind: unit ? 'units' : 'provinces',
    units: unit ?? '',
    conditionType: 'below',
    condition: { ...editorOf('below').defaults },
    for: '0s',
    keepFiringFor: '0s',
    severity: 'warning',
    messageVi: '{metricName} của {unitName} là {value}, vượt ngưỡng {threshold}',
    messageEn: '{metricName} of {unitName} is {value}, past the threshold {threshold}',
    enabled: true,
  };
}

/** The condition select changed: the new type's defaults for the fields not typed yet. */
export function withConditionType(draft: RuleDraft, type: ConditionType): RuleDraft {
  return { ...draft, conditionType: type, condition: { ...editorOf(type).defaults, ...draft.condition } };
}

export function ruleToDraft(rule: AlertRule): RuleDraft {
  return {
    ...emptyDraft(rule.metric, null),
    name: rule.name,
    metric: rule.metric,
    scopeKind: rule.scope.kind,
    units: rule.scope.kind === 'units' ? rule.scope.units.join(', ') : '',
    conditionType: rule.condition.type,
    condition: conditionFields(rule.condition),
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    severity: rule.severity,
    messageVi: rule.messageVi,
    messageEn: rule.messageEn,
    enabled: rule.enabled,
  };
}

/** The request body, not yet validated. */
export function draftToInput(draft: RuleDraft): unknown {
  const units = draft.units
    .split(/[\s,;]+/)
    .map((u) => u.trim().toUpperCase())
    .filter(Boolean);
  return {
    name: draft.name.trim(),
    metric: draft.metric,
    scope: draft.scopeKind === 'units' ? { kind: 'units', units } : { kind: draft.scopeKind },
    condition: conditionInput(draft.conditionType, draft.condition),
    for: draft.for.trim() || '0s',
    keepFiringFor: draft.keepFiringFor.trim() || '0s',
    severity: draft.severity,
    messageVi: draft.messageVi.trim(),
    messageEn: draft.messageEn.trim(),
    enabled: draft.enabled,
  };
}

/** "condition.value" → "value", "scope.units.0" → "units", "rule.name" (preview) → "name". */
export function fieldOf(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'rule' && !/^\d+$/.test(p));
  if (parts[0] === 'condition') return parts[1] === 'type' || parts.length === 1 ? 'conditionType' : parts[1]!;
  if (parts[0] === 'scope') return parts[1] === 'units' ? 'units' : 'scopeKind';
  return parts[0] ?? 'form';
}

export function validateDraft(draft: RuleDraft, lang: Lang = 'en'): { input: AlertRuleInput | null; errors: FieldErrors } {
  const result = AlertRuleInput.safeParse(draftToInput(draft));
  if (result.success) return { input: result.data, errors: {} };
  return { input: null, errors: zodFieldErrors(result.error, lang, fieldOf) };
}

/** The API's 400 answer: { details: [{ field, message }] } → inline errors. */
export function serverErrors(details: unknown, lang: Lang = 'en'): FieldErrors {
  return apiFieldErrors(details, lang, fieldOf);
}

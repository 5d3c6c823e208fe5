/**
 * The threshold editor's form state and its conversion to the API's AlertRuleInput (validated with the
 * contract's own zod schema, so the errors shown inline are the API's rules). Pure.
 */
import { AlertRuleInput, type AlertRule, type RuleCondition } from '@dxoc/contracts';

export type ConditionType = RuleCondition['type'];

export interface RuleDraft {
  name: string;
  metric: string;
  scopeKind: 'units' | 'provinces' | 'ministries' | 'nation';
  units: string;
  conditionType: ConditionType;
  value: string;
  direction: 'rise' | 'drop';
  percent: string;
  window: string;
  after: string;
  targetId: string;
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
    value: '',
    direction: 'drop',
    percent: '20',
    window: '1d',
    after: '',
    targetId: '',
    for: '0s',
    keepFiringFor: '0s',
    severity: 'warning',
    messageVi: '{metricName} của {unitName} là {value}, vượt ngưỡng {threshold}',
    messageEn: '{metricName} of {unitName} is {value}, past the threshold {threshold}',
    enabled: true,
  };
}

export function ruleToDraft(rule: AlertRule): RuleDraft {
  const base = emptyDraft(rule.metric, null);
  const c = rule.condition;
  return {
    ...base,
    name: rule.name,
    metric: rule.metric,
    scopeKind: rule.scope.kind,
    units: rule.scope.kind === 'units' ? rule.scope.units.join(', ') : '',
    conditionType: c.type,
    value: c.type === 'above' || c.type === 'below' ? String(c.value) : '',
    direction: c.type === 'change' ? c.direction : base.direction,
    percent: c.type === 'change' ? String(c.percent) : base.percent,
    window: c.type === 'change' ? c.window : base.window,
    after: c.type === 'no_data' ? (c.after ?? '') : '',
    targetId: c.type === 'target_at_risk' && c.targetId !== undefined ? String(c.targetId) : '',
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    severity: rule.severity,
    messageVi: rule.messageVi,
    messageEn: rule.messageEn,
    enabled: rule.enabled,
  };
}

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.replace(',', '.')));

/** The request body, not yet validated. */
export function draftToInput(draft: RuleDraft): unknown {
  const condition = (() => {
    switch (draft.conditionType) {
      case 'above':
      case 'below':
        return { type: draft.conditionType, value: num(draft.value) };
      case 'change':
        return { type: 'change', direction: draft.direction, percent: num(draft.percent), window: draft.window.trim() };
      case 'no_data':
        return draft.after.trim() ? { type: 'no_data', after: draft.after.trim() } : { type: 'no_data' };
      case 'target_at_risk':
        return draft.targetId.trim() ? { type: 'target_at_risk', targetId: num(draft.targetId) } : { type: 'target_at_risk' };
    }
  })();
  const units = draft.units
    .split(/[\s,;]+/)
    .map((u) => u.trim().toUpperCase())
    .filter(Boolean);
  return {
    name: draft.name.trim(),
    metric: draft.metric,
    scope: draft.scopeKind === 'units' ? { kind: 'units', units } : { kind: draft.scopeKind },
    condition,
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

export type FieldErrors = Partial<Record<string, string>>;

export function validateDraft(draft: RuleDraft): { input: AlertRuleInput | null; errors: FieldErrors } {
  const result = AlertRuleInput.safeParse(draftToInput(draft));
  if (result.success) return { input: result.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = fieldOf(issue.path.map(String).join('.'));
    errors[field] ??= issue.message;
  }
  return { input: null, errors };
}

/** The API's 400 answer: { details: [{ field, message }] } → inline errors. */
export function serverErrors(details: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const d of details) {
    if (d && typeof d === 'object' && typeof (d as { message?: unknown }).message === 'string') {
      const field = fieldOf(String((d as { field?: unknown }).field ?? 'form'));
      errors[field] ??= (d as { message: string }).message;
    }
  }
  return errors;
}

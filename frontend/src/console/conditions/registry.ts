/**
 * The console's editor of every alert condition type, keyed by the contract's ConditionType: the compiler refuses
 * a type in the contract without its editor here. The rule form and the rules table reach conditions only through
 * this module.
 */
import type { ConditionType, RuleCondition } from '@dxoc/contracts';
import { above } from './above';
import { below } from './below';
import { change } from './change';
import type { ConditionContext, ConditionEditor, ConditionFields, ThresholdLine, UncheckedCondition } from './condition-editor';
import { noData } from './no-data';
import { targetAtRisk } from './target-at-risk';

export const CONDITION_EDITORS: { readonly [T in ConditionType]: ConditionEditor<T> } = {
  above,
  below,
  change,
  no_data: noData,
  target_at_risk: targetAtRisk,
};

export function editorOf<T extends ConditionType>(type: T): ConditionEditor<T> {
  return CONDITION_EDITORS[type];
}

/** A saved condition → the form's fields (every field of its type, defaults where it has none). */
export function conditionFields(condition: RuleCondition): ConditionFields {
  const editor = editorOf(condition.type);
  return { ...editor.defaults, ...editor.fromCondition(condition) };
}

/** The form's fields → the request's condition, not yet validated. */
export function conditionInput<T extends ConditionType>(type: T, fields: ConditionFields): UncheckedCondition<T> {
  return editorOf(type).toCondition(fields);
}

/** The rules table's cell. */
export function conditionSummary(condition: RuleCondition, context: ConditionContext): string {
  return editorOf(condition.type).summary(condition, context);
}

/** The lines the backtest chart draws for the condition being edited. */
export function conditionThresholdLines(type: ConditionType, fields: ConditionFields, context: ConditionContext): ThresholdLine[] {
  return editorOf(type).thresholdLines?.(fields, context) ?? [];
}

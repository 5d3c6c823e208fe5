/**
 * What the console's rule editor needs to know about one alert condition type. Each type is one module in this
 * folder (above.tsx, change.tsx, …) listed in registry.ts; rule-draft.ts and pages/RulesPage.tsx only go through
 * the registry, so a new type never edits them. See README.md.
 */
import type { ReactNode } from 'react';
import type { ConditionOf, ConditionType } from '@dxoc/contracts';
import type { Metric } from '../../lib/api';
import type { Lang } from '../../lib/format';

/** A text in both languages, Vietnamese first (as in lib/i18n.ts). */
export type Text = readonly [vi: string, en: string];

export const textIn = (text: Text, lang: Lang): string => (lang === 'vi' ? text[0] : text[1]);

/**
 * The condition's inputs as typed, keyed by the API's field names inside `condition` (so the API's error on
 * "condition.value" lands on the input named "value").
 */
export type ConditionFields = Readonly<Record<string, string>>;

/** Inline errors by form field name. */
export type FieldErrors = Partial<Record<string, string>>;

/** The request's condition as the form has it: its type and its own fields, not yet validated. */
export type UncheckedCondition<T extends ConditionType> = { type: T } & { [K in Exclude<keyof ConditionOf<T>, 'type'>]?: unknown };

/** What a summary or a threshold line is written for. */
export interface ConditionContext {
  metric: Metric | undefined;
  lang: Lang;
}

export interface ConditionInputsProps {
  fields: ConditionFields;
  set: (field: string, value: string) => void;
  errors: FieldErrors;
  /** the rule's metric (its kind, its targets) */
  metric: Metric | undefined;
}

/** A horizontal line drawn on the backtest chart. */
export interface ThresholdLine {
  value: number;
  label: string;
}

export interface ConditionEditor<T extends ConditionType> {
  type: T;
  /** the name offered in the condition select */
  label: Text;
  /** every field this type uses, with the text a new condition starts with */
  defaults: ConditionFields;
  /** a saved condition → its fields */
  fromCondition(condition: ConditionOf<T>): ConditionFields;
  /** the fields → the request's condition (the contract's schema validates it afterwards) */
  toCondition(fields: ConditionFields): UncheckedCondition<T>;
  /** the condition's inputs in the rule form (inside the console's context) */
  Inputs: (props: ConditionInputsProps) => ReactNode;
  /** the rules table's cell */
  summary(condition: ConditionOf<T>, context: ConditionContext): string;
  /** lines drawn on the backtest chart, e.g. the threshold */
  thresholdLines?(fields: ConditionFields, context: ConditionContext): ThresholdLine[];
}

/** "12,5" → 12.5; empty → undefined (the schema then reports the missing field); junk → NaN (reported too). */
export const numberField = (text: string | undefined): number | undefined => {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? undefined : Number(trimmed.replace(',', '.'));
};

export const textField = (text: string | undefined): string => (text ?? '').trim();

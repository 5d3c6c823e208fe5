/**
 * The alert condition types, keyed by the contract's ConditionType: the compiler refuses a type in the contract
 * without its module here. Everything outside this folder reaches conditions through these functions only.
 */
import type { ConditionOf, ConditionType, RuleCondition } from '@dxoc/contracts';
import type { Metric } from '../../catalog/catalog.types';
import { above } from './above';
import { below } from './below';
import { change } from './change';
import type {
  ConditionInput,
  ConditionKind,
  ConditionResult,
  DataNeeds,
  RuleContext,
  UnitContext,
  ValidationDetail,
} from './condition-kind';
import { noData } from './no-data';
import { targetAtRisk } from './target-at-risk';

// `unknown` Prepared: each kind's own Prepared stays inside bindCondition
export const CONDITION_KINDS: { readonly [T in ConditionType]: ConditionKind<T, unknown> } = {
  above,
  below,
  change,
  no_data: noData,
  target_at_risk: targetAtRisk,
};

function kindOf<T extends ConditionType>(condition: ConditionOf<T>): ConditionKind<T, unknown> {
  return CONDITION_KINDS[condition.type as T];
}

/** A rule's condition resolved for one unit, ready to evaluate at any moment. */
export interface BoundCondition {
  readonly needs: DataNeeds;
  evaluate(input: ConditionInput, now: Date): ConditionResult;
  /** see ConditionKind.wakeUps */
  wakeUps(lastTs: Date | null, watchingSince: Date): number[];
}

export function bindCondition(condition: RuleCondition, context: UnitContext): BoundCondition {
  const kind = kindOf(condition);
  const prepared = kind.prepare(condition, context);
  return {
    needs: kind.needs(condition),
    evaluate: (input, now) => kind.evaluate(prepared, input, now),
    wakeUps: (lastTs, watchingSince) => kind.wakeUps?.(prepared, lastTs, watchingSince) ?? [],
  };
}

export function conditionNeeds(condition: RuleCondition): DataNeeds {
  return kindOf(condition).needs(condition);
}

export function validateCondition(condition: RuleCondition, context: RuleContext): ValidationDetail[] {
  return kindOf(condition).validate(condition, context);
}

/** The {threshold} of a message when the evaluation gave no number. */
export function conditionThresholdText(condition: RuleCondition, metric: Metric): string | null {
  return kindOf(condition).thresholdText?.(condition, metric) ?? null;
}

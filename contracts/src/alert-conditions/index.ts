/**
 * Alert rule conditions: one module per condition type, joined here. A new condition type is a new schema module
 * listed in CONDITION_SCHEMAS; the compiler then asks for its backend module (backend/src/alerts/conditions/) and
 * its console editor (frontend/src/console/conditions/), which are keyed by ConditionType.
 */
import { z } from 'zod';
import { AboveCondition } from './above';
import { BelowCondition } from './below';
import { ChangeCondition } from './change';
import { NoDataCondition } from './no-data';
import { TargetAtRiskCondition } from './target-at-risk';

export { AboveCondition, BelowCondition, ChangeCondition, NoDataCondition, TargetAtRiskCondition };

const CONDITION_SCHEMAS = [AboveCondition, BelowCondition, ChangeCondition, NoDataCondition, TargetAtRiskCondition] as const;

export const RuleConditionSchema = z.discriminatedUnion('type', CONDITION_SCHEMAS);
export type RuleCondition = z.infer<typeof RuleConditionSchema>;
export type ConditionType = RuleCondition['type'];
/** The condition of one type, e.g. ConditionOf<'change'>. */
export type ConditionOf<T extends ConditionType> = Extract<RuleCondition, { type: T }>;

/** Every condition type, in the order the console offers them. */
export const CONDITION_TYPES: readonly ConditionType[] = CONDITION_SCHEMAS.map((schema) => schema.shape.type.value);

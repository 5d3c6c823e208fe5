/**
 * What one alert condition type provides. Each type is one module in this folder (above.ts, change.ts, …) listed in
 * registry.ts; the live evaluation (alert-evaluator.ts), the backtest (preview.ts) and rule validation (rules.ts)
 * only ever go through the registry, so a new type never edits them. See README.md.
 */
import type { CatalogSnapshot } from '../../catalog/catalog.service';
import type { Metric, Target } from '../../catalog/catalog.types';
import type { ConditionOf, ConditionType } from '@dxoc/contracts';

export interface SeriesPoint {
  ts: Date;
  value: number;
}

/** What a condition reads per unit besides the latest value. */
export interface DataNeeds {
  /** the last value at or before latest.ts − this many seconds (the reference of a change); null: none */
  referenceWindowSeconds: number | null;
  /** this many of the most recent values (a projection); 0: none */
  recentPoints: number;
}

/** What the stored data says about one (metric, unit) at a moment, as DataNeeds asked for. */
export interface ConditionInput {
  /** the value with the latest ts (not the latest received: a backfilled old ts never counts as current) */
  latest: SeriesPoint | null;
  /** the last value at or before latest.ts − referenceWindowSeconds */
  reference: SeriesPoint | null;
  /** the most recent values (at most recentPoints), any order */
  recent: SeriesPoint[];
  /** for a unit that never reported: watched from here (the rule's creation, or the backtest's start) */
  watchingSince: Date;
}

export interface ConditionResult {
  holds: boolean;
  /** the value the condition is about: the latest value, or a projection; null when there is none */
  value: number | null;
  /** the number compared with (threshold, percent, target value); null when there is none */
  threshold: number | null;
  /** the {since} of messages (e.g. the time of the last value); null: the alert's pendingSince */
  since: Date | null;
}

/** Where a rule's condition is evaluated for one unit. */
export interface UnitContext {
  metric: Metric;
  unit: string;
  targets: readonly Target[];
  now: Date;
  timeZone: string;
}

/** Where a rule's condition is checked before the rule is saved or backtested. */
export interface RuleContext {
  metric: Metric;
  catalog: CatalogSnapshot;
  /** the units the rule's scope covers today */
  unitsInScope: readonly string[];
  now: Date;
  timeZone: string;
}

export interface ValidationDetail {
  field: string;
  message: string;
}

/**
 * One condition type. `Prepared` is the condition resolved for one unit (durations in milliseconds, the unit's
 * target looked up): prepare runs once per unit and evaluation, evaluate once per moment (many in a backtest).
 */
export interface ConditionKind<T extends ConditionType, Prepared> {
  readonly type: T;
  /** What the evaluation reads from storage for each unit. */
  needs(condition: ConditionOf<T>): DataNeeds;
  prepare(condition: ConditionOf<T>, context: UnitContext): Prepared;
  /** Pure: the stored data known at `now` → whether the condition holds. */
  evaluate(prepared: Prepared, input: ConditionInput, now: Date): ConditionResult;
  /**
   * Backtest: the instants at which the result may change without a new value (a no-data gap reaching its limit, a
   * deadline passing); the pending and keep-firing timers are the state machine's.
   */
  wakeUps?(prepared: Prepared, lastTs: Date | null, watchingSince: Date): number[];
  /** Everything that makes a rule with this condition unusable, with the field it is about ("condition.value"). */
  validate(condition: ConditionOf<T>, context: RuleContext): ValidationDetail[];
  /** The {threshold} of a message when the result has none (e.g. a no-data duration as text). */
  thresholdText?(condition: ConditionOf<T>, metric: Metric): string | null;
}

/** Lets each module declare its kind with its own Prepared type checked. */
export function defineCondition<T extends ConditionType, Prepared>(kind: ConditionKind<T, Prepared>): ConditionKind<T, Prepared> {
  return kind;
}

/** "values of m are 0..100": the range sentence of validation messages. */
export function valueRange(metric: Metric): string {
  return `values of ${metric.code} are ${metric.min ?? '-∞'}..${metric.max ?? '∞'}`;
}

/** DataNeeds of a condition that reads only the latest value. */
export const LATEST_ONLY: DataNeeds = { referenceWindowSeconds: null, recentPoints: 0 };

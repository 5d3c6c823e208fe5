import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CatalogService, type CatalogSnapshot } from '../catalog/catalog.service';
import type { Metric } from '../catalog/catalog.types';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Queryable } from '../db/database';
import { LeaseRepository } from '../db/lease.repository';
import { EventBus } from '../events/event-bus';
import type { StoredPoints } from '../events/event-map';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { METRICS, type Metrics } from '../observability/metrics';
import { AlertsRepository, type OpenAlert, type UnitData } from './alerts.repository';
import type { ConditionResult } from './conditions/condition-kind';
import { bindCondition, conditionNeeds, conditionThresholdText } from './conditions/registry';
import { renderMessage } from './messages';
import { scopeUnits, type StoredRule } from './rules';
import { step, type AlertSnapshot, type Timing, type Transition } from './state-machine';
import { localDay } from '@dxoc/contracts';

export const SWEEP_LEASE = 'alert-sweep';
/** Automatic transitions are recorded with this actor; acknowledgements and disables with the user's name. */
export const SYSTEM_ACTOR = 'system';

const EMPTY: UnitData = { latest: null, reference: null, recent: [] };

/**
 * How long the enabled rules are reused for the evaluations after ingest, instead of being listed from the database
 * for every batch (a statement per batch; on the embedded database, on its one thread, 5 % of a batch's time). Safe
 * because the list only chooses what to evaluate: every transition re-reads its rule under lock (transition()). A
 * rule changed on this instance is seen at once (rulesChanged); one changed on another instance within this time,
 * shorter than the sweep's default interval, which evaluates every rule anyway.
 */
const RULES_REUSE_MS = 2000;

export function timingOf(rule: Pick<StoredRule, 'forSeconds' | 'keepFiringSeconds'>): Timing {
  return { forMs: rule.forSeconds * 1000, keepFiringForMs: rule.keepFiringSeconds * 1000 };
}

/** The messages of an alert for a unit, rendered with the condition's result. */
export function alertMessages(
  rule: StoredRule,
  metric: Metric,
  unit: string,
  catalog: CatalogSnapshot,
  result: ConditionResult,
  pendingSince: Date,
  timezone: string,
) {
  const u = catalog.units.get(unit);
  const context = {
    unit,
    unitNameVi: u?.nameVi ?? unit,
    unitNameEn: u?.nameEn ?? unit,
    metric: metric.code,
    metricNameVi: metric.nameVi,
    metricNameEn: metric.nameEn,
    value: result.value,
    threshold: result.threshold ?? conditionThresholdText(rule.condition, metric),
    since: result.since ?? pendingSince,
    timezone,
  };
  return { vi: renderMessage(rule.messageVi, context, 'vi'), en: renderMessage(rule.messageEn, context, 'en') };
}

/**
 * Evaluates rules and writes alert transitions.
 *
 * - On ingest (right after the commit, no timer): the rules of the touched metrics, for the touched units in their
 *   scope, with the latest stored value of each unit; transitions are announced on the event bus
 *   ('alert.transitioned'), so the live stream delivers them at once.
 * - The sweep (every alertSweepMs, on the one instance holding the 'alert-sweep' lease): every enabled rule for every
 *   unit in scope, which covers no-data, pending periods and keepFiringFor elapsing without new data, and target
 *   projections; it also resolves alerts of units that left a rule's scope and of disabled rules.
 *
 * Every evaluate-and-transition of a (rule, unit) runs in one transaction that serialises on (rule, unit), locks the
 * open alert row and re-reads the data, so two instances evaluating the same pair at once write one transition.
 */
@Injectable()
export class AlertEvaluator implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  /** Sweeps this instance ran while holding the lease. */
  sweepsRun = 0;
  /** The enabled rules as listed at `listedAt` (performance.now()), for RULES_REUSE_MS; null: list them again. */
  private reusableRules: { rules: Promise<StoredRule[]>; listedAt: number } | null = null;

  constructor(
    @Inject(AlertsRepository) private readonly repository: AlertsRepository,
    @Inject(LeaseRepository) private readonly leases: LeaseRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.bus.on('observations.stored', ({ points }) => this.track(this.onIngest(points)));
  }

  /** Only a serving instance sweeps: the CLI's application contexts (no HTTP adapter) never do. */
  onApplicationBootstrap(): void {
    if (!this.adapterHost.httpAdapter || this.timer) return;
    this.timer = setInterval(() => void this.runSweep(), this.config.alertSweepMs);
    this.timer.unref();
  }

  /** Stops sweeping, lets running evaluations finish, and hands the lease back so another instance sweeps at once. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const sweeper = this.timer !== null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    if (sweeper) await this.leases.releaseLease(SWEEP_LEASE, this.config.instanceId).catch(() => undefined);
  }

  /** Resolves once the evaluations under way (after ingests, rule changes, a sweep) have finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.sweeping) await Promise.allSettled([...this.inFlight, this.sweeping]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** The enabled rules, listed at most every RULES_REUSE_MS (a failed listing is not reused). */
  private enabledRules(): Promise<StoredRule[]> {
    const now = performance.now();
    if (this.reusableRules && now - this.reusableRules.listedAt < RULES_REUSE_MS) return this.reusableRules.rules;
    const listing = { rules: this.repository.listRules(undefined, { enabledOnly: true }), listedAt: now };
    this.reusableRules = listing;
    listing.rules.catch(() => {
      if (this.reusableRules === listing) this.reusableRules = null;
    });
    return listing.rules;
  }

  /** A rule was created or changed on this instance: the next ingest lists the rules again. */
  rulesChanged(): void {
    this.reusableRules = null;
  }

  /** Evaluates the rules of the touched metrics for the touched units. */
  async onIngest(points: StoredPoints): Promise<void> {
    if (this.stopped) return;
    const touched = new Map<string, Set<string>>();
    for (let i = 0; i < points.metric.length; i += 1) {
      const metric = points.metric[i] as string;
      let units = touched.get(metric);
      if (!units) touched.set(metric, (units = new Set()));
      units.add(points.unit[i] as string);
    }
    const rules = (await this.enabledRules()).filter((rule) => touched.has(rule.metric));
    if (rules.length === 0) return;
    const catalog = await this.catalog.snapshot();
    const now = this.clock.now();
    const day = localDay(now, this.config.timezone);
    for (const rule of rules) {
      const units = scopeUnits(rule.scope, catalog, day).filter((unit) => touched.get(rule.metric)?.has(unit));
      // the wall gets each rule's transitions at once, without waiting for the other rules
      const transitions = await this.evaluateRule(rule, units, catalog, now, false, 'ingest');
      if (transitions > 0) this.bus.emit('alert.transitioned', { cause: 'ingest', ruleId: rule.id, transitions });
    }
  }

  /** Evaluates one rule for every unit in its scope now (after it was created or changed); errors are logged. */
  evaluateRuleNow(ruleId: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.track(
      (async () => {
        const rule = await this.repository.getRule(undefined, ruleId);
        if (!rule?.enabled) return;
        const catalog = await this.catalog.snapshot();
        const now = this.clock.now();
        const events = await this.evaluateRule(
          rule,
          scopeUnits(rule.scope, catalog, localDay(now, this.config.timezone)),
          catalog,
          now,
          true,
          'rule_change',
        );
        if (events > 0) this.bus.emit('alert.transitioned', { cause: 'rule_change', ruleId, transitions: events });
      })().catch((error: unknown) => {
        this.logger.warn('alerts.rule_evaluation_failed', { ruleId, error: error instanceof Error ? error.message : String(error) });
      }),
    );
  }

  /** One sweep if this instance holds (or can take) the lease; errors are logged, the next tick retries. */
  runSweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        const ttlMs = 3 * this.config.alertSweepMs;
        if (!(await this.leases.acquireLease(SWEEP_LEASE, this.config.instanceId, ttlMs))) return;
        if (this.stopped) return;
        this.sweepsRun += 1;
        await this.sweepOnce();
      } catch (error) {
        this.logger.warn('alerts.sweep_failed', { error: error instanceof Error ? error.message : String(error) });
      }
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** Every enabled rule for every unit in scope; alerts of disabled rules and of units out of scope are resolved. */
  async sweepOnce(): Promise<void> {
    const catalog = await this.catalog.snapshot();
    const now = this.clock.now();
    const day = localDay(now, this.config.timezone);
    let events = 0;
    for (const rule of await this.repository.listRules(undefined, { enabledOnly: true })) {
      if (this.stopped) break;
      events += await this.evaluateRule(rule, scopeUnits(rule.scope, catalog, day), catalog, now, true, 'sweep');
    }
    for (const ruleId of await this.repository.disabledRulesWithOpenAlerts()) {
      events += await this.repository.transaction((tx) => this.resolveOpenAlerts(tx, ruleId, now, SYSTEM_ACTOR));
    }
    if (events > 0) this.bus.emit('alert.transitioned', { cause: 'sweep', ruleId: null, transitions: events });
  }

  /** Resolves every open alert of a rule (disabled, or its units left the scope), in the caller's transaction. */
  async resolveOpenAlerts(tx: Queryable, ruleId: number, now: Date, actor: string, onlyUnits?: Set<string>): Promise<number> {
    const open = (await this.repository.lockOpenAlertsOfRule(tx, ruleId)).filter((a) => !onlyUnits || onlyUnits.has(a.unit));
    for (const alert of open) {
      await this.repository.updateAlert(tx, alert.id, { ...snapshotOf(alert), state: 'resolved', resolvedAt: now }, null, now);
    }
    await this.repository.insertEvents(
      tx,
      open.map((a) => ({ alertId: a.id, transition: 'resolved' as const })),
      now,
      actor,
    );
    if (open.length > 0) {
      const severity = (await this.repository.getRule(tx, ruleId))?.severity ?? 'info';
      this.metrics.alertTransitions.inc({ transition: 'resolved', severity }, open.length);
    }
    return open.length;
  }

  /**
   * Reads the data of the units in one go, runs the state machine against the open alerts, and opens a transaction
   * only for the units where something changes. Returns the number of transitions written.
   */
  private async evaluateRule(
    rule: StoredRule,
    units: string[],
    catalog: CatalogSnapshot,
    now: Date,
    resolveOutOfScope: boolean,
    trigger: 'ingest' | 'sweep' | 'rule_change',
  ): Promise<number> {
    const metric = catalog.metrics.get(rule.metric);
    if (!metric) return 0;
    this.metrics.alertEvaluations.inc({ trigger }, units.length);
    const [data, open] = await Promise.all([this.readData(undefined, rule, units), this.repository.openAlerts(undefined, rule.id)]);
    const openByUnit = new Map(open.map((a) => [a.unit, a]));
    let events = 0;
    for (const unit of units) {
      if (this.stopped) break;
      const condition = bindCondition(rule.condition, { metric, unit, targets: catalog.targets, now, timeZone: this.config.timezone });
      const result = condition.evaluate({ ...(data.get(unit) ?? EMPTY), watchingSince: rule.createdAt }, now);
      const current = openByUnit.get(unit);
      if (!step(current ? snapshotOf(current) : null, result, now, timingOf(rule)).changed) continue;
      events += await this.transition(rule.id, unit, catalog, now);
    }
    if (resolveOutOfScope) {
      const inScope = new Set(units);
      const leftScope = new Set(open.filter((a) => !inScope.has(a.unit)).map((a) => a.unit));
      if (leftScope.size > 0)
        events += await this.repository.transaction((tx) => this.resolveOpenAlerts(tx, rule.id, now, SYSTEM_ACTOR, leftScope));
    }
    return events;
  }

  /** Evaluate-and-transition of one (rule, unit) in one transaction, on data read under the locks. */
  private transition(ruleId: number, unit: string, catalog: CatalogSnapshot, now: Date): Promise<number> {
    return this.repository.transaction(async (tx) => {
      await this.repository.lockEvaluation(tx, ruleId, unit);
      const rule = await this.repository.getRule(tx, ruleId, 'share');
      const metric = rule && catalog.metrics.get(rule.metric);
      if (!rule || !rule.enabled || !metric) return 0;
      const timing = timingOf(rule);
      const data = (await this.readData(tx, rule, [unit])).get(unit) ?? EMPTY;
      const condition = bindCondition(rule.condition, { metric, unit, targets: catalog.targets, now, timeZone: this.config.timezone });
      const result = condition.evaluate({ ...data, watchingSince: rule.createdAt }, now);
      let open = await this.repository.lockOpenAlert(tx, ruleId, unit);
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { next, transitions, changed } = step(open ? snapshotOf(open) : null, result, now, timing);
        if (!changed || !next) return 0;
        const messages = alertMessages(rule, metric, unit, catalog, result, next.pendingSince, this.config.timezone);
        let alertId: number;
        if (open) {
          alertId = open.id;
          await this.repository.updateAlert(tx, alertId, next, messages, now);
        } else {
          const inserted = await this.repository.insertAlert(tx, ruleId, unit, next, messages, now);
          if (inserted === null) {
            // another evaluation opened an episode first: evaluate against that one
            open = await this.repository.lockOpenAlert(tx, ruleId, unit);
            continue;
          }
          alertId = inserted;
        }
        await this.repository.insertEvents(
          tx,
          transitions.map((transition: Transition) => ({ alertId, transition })),
          now,
          SYSTEM_ACTOR,
        );
        for (const transition of transitions) this.metrics.alertTransitions.inc({ transition, severity: rule.severity });
        return transitions.length;
      }
      return 0;
    });
  }

  private readData(q: Queryable | undefined, rule: StoredRule, units: string[]): Promise<Map<string, UnitData>> {
    return this.repository.unitData(q, rule.metric, units, conditionNeeds(rule.condition));
  }
}

export function snapshotOf(alert: OpenAlert): AlertSnapshot {
  return {
    state: alert.state,
    pendingSince: alert.pendingSince,
    firingSince: alert.firingSince,
    clearSince: alert.clearSince,
    resolvedAt: alert.resolvedAt,
    value: alert.value,
  };
}

/** Threshold rules, alerts and their lifecycle: request and response shapes. */
import { z } from 'zod';
import { UnitKindSchema } from './catalog';
import { RuleDurationText } from './durations';
import { RuleConditionSchema } from './alert-conditions';

export const SeveritySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

const duration = RuleDurationText;

export const RuleScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('units'), units: z.array(z.string()).min(1) }),
  z.strictObject({ kind: z.literal('provinces') }),
  z.strictObject({ kind: z.literal('ministries') }),
  z.strictObject({ kind: z.literal('nation') }),
]);
export type RuleScope = z.infer<typeof RuleScopeSchema>;

export const AlertRuleInput = z
  .strictObject({
    name: z.string().min(1).max(200),
    metric: z.string().min(1),
    scope: RuleScopeSchema,
    condition: RuleConditionSchema,
    /** the condition must hold this long before the alert fires (pending period) */
    for: duration.default('0s'),
    /** once firing, stay firing this long after the condition clears (against flapping) */
    keepFiringFor: duration.default('0s'),
    severity: SeveritySchema,
    /** Placeholders: {unit}, {unitName}, {metric}, {metricName}, {value}, {threshold}, {since} */
    messageVi: z.string().min(1).max(500),
    messageEn: z.string().min(1).max(500),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'AlertRuleInput' });
export type AlertRuleInput = z.infer<typeof AlertRuleInput>;

export const AlertRuleSchema = AlertRuleInput.extend({
  id: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'AlertRule' });
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved'] as const;
export const AlertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertStateSchema>;

export const AlertSchema = z
  .object({
    id: z.number().int(),
    ruleId: z.number().int(),
    ruleName: z.string(),
    metric: z.string(),
    unit: z.string(),
    severity: SeveritySchema,
    state: AlertStateSchema,
    /** the value that last matched (null for no-data) */
    value: z.number().nullable(),
    messageVi: z.string(),
    messageEn: z.string(),
    pendingSince: z.string(),
    firingSince: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
    ackComment: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    updatedAt: z.string(),
    /**
     * The silence covering this alert now (a silenced alert still shows, and sends nothing); null when none.
     * Optional so answers of an older server still parse. Same shape as AlertSilenceInfo in ./notifications
     * (not imported from there: that module imports this one).
     */
    silence: z.object({ silenceId: z.number().int(), endsAt: z.string(), reason: z.string() }).nullable().optional(),
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof AlertSchema>;

export const AlertsQuery = z.object({
  state: z
    .union([AlertStateSchema, z.literal('open')])
    .optional()
    .meta({ description: 'open = pending, firing or acknowledged' }),
  from: z.string().optional(),
  to: z.string().optional(),
  unit: z.string().optional(),
  metric: z.string().optional(),
  severity: SeveritySchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const AcknowledgeRequest = z.strictObject({ comment: z.string().min(1).max(1000) }).meta({ id: 'AcknowledgeRequest' });

export const PreviewRequest = z
  .strictObject({ rule: AlertRuleInput, days: z.number().int().min(1).max(365).default(30) })
  .meta({ id: 'PreviewRequest' });
/** When a draft rule would have fired over stored data: one interval per unit and episode. */
export const PreviewResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    evaluatedPoints: z.number().int(),
    firings: z.array(
      z.object({
        unit: z.string(),
        pendingSince: z.string(),
        firingSince: z.string().nullable(),
        resolvedAt: z.string().nullable(),
        value: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'PreviewResponse' });
export type PreviewResponse = z.infer<typeof PreviewResponse>;

/** Reporting compliance: who reported on time for the current period of each metric's cadence. */
export const ComplianceQuery = z.object({
  metric: z.string().min(1),
  unitKind: UnitKindSchema.default('province'),
  asOf: z
    .string()
    .optional()
    .meta({ description: 'judge as at this time (ISO-8601 with offset); only units in force then are listed; default: now' }),
});

/** How far behind one unit is with one metric: whole periods due and missing, and since when. */
const ComplianceLateness = {
  status: z.enum(['on_time', 'late', 'never']),
  /**
   * Periods whose figures were due and are missing since the unit's last value (0 when on time); never reported:
   * the periods due since the first one the unit was expected to report (the unit's first day in force or the first
   * value any unit of its kind sent, whichever is later); null when that cannot be told (irregular, no data at all).
   */
  periodsBehind: z.number().int().nullable().meta({ description: 'periods due and missing since the last value; 0 when on time' }),
  /** Due time of the first missing period (its end: figures for a period are due when the next one begins). */
  lateSince: z.string().nullable().meta({ description: 'due time of the first missing period; null when on time or unknown' }),
  /** Start of the first missing period. */
  firstMissingPeriod: z.string().nullable(),
  /** Seconds since lateSince; null when on time or unknown. */
  lateBySeconds: z.number().nullable(),
};

export const ComplianceUnit = z
  .object({ unit: z.string(), lastTs: z.string().nullable(), lastReceivedAt: z.string().nullable(), ...ComplianceLateness })
  .meta({ id: 'ComplianceUnit' });
export type ComplianceUnit = z.infer<typeof ComplianceUnit>;

/** Counts over the listed units, and the worst of them. */
export const ComplianceSummary = z
  .object({
    onTime: z.number().int(),
    late: z.number().int(),
    never: z.number().int(),
    maxPeriodsBehind: z.number().int().nullable(),
    earliestLateSince: z.string().nullable(),
  })
  .meta({ id: 'ComplianceSummary' });
export type ComplianceSummary = z.infer<typeof ComplianceSummary>;

export const ComplianceResponse = z
  .object({
    metric: z.string(),
    cadence: z.string(),
    /** the time the answer judges (now unless asOf was given) */
    asOf: z.string(),
    /** start of the current reporting period (Vietnamese calendar) */
    periodStart: z.string(),
    /** the previous period's values were due by this time */
    dueBy: z.string(),
    /** seconds after a period's end its figures are due (0: due when the next period begins) */
    graceSeconds: z.number(),
    units: z.array(ComplianceUnit).meta({ description: 'units in force at asOf' }),
    summary: ComplianceSummary,
  })
  .meta({ id: 'ComplianceResponse' });
export type ComplianceResponse = z.infer<typeof ComplianceResponse>;

/** Compliance over several metrics at once: per unit the worst of them (the wall's and the console's overview). */
export const ComplianceOverviewQuery = z.object({
  unitKind: UnitKindSchema.default('province'),
  metrics: z.string().optional().meta({
    description:
      'comma-separated metric codes; default: every metric with a regular cadence that units of this kind report themselves (reportedBy) and that some unit of the kind has ever sent',
  }),
  asOf: ComplianceQuery.shape.asOf,
});
export const ComplianceOverviewResponse = z
  .object({
    unitKind: UnitKindSchema,
    asOf: z.string(),
    metrics: z.array(
      z.object({
        metric: z.string(),
        cadence: z.string(),
        periodStart: z.string(),
        dueBy: z.string(),
        graceSeconds: z.number(),
        /** false: no unit of the kind has ever sent it; listed per unit, but left out of the worst of the metrics */
        collected: z.boolean(),
      }),
    ),
    units: z.array(
      z.object({
        unit: z.string(),
        /** worst over the metrics: never, then late, then on time */
        status: z.enum(['on_time', 'late', 'never']),
        /** the most periods behind over the metrics (periods of each metric's own cadence) */
        periodsBehind: z.number().int().nullable(),
        /** the metric with the most periods behind (then the earliest lateSince) */
        worstMetric: z.string().nullable(),
        /** the earliest lateSince over the metrics */
        lateSince: z.string().nullable(),
        lateBySeconds: z.number().nullable(),
        metrics: z.record(z.string(), z.object({ lastTs: z.string().nullable(), ...ComplianceLateness })),
      }),
    ),
    summary: ComplianceSummary,
  })
  .meta({ id: 'ComplianceOverviewResponse' });
export type ComplianceOverviewResponse = z.infer<typeof ComplianceOverviewResponse>;

/** List answers of the alert endpoints. */
export const AlertRulesResponse = z.object({ rules: z.array(AlertRuleSchema) }).meta({ id: 'AlertRulesResponse' });
export const AlertsResponse = z.object({ alerts: z.array(AlertSchema) }).meta({ id: 'AlertsResponse' });

/** One transition of an alert: the history behind GET /api/v1/alerts/:id/events. */
export const AlertEventEntrySchema = z
  .object({
    seq: z.number().int(),
    transition: AlertStateSchema,
    at: z.string(),
    /** the user who acknowledged or disabled; "system" for automatic transitions */
    actor: z.string().nullable(),
  })
  .meta({ id: 'AlertEventEntry' });
export type AlertEventEntry = z.infer<typeof AlertEventEntrySchema>;
export const AlertEventsResponse = z.object({ events: z.array(AlertEventEntrySchema) }).meta({ id: 'AlertEventsResponse' });

/** The state changes of every alert in a time range (the console's alert history timeline), newest first. */
export const AlertTimelineQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  unit: z.string().optional(),
  metric: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const AlertTimelineEntrySchema = AlertEventEntrySchema.extend({
  alertId: z.number().int(),
  unit: z.string(),
  metric: z.string(),
  ruleName: z.string(),
}).meta({ id: 'AlertTimelineEntry' });
export type AlertTimelineEntry = z.infer<typeof AlertTimelineEntrySchema>;
export const AlertTimelineResponse = z.object({ events: z.array(AlertTimelineEntrySchema) }).meta({ id: 'AlertTimelineResponse' });

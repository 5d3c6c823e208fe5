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
});
export const ComplianceResponse = z
  .object({
    metric: z.string(),
    cadence: z.string(),
    /** start of the current reporting period (Vietnamese calendar) */
    periodStart: z.string(),
    /** the previous period's values were due by this time */
    dueBy: z.string(),
    units: z.array(
      z.object({
        unit: z.string(),
        lastTs: z.string().nullable(),
        lastReceivedAt: z.string().nullable(),
        status: z.enum(['on_time', 'late', 'never']),
        /** how late, in seconds, when status is late or never */
        lateBySeconds: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'ComplianceResponse' });
export type ComplianceResponse = z.infer<typeof ComplianceResponse>;

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

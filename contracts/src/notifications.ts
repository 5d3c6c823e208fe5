/**
 * Alert notifications (issue 13 part 2): channels (webhook, email), routes, silences and the delivery log.
 * Credentials (webhook secret, SMTP password) are write-only: an input may carry them, an answer only says
 * `hasSecret` / `hasPassword`. Webhook signature: header `X-Dxoc-Signature: sha256=<hex>` where
 * hex = HMAC-SHA256(secret, `${X-Dxoc-Timestamp}.${raw body}`), `X-Dxoc-Timestamp` being Unix seconds.
 */
import { z } from 'zod';
import { SeveritySchema } from './alerts';

export const WEBHOOK_SIGNATURE_HEADER = 'x-dxoc-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-dxoc-timestamp';

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export const ChannelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;

const email = z.email();

export const WebhookConfigInput = z.strictObject({
  kind: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** write-only; omitted on update keeps the stored secret */
  secret: z.string().min(16).max(200).optional(),
});

export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;
export const EmailConfigInput = z.strictObject({
  kind: z.literal('email'),
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  username: z.string().max(200).optional(),
  /** write-only; omitted on update keeps the stored password */
  password: z.string().max(500).optional(),
  from: email,
  recipients: z.array(email).min(1).max(50),
  /** language of the mail: Vietnamese first, English below, or one of them */
  language: z.enum(['vi', 'en', 'vi+en']).default('vi+en'),
});

export const ChannelConfigInput = z.discriminatedUnion('kind', [WebhookConfigInput, EmailConfigInput]);
export type ChannelConfigInput = z.infer<typeof ChannelConfigInput>;

export const NotificationChannelInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    config: ChannelConfigInput,
  })
  .meta({ id: 'NotificationChannelInput' });
export type NotificationChannelInput = z.infer<typeof NotificationChannelInput>;

const WebhookConfigView = WebhookConfigInput.omit({ secret: true }).extend({ hasSecret: z.boolean() });
const EmailConfigView = EmailConfigInput.omit({ password: true }).extend({ hasPassword: z.boolean() });

export const NotificationChannelSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    enabled: z.boolean(),
    config: z.discriminatedUnion('kind', [WebhookConfigView, EmailConfigView]),
    /** health: a channel with consecutiveFailures > 0 is shown failing */
    lastSuccessAt: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    failing: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'NotificationChannel' });
export type NotificationChannel = z.infer<typeof NotificationChannelSchema>;

export const NotificationScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('provinces') }),
  z.strictObject({ kind: z.literal('ministries') }),
  z.strictObject({ kind: z.literal('units'), units: z.array(z.string().min(1)).min(1).max(500) }),
]);
export type NotificationScope = z.infer<typeof NotificationScopeSchema>;

export const NotificationRouteInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    channelId: z.number().int().positive(),
    /** empty = every severity */
    severities: z.array(SeveritySchema).default([]),
    /** empty = every metric */
    metrics: z.array(z.string().min(1)).default([]),
    scope: NotificationScopeSchema.default({ kind: 'all' }),
    notifyResolved: z.boolean().default(false),
    /** repeat while firing every N hours; null = once */
    repeatHours: z.number().int().min(1).max(168).nullable().default(null),
    /** this route's channel also receives the published weekly report */
    weeklyReport: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'NotificationRouteInput' });
export type NotificationRouteInput = z.infer<typeof NotificationRouteInput>;

export const NotificationRouteSchema = NotificationRouteInput.extend({
  id: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'NotificationRoute' });
export type NotificationRoute = z.infer<typeof NotificationRouteSchema>;

export const SilenceInput = z
  .strictObject({
    /** mute one rule, one unit, or that rule for that unit; at least one of them */
    ruleId: z.number().int().positive().nullable().default(null),
    unit: z.string().min(1).nullable().default(null),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((s) => s.ruleId !== null || s.unit !== null, { message: 'ruleId or unit is required', path: ['ruleId'] })
  .refine((s) => !s.startsAt || Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  })
  .meta({ id: 'SilenceInput' });
export type SilenceInput = z.infer<typeof SilenceInput>;

export const SilenceSchema = z
  .object({
    id: z.number().int(),
    ruleId: z.number().int().nullable(),
    unit: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    /** set when ended early */
    endedAt: z.string().nullable(),
    endedBy: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Silence' });
export type Silence = z.infer<typeof SilenceSchema>;

/** What an alert answer carries when a silence covers it (silenced alerts still show, and send nothing). */
export const AlertSilenceInfo = z
  .object({ silenceId: z.number().int(), endsAt: z.string(), reason: z.string() })
  .meta({ id: 'AlertSilenceInfo' });
export type AlertSilenceInfo = z.infer<typeof AlertSilenceInfo>;

export const DELIVERY_STATES = ['pending', 'retrying', 'sent', 'failed', 'skipped'] as const;
export const DeliveryStateSchema = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

export const DELIVERY_KINDS = ['firing', 'resolved', 'repeat', 'weekly_report', 'test'] as const;
export const DeliveryKindSchema = z.enum(DELIVERY_KINDS);

export const NotificationDeliverySchema = z
  .object({
    id: z.number().int(),
    channelId: z.number().int(),
    channelName: z.string(),
    routeId: z.number().int().nullable(),
    alertId: z.number().int().nullable(),
    kind: DeliveryKindSchema,
    state: DeliveryStateSchema,
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'NotificationDelivery' });
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;

export const NotificationDeliveriesQuery = z.object({
  channelId: z.coerce.number().int().positive().optional(),
  state: DeliveryStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const NotificationChannelsResponse = z
  .object({ channels: z.array(NotificationChannelSchema) })
  .meta({ id: 'NotificationChannelsResponse' });
export const NotificationRoutesResponse = z.object({ routes: z.array(NotificationRouteSchema) }).meta({ id: 'NotificationRoutesResponse' });
export const SilencesResponse = z.object({ silences: z.array(SilenceSchema) }).meta({ id: 'SilencesResponse' });
export const NotificationDeliveriesResponse = z
  .object({ deliveries: z.array(NotificationDeliverySchema) })
  .meta({ id: 'NotificationDeliveriesResponse' });

export const SilencesQuery = z.object({
  /** true: not over yet (running or scheduled); false: over (expired or ended early); absent: all */
  active: z.enum(['true', 'false']).optional().meta({ description: 'true = running or scheduled, false = over' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

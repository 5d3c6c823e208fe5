import { z } from 'zod';
import {
  WeeklyReportListSchema,
  WeeklyReportQuerySchema,
  SilenceInput,
  NotificationChannelInput,
  NotificationChannelSchema,
  NotificationChannelsResponse,
  NotificationDeliveriesQuery,
  NotificationDeliveriesResponse,
  NotificationDeliverySchema,
  NotificationRouteInput,
  NotificationRouteSchema,
  NotificationRoutesResponse,
  SilenceSchema,
  SilencesQuery,
  SilencesResponse,
  AlertTimelineQuery,
  AlertTimelineResponse,
  IngestLogQuery,
  ReceivedBatchesResponse,
  RefusedBatchesResponse,
  AcknowledgeRequest,
  AggregateQuery,
  AggregateResponse,
  AlertEventsResponse,
  AlertRuleInput,
  DirectiveAnswerInput,
  DirectiveCloseInput,
  DirectiveDetailSchema,
  DirectiveInput,
  DirectiveListSchema,
  DirectiveReturnInput,
  DirectivesQuery,
  DirectiveWithdrawInput,
  OverdueSummarySchema,
  AlertRuleSchema,
  AlertRulesResponse,
  AlertSchema,
  AlertsQuery,
  AlertsResponse,
  CalendarResponse,
  ComplianceOverviewQuery,
  ComplianceOverviewResponse,
  ComplianceQuery,
  ComplianceResponse,
  ErrorResponse,
  HealthResponse,
  HistoryQuery,
  HistoryResponse,
  IngestAcceptedSchema,
  IngestBatchSchema,
  LatestQuery,
  LatestResponse,
  LoginRequest,
  LoginResponse,
  MAX_BODY_BYTES,
  MAX_POINTS_PER_BATCH,
  MetricsResponse,
  PreviewRequest,
  PreviewResponse,
  SeriesQuery,
  SeriesResponse,
  SystemAlertsResponse,
  TargetsQuery,
  TargetsResponse,
  TOTP_ERRORS,
  TotpConfirmRequest,
  TotpDisableRequest,
  TotpEnrolment,
  TotpStatus,
  UnitsResponse,
} from '@dxoc/contracts';
import { adminPaths, createTargetOperation } from './openapi-admin';

type JsonSchema = Record<string, unknown>;

/** Every schema here is the one that validates requests: the document cannot drift from the code. */
export function schema(type: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const json = z.toJSONSchema(type, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export function queryParameters(type: z.ZodObject): JsonSchema[] {
  const json = schema(type, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: property.description,
    schema: property,
  }));
}

export const json = (type: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema: schema(type) } } });
export const error = (description: string) => json(ErrorResponse, description);

export function buildOpenApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'dxoc API',
      version: '1',
      description:
        "Ingest and query API of the operations center for Vietnam's national digital transformation. " +
        "Agents push indicator values with their unit's key; reads feed the operations screen.",
    },
    components: {
      securitySchemes: { agentKey: { type: 'http', scheme: 'bearer', description: 'agent key: dxoc_<id>_<secret>' } },
    },
    paths: {
      '/api/v1/ingest': {
        post: {
          summary: 'Push a batch of indicator values',
          description: `1 to ${MAX_POINTS_PER_BATCH} points, body up to ${MAX_BODY_BYTES} bytes. All points are stored atomically or none is. Re-sending the same batchId with the same content is safe (200, duplicate: true).`,
          security: [{ agentKey: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: schema(IngestBatchSchema, 'input') } } },
          responses: {
            '202': json(IngestAcceptedSchema, 'stored'),
            '200': json(IngestAcceptedSchema, 'already stored earlier with the same content: nothing written again'),
            '400': error('invalid batch: details lists every invalid point (index, field, message); nothing stored'),
            '401': error('missing, unknown or revoked agent key'),
            '403': error('a point for a unit this key may not write; details list the indexes'),
            '409': error('batchId already used by this key for different content'),
            '413': error('body larger than 2 MB'),
            '415': error('the body is not sent as application/json (or an application/*+json type); details names the accepted types'),
            '429': error('rate limit exceeded; see Retry-After and details.limit'),
            '503': error('database unavailable; nothing stored; see Retry-After'),
          },
        },
      },
      '/api/v1/catalog/units': {
        get: { summary: 'Reporting units with validity and succession', responses: { '200': json(UnitsResponse, 'units') } },
      },
      '/api/v1/catalog/metrics': {
        get: { summary: 'Indicators with their targets', responses: { '200': json(MetricsResponse, 'metrics') } },
      },
      '/api/v1/targets': {
        get: {
          summary:
            'Every target with its status as of now: met on time, met late (with the date reached), missed, at risk, on track, cannot assess; the projection at the deadline with its method and 80% band, or why there is none',
          parameters: queryParameters(TargetsQuery),
          responses: { '200': json(TargetsResponse, 'targets'), '400': error('invalid query'), '404': error('unknown metric or unit') },
        },
        post: createTargetOperation(),
      },
      '/api/v1/catalog/calendar': {
        get: {
          summary: 'The time zone days, weeks, months and reporting periods are counted in',
          responses: { '200': json(CalendarResponse, 'calendar') },
        },
      },
      '/api/v1/series': {
        get: {
          summary: 'A time series, raw or bucketed',
          parameters: queryParameters(SeriesQuery),
          responses: { '200': json(SeriesResponse, 'series'), '400': error('invalid query'), '404': error('unknown metric or unit') },
        },
      },
      '/api/v1/latest': {
        get: {
          summary: 'Latest value per unit of one metric (maps, rankings): of the units in force at asOf unless includeEnded=true',
          parameters: queryParameters(LatestQuery),
          responses: { '200': json(LatestResponse, 'latest values'), '404': error('unknown metric') },
        },
      },
      '/api/v1/aggregate': {
        get: {
          summary:
            'One aggregate per unit over a time range (maps, rankings): with unitKind, of the units in force at the end of the range unless includeEnded=true',
          parameters: queryParameters(AggregateQuery),
          responses: {
            '200': json(AggregateResponse, 'values per unit'),
            '400': error('invalid query'),
            '404': error('unknown metric or unit'),
          },
        },
      },
      '/api/v1/history': {
        get: {
          summary: 'Every revision of one value',
          parameters: queryParameters(HistoryQuery),
          responses: { '200': json(HistoryResponse, 'revisions, newest first'), '404': error('no such value') },
        },
      },
      '/api/v1/health': {
        get: {
          summary: 'Health of the backend and its database',
          responses: { '200': json(HealthResponse, 'healthy'), '503': json(HealthResponse, 'database unavailable') },
        },
      },
      ...alertPaths(),
      ...directivePaths(),
      ...silencePaths(),
      ...notificationPaths(),
      ...reportPaths(),
      ...secondFactorPaths(),
      ...ingestLogPaths(),
      ...adminPaths(),
      '/api/v1/system-alerts': {
        get: {
          summary: 'Problems of dxoc itself that admins must hear about: TimescaleDB jobs failing or overdue (admin)',
          responses: {
            '200': json(SystemAlertsResponse, 'open alerts, then those resolved in the last 7 days'),
            '401': error('not signed in'),
            '403': error('needs the role admin'),
          },
        },
      },
      '/api/v1/reporting/compliance': {
        get: {
          summary:
            'Which units in force reported on time for the previous period of a metric, which are late: periods behind and since when',
          description:
            "A period's figures are due when the next period begins (graceSeconds after it; 0 today). periodsBehind counts the periods " +
            'due and missing since the last value; lateSince is the due time of the first of them; lateBySeconds the time since then.',
          parameters: queryParameters(ComplianceQuery),
          responses: {
            '200': json(ComplianceResponse, 'compliance per unit'),
            '400': error('invalid query'),
            '404': error('unknown metric'),
          },
        },
      },
      '/api/v1/reporting/compliance/overview': {
        get: {
          summary: 'Compliance over several metrics: per unit the worst status, the most periods behind and the earliest lateSince',
          parameters: queryParameters(ComplianceOverviewQuery),
          responses: {
            '200': json(ComplianceOverviewResponse, 'compliance per unit over the metrics'),
            '400': error('invalid query'),
            '404': error('unknown metric'),
          },
        },
      },
    },
  };
}

/** What an operator needs to fix its agent: received and refused batches (operators: their own unit; staff, admin: all). */
function ingestLogPaths(): JsonSchema {
  const responses = (what: z.ZodType, description: string) => ({
    '200': json(what, description),
    '400': error('invalid query'),
    '401': error('not signed in'),
    '403': error('needs the role operator, staff or admin; an operator asked for another unit'),
  });
  return {
    '/api/v1/ingest-log/batches': {
      get: {
        summary: 'Accepted batches, newest first: time, batchId, key, units written, points accepted and revised',
        parameters: queryParameters(IngestLogQuery),
        responses: responses(ReceivedBatchesResponse, 'accepted batches'),
      },
    },
    '/api/v1/ingest-log/refusals': {
      get: {
        summary: 'Refused batches of keys granted the unit, aggregated per key, status and error code (kept 30 days)',
        description:
          'count is how many refusals the row stands for; batchId and message are those of the last one (message cut at 500 characters).',
        parameters: queryParameters(IngestLogQuery),
        responses: responses(RefusedBatchesResponse, 'refusals, most recent first'),
      },
    },
  };
}

/** Weekly reports: viewers, staff and admins list and download; staff and admins regenerate. Operators do not. */
function reportPaths(): JsonSchema {
  const week = {
    name: 'weekStart',
    in: 'path',
    required: true,
    description: "the week's Monday (Viet Nam), YYYY-MM-DD",
    schema: { type: 'string' },
  };
  const denied = (roles: string) => ({ '401': error('not signed in'), '403': error(`needs the role ${roles}`) });
  return {
    '/api/v1/reports': {
      get: {
        summary: 'Stored weekly reports (without their bytes) and the past complete weeks that can be downloaded',
        responses: { '200': json(WeeklyReportListSchema, 'reports and weeks'), ...denied('viewer, staff or admin') },
      },
    },
    '/api/v1/reports/{weekStart}.pdf': {
      get: {
        summary: "A week's report as PDF (Content-Disposition: attachment); drawn on first request for a past week",
        description:
          'Weeks run Monday to Sunday, Viet Nam time. A week before the last complete one is stored on first download; the last complete week is stored and mailed by the Monday 07:00 run.',
        parameters: [week, ...queryParameters(WeeklyReportQuerySchema)],
        responses: {
          '200': { description: 'the PDF', content: { 'application/pdf': {} } },
          '400': error('invalid_week (not a Monday), week_not_finished, or a lang other than vi or en'),
          ...denied('viewer, staff or admin'),
        },
      },
    },
    '/api/v1/reports/{weekStart}/regenerate': {
      post: {
        summary: "Draw a week's report again in both languages from today's data and replace the stored ones (audited)",
        parameters: [week],
        responses: {
          '200': json(WeeklyReportListSchema, 'reports and weeks after the change'),
          '400': error('invalid_week or week_not_finished'),
          '409': error('report_not_published: the last complete week before its Monday 07:00 run stored it (download draws it meanwhile)'),
          ...denied('staff or admin'),
        },
      },
    },
  };
}

/**
 * Alert notifications: channels (webhook secrets and SMTP passwords write-only) and routes are the admin's; the
 * delivery log is read by staff and admins.
 */
function notificationPaths(): JsonSchema {
  const admin = { '401': error('not signed in'), '403': error('needs the role admin') };
  const id = (what: string) => [{ name: 'id', in: 'path', required: true, description: `${what} id`, schema: { type: 'integer' } }];
  const input = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type, 'input') } } });
  return {
    '/api/v1/notifications/channels': {
      get: {
        summary: 'Notification channels with their health (secrets never answered: hasSecret / hasPassword)',
        responses: { '200': json(NotificationChannelsResponse, 'channels'), ...admin },
      },
      post: {
        summary: 'Create a webhook (signed JSON POST; secret required) or email (SMTP) channel',
        requestBody: input(NotificationChannelInput),
        responses: {
          '201': json(NotificationChannelSchema, 'created'),
          '400': error('invalid body'),
          ...admin,
          '503': error('secret_key_missing: DXOC_SECRET_KEY is not set'),
        },
      },
    },
    '/api/v1/notifications/channels/{id}': {
      put: {
        summary: 'Replace a channel; an omitted secret or password keeps the stored one',
        parameters: id('channel'),
        requestBody: input(NotificationChannelInput),
        responses: {
          '200': json(NotificationChannelSchema, 'updated'),
          '400': error('invalid body'),
          ...admin,
          '404': error('no such channel'),
        },
      },
      delete: {
        summary: 'Delete a channel and its routes; its delivery log stays',
        parameters: id('channel'),
        responses: { '204': { description: 'deleted' }, ...admin, '404': error('no such channel') },
      },
    },
    '/api/v1/notifications/channels/{id}/test': {
      post: {
        summary: 'Send a test message through the channel now (one attempt) and answer its delivery',
        parameters: id('channel'),
        responses: {
          '200': json(NotificationDeliverySchema, 'the delivery: sent, or failed with lastError'),
          ...admin,
          '404': error('no such channel'),
        },
      },
    },
    '/api/v1/notifications/routes': {
      get: { summary: 'Notification routes', responses: { '200': json(NotificationRoutesResponse, 'routes'), ...admin } },
      post: {
        summary: 'Route alerts (by severity, metric and unit scope) and optionally the weekly report to a channel',
        requestBody: input(NotificationRouteInput),
        responses: {
          '201': json(NotificationRouteSchema, 'created'),
          '400': error('invalid body, unknown_channel, unknown_metric, unknown_unit'),
          ...admin,
        },
      },
    },
    '/api/v1/notifications/routes/{id}': {
      put: {
        summary: 'Replace a route',
        parameters: id('route'),
        requestBody: input(NotificationRouteInput),
        responses: {
          '200': json(NotificationRouteSchema, 'updated'),
          '400': error('invalid body, unknown_channel, unknown_metric, unknown_unit'),
          ...admin,
          '404': error('no such route'),
        },
      },
      delete: {
        summary: 'Delete a route',
        parameters: id('route'),
        responses: { '204': { description: 'deleted' }, ...admin, '404': error('no such route') },
      },
    },
    '/api/v1/notifications/deliveries': {
      get: {
        summary: 'The delivery log, newest first (staff, admin)',
        parameters: queryParameters(NotificationDeliveriesQuery),
        responses: {
          '200': json(NotificationDeliveriesResponse, 'deliveries'),
          '400': error('invalid query'),
          '401': error('not signed in'),
          '403': error('needs the role staff or admin'),
        },
      },
    },
  };
}

/** Silences (maintenance windows): staff and admin list, create and end them early; silenced alerts send nothing. */
function silencePaths(): JsonSchema {
  const denied = { '401': error('not signed in'), '403': error('needs the role staff or admin') };
  return {
    '/api/v1/silences': {
      get: {
        summary: 'Silences, newest first; active=true: running or scheduled, active=false: over (expired or ended early)',
        parameters: queryParameters(SilencesQuery),
        responses: { '200': json(SilencesResponse, 'silences'), '400': error('invalid query'), ...denied },
      },
      post: {
        summary: 'Mute a rule, a unit, or that rule for that unit until endsAt (startsAt defaults to now), with a reason',
        description:
          'While a silence covers an alert, the alert still shows (its answers carry `silence`: id, end, reason) and no notification is sent for it.',
        requestBody: { required: true, content: { 'application/json': { schema: schema(SilenceInput, 'input') } } },
        responses: {
          '201': json(SilenceSchema, 'created'),
          '400': error('invalid body, neither ruleId nor unit, endsAt not in the future or not after startsAt, unknown_rule, unknown_unit'),
          ...denied,
        },
      },
    },
    '/api/v1/silences/{id}/end': {
      post: {
        summary: 'End a silence now, before its planned end',
        parameters: [{ name: 'id', in: 'path', required: true, description: 'silence id', schema: { type: 'integer' } }],
        responses: {
          '200': json(SilenceSchema, 'ended'),
          ...denied,
          '404': error('no such silence'),
          '409': error('silence_over: it has already ended'),
        },
      },
    },
  };
}

/**
 * Directives (chỉ đạo): staff and admin issue, send back, close, withdraw; an operator reads those addressed to its unit
 * and answers for it; any signed-in role (viewer tokens too) reads the overdue summary.
 */
function directivePaths(): JsonSchema {
  const body = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type, 'input') } } });
  const id = { name: 'id', in: 'path', required: true, description: 'directive id', schema: { type: 'integer' } };
  const unit = { name: 'unit', in: 'path', required: true, description: 'unit code of the assignment', schema: { type: 'string' } };
  const denied = { '401': error('not signed in'), '403': error('needs the role staff or admin') };
  const step = (summary: string, input: z.ZodType, roles: string) => ({
    post: {
      summary,
      parameters: [id, unit],
      requestBody: body(input),
      responses: {
        '200': json(DirectiveDetailSchema, 'the directive after the step (an operator: its own part only)'),
        '400': error('invalid body'),
        '401': error('not signed in'),
        '403': error(`needs the role ${roles}`),
        '404': error('no such directive addressed to that unit (to an operator: any unit but its own)'),
        '409': error("invalid_directive_state: the step is not possible in the assignment's state"),
      },
    },
  });
  return {
    '/api/v1/directives': {
      get: {
        summary: 'Directives, newest first (operators: those addressed to their unit, with their part only); paged by before',
        parameters: queryParameters(DirectivesQuery),
        responses: {
          '200': json(DirectiveListSchema, 'a page'),
          '400': error('invalid query'),
          '401': error('not signed in'),
          '403': error('viewers read only the overdue summary; an operator asked for another unit'),
        },
      },
      post: {
        summary: 'Issue a directive to one or more units (staff, admin); dueDate is a Viet Nam calendar date',
        requestBody: body(DirectiveInput),
        responses: {
          '201': json(DirectiveDetailSchema, 'issued: one open assignment per unit'),
          '400': error('unknown_unit, unknown_alert or invalid body'),
          ...denied,
        },
      },
    },
    '/api/v1/directives/overdue': {
      get: {
        summary: 'Per unit: directives overdue (not closed, due date before today in Viet Nam) and the oldest; any signed-in role',
        responses: { '200': json(OverdueSummarySchema, 'units with at least one overdue assignment'), '401': error('not signed in') },
      },
    },
    '/api/v1/directives/{id}': {
      get: {
        summary: 'One directive with its history (operators: their part and the events of it)',
        parameters: [id],
        responses: {
          '200': json(DirectiveDetailSchema, 'the directive'),
          '404': error('no such directive (to an operator: not addressed to its unit)'),
        },
      },
    },
    '/api/v1/directives/{id}/withdraw': {
      post: {
        summary: 'Withdraw a directive (staff, admin): every assignment not closed becomes withdrawn',
        parameters: [id],
        requestBody: body(DirectiveWithdrawInput),
        responses: {
          '200': json(DirectiveDetailSchema, 'withdrawn'),
          ...denied,
          '404': error('no such directive'),
          '409': error('already withdrawn'),
        },
      },
    },
    '/api/v1/directives/{id}/units/{unit}/answer': step(
      'Answer for the unit: explanation, cause, planned fix date (its operators; staff, admin); from open or returned',
      DirectiveAnswerInput,
      'operator, staff or admin',
    ),
    '/api/v1/directives/{id}/units/{unit}/return': step(
      'Send the answer back with a reason (staff, admin); the unit answers again',
      DirectiveReturnInput,
      'staff or admin',
    ),
    '/api/v1/directives/{id}/units/{unit}/close': step(
      "Close the unit's part with an outcome (staff, admin)",
      DirectiveCloseInput,
      'staff or admin',
    ),
    '/api/v1/directives/{id}/units/{unit}/attachment': {
      put: {
        summary: "Attach a file to the unit's answer (replaces an earlier one): the body is the file itself",
        description:
          'PDF, PNG or JPEG, recognised by its first bytes whatever the Content-Type says; at most DXOC_DIRECTIVE_ATTACHMENT_MAX_BYTES (default 5 MB). ?fileName= names it. Refused files store nothing.',
        parameters: [id, unit, { name: 'fileName', in: 'query', required: false, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/pdf': {}, 'image/png': {}, 'image/jpeg': {}, 'application/octet-stream': {} },
        },
        responses: {
          '200': json(DirectiveDetailSchema, 'stored'),
          '400': error('empty body'),
          '401': error('not signed in'),
          '403': error('needs the role operator, staff or admin'),
          '404': error('no such directive addressed to that unit'),
          '409': error('the assignment is closed or withdrawn'),
          '413': error('attachment_too_large'),
          '415': error('unsupported_attachment_type: not a PDF, PNG or JPEG by content'),
        },
      },
      get: {
        summary: 'Download the attachment (Content-Disposition: attachment, X-Content-Type-Options: nosniff)',
        parameters: [id, unit],
        responses: {
          '200': { description: 'the file', content: { 'application/pdf': {}, 'image/png': {}, 'image/jpeg': {} } },
          '404': error("no attachment, or not addressed to the operator's unit"),
        },
      },
    },
  };
}

/** Threshold rules and alerts: read by any signed-in role; rule changes, backtests and acknowledgements by staff and admin. */
function alertPaths(): JsonSchema {
  const body = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type, 'input') } } });
  const id = (what: string) => [{ name: 'id', in: 'path', required: true, description: `${what} id`, schema: { type: 'integer' } }];
  const denied = { '401': error('not signed in'), '403': error('needs the role staff or admin') };
  const invalidRule = error(
    'invalid_rule: unknown metric or unit, or a rule that can never fire; details list each problem (field, message)',
  );
  return {
    '/api/v1/alert-rules': {
      get: { summary: 'Threshold rules', responses: { '200': json(AlertRulesResponse, 'every rule, enabled or not') } },
      post: {
        summary: 'Create a threshold rule (staff, admin)',
        requestBody: body(AlertRuleInput),
        responses: { '201': json(AlertRuleSchema, 'created'), '400': invalidRule, ...denied },
      },
    },
    '/api/v1/alert-rules/preview': {
      post: {
        summary: 'Backtest a draft rule over the stored values of the last days (staff, admin); writes nothing',
        requestBody: body(PreviewRequest),
        responses: {
          '200': json(PreviewResponse, 'when the rule would have been pending and firing, per unit and episode'),
          '400': invalidRule,
          ...denied,
        },
      },
    },
    '/api/v1/alert-rules/{id}': {
      get: {
        summary: 'One threshold rule',
        parameters: id('rule'),
        responses: { '200': json(AlertRuleSchema, 'the rule'), '404': error('no such rule') },
      },
      put: {
        summary: 'Replace a threshold rule (staff, admin); enabled: false disables it and resolves its open alerts',
        parameters: id('rule'),
        requestBody: body(AlertRuleInput),
        responses: { '200': json(AlertRuleSchema, 'replaced'), '400': invalidRule, ...denied, '404': error('no such rule') },
      },
      delete: {
        summary: 'Disable a threshold rule (staff, admin): it is kept for the history of its alerts',
        parameters: id('rule'),
        responses: { '200': json(AlertRuleSchema, 'disabled'), ...denied, '404': error('no such rule') },
      },
    },
    '/api/v1/alerts': {
      get: {
        summary: 'Alerts, newest first: every episode of every rule and unit, open or resolved',
        description: 'from/to select episodes that overlap [from, to) (ISO-8601 with an offset).',
        parameters: queryParameters(AlertsQuery),
        responses: { '200': json(AlertsResponse, 'alerts'), '400': error('invalid query') },
      },
    },
    '/api/v1/alert-events': {
      get: {
        summary: 'The state changes of every alert in [from, to), newest first (an operator: its own unit only)',
        parameters: queryParameters(AlertTimelineQuery),
        responses: { '200': json(AlertTimelineResponse, 'state changes'), '400': error('invalid query'), '403': error('another unit') },
      },
    },
    '/api/v1/alerts/{id}': {
      get: {
        summary: 'One alert',
        parameters: id('alert'),
        responses: { '200': json(AlertSchema, 'the alert'), '404': error('no such alert') },
      },
    },
    '/api/v1/alerts/{id}/events': {
      get: {
        summary: 'The transitions of one alert, in order, with who made them',
        parameters: id('alert'),
        responses: { '200': json(AlertEventsResponse, 'transitions'), '404': error('no such alert') },
      },
    },
    '/api/v1/alerts/{id}/ack': {
      post: {
        summary: 'Acknowledge a firing alert with a comment (staff, admin)',
        parameters: id('alert'),
        requestBody: body(AcknowledgeRequest),
        responses: {
          '200': json(AlertSchema, 'acknowledged'),
          '400': error('comment missing'),
          ...denied,
          '404': error('no such alert'),
          '409': error('the alert is not firing (pending, already acknowledged or resolved)'),
        },
      },
    },
  };
}

/** Signing in, and the optional second factor (TOTP) of admin and staff accounts. */
function secondFactorPaths(): JsonSchema {
  const body = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type, 'input') } } });
  const notSignedIn = { '401': error('not signed in') };
  const totpUnreadable = {
    '503': error(
      `${TOTP_ERRORS.unreadable}: the stored second-factor secret does not open with this server's DXOC_SECRET_KEY; ` +
        'the code was not judged (an admin restores the key or resets the second factor)',
    ),
  };
  return {
    '/api/v1/auth/login': {
      post: {
        summary: 'Sign in with user name and password (and the current code when the account has a second factor)',
        description:
          'Answers the session token and sets it as the httpOnly cookie dxoc_session. Every failure — wrong password, ' +
          `${TOTP_ERRORS.required}, ${TOTP_ERRORS.invalid} — counts against the login throttle.`,
        requestBody: body(LoginRequest),
        responses: {
          '200': json(LoginResponse, 'signed in'),
          '401': error(
            `unauthorized: wrong user name or password; ${TOTP_ERRORS.required}: the password is right and the account ` +
              `has a second factor, send totpCode; ${TOTP_ERRORS.invalid}: the code is wrong, not current (±30 s) or used already`,
          ),
          '429': error('too many failed logins from this address or for this account; see Retry-After'),
          ...totpUnreadable,
        },
      },
    },
    '/api/v1/auth/totp': {
      get: {
        summary: "Whether one's own second factor is on, or an enrolment waits for its first code",
        responses: { '200': json(TotpStatus, 'status'), ...notSignedIn, '403': error('a viewer token has no second factor') },
      },
    },
    '/api/v1/auth/totp/enrol': {
      post: {
        summary: 'Start an enrolment (admin, staff): a new secret, answered this once, pending until confirmed',
        responses: {
          '201': json(TotpEnrolment, 'the secret in base32 and the otpauth:// URI for the app; nothing is asked at login yet'),
          ...notSignedIn,
          '403': error('needs the role admin or staff'),
          '409': error('totp_already_enabled: switch the second factor off first'),
          '503': error('secret_key_missing: the embedded database could not create its secret key file'),
        },
      },
    },
    '/api/v1/auth/totp/confirm': {
      post: {
        summary: 'Switch the pending second factor on with a current code of the app (admin, staff)',
        requestBody: body(TotpConfirmRequest),
        responses: {
          '200': json(TotpStatus, 'on: codes are asked for at login from now on'),
          '400': error(`code missing, or ${TOTP_ERRORS.invalid}: the code does not match (or was used already)`),
          ...notSignedIn,
          '403': error('needs the role admin or staff'),
          '409': error('totp_not_pending: nothing to confirm'),
          ...totpUnreadable,
        },
      },
    },
    '/api/v1/auth/totp/disable': {
      post: {
        summary: "Switch one's own second factor off (or drop a pending enrolment) with a current code or the password",
        description: 'A wrong code or password counts against the login throttle.',
        requestBody: body(TotpDisableRequest),
        responses: {
          '200': json(TotpStatus, 'off'),
          '400': error('neither or both of code and password'),
          ...notSignedIn,
          '403': error(`${TOTP_ERRORS.invalid} or wrong_password: the second factor stays on`),
          '409': error('totp_not_enabled: the account has none'),
          '429': error('too many failures; see Retry-After'),
          ...totpUnreadable,
        },
      },
    },
    '/api/v1/users/{id}/totp': {
      delete: {
        summary: "Reset another user's second factor, e.g. after a lost phone (admin; audited as user.totp_reset)",
        parameters: [{ name: 'id', in: 'path', required: true, description: 'user id', schema: { type: 'string' } }],
        responses: {
          '204': { description: 'off: the user signs in with the password alone' },
          ...notSignedIn,
          '403': error('needs the role admin'),
          '404': error('no such user'),
        },
      },
    },
  };
}
